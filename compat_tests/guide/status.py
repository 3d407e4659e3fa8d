"""Which guide scripts tfjax reproduces today.

Maps every script in this folder to "pass" or "xfail: <reason>". An xfail
test is strict: when tfjax starts reproducing the script, the test turns red
(XPASS) and this entry must be changed to "pass". test_guide.py also fails
if a script has no entry or an entry names no script.
"""

STATUS = {
    "g01_imports.py": "pass",
    "g02_sequential_basic.py": "pass",
    "g03_custom_loop_basic.py": "pass",
    "g04_anti_patterns.py": "pass",
    "g05_tensors.py": "pass",
    "g06_variables.py": "pass",
    "g07_data_pipeline.py": "pass",
    "g08_sequential_cnn.py": "pass",
    "g09_functional.py": "pass",
    "g10_subclassing.py": "pass",
    "g11_fit.py": "pass",
    "g12_custom_loop_metrics.py": "pass",
    "g13_callbacks.py": "pass",
    "g14_cnn.py": "pass",
    "g15_rnn.py": "pass",
    "g16_transformer.py": "pass",
    "g17_transfer.py": "pass",
    "g18_saving.py": "pass",
    "g19_devices.py": "pass",
    "g20_image_pipeline.py": "pass",
    "g21_text_classifier.py": "pass",
    "g22_timeseries.py": "pass",
    "g23_vae.py": "pass",
    "g24_multitask.py": "pass",
    "g25_tf_function_xla.py": "pass",
    "g26_mixed_precision.py": "pass",
    "g27_pipeline_order.py": "pass",
    "g28_shape_mismatch.py": "pass",
    "g29_training_flag.py": "pass",
    "g30_metrics_mean.py": "pass",
    "g31_loss_pairs.py": "pass",
    "g32_retracing.py": "pass",
}
