"""Which guide scripts tfjax reproduces today.

Maps every script in this folder to "pass" or "xfail: <reason>". An xfail
test is strict: when tfjax starts reproducing the script, the test turns red
(XPASS) and this entry must be changed to "pass". test_guide.py also fails
if a script has no entry or an entry names no script.
"""

_KERAS = "tf.keras (layers, Sequential/functional models, compile/fit/predict)"

STATUS = {
    "g01_imports.py": "xfail: needs tf.keras, tf.constant; tf.__version__ must read '2.21.0' (tfjax.__version__ is 0.1.0)",
    "g02_sequential_basic.py": f"xfail: needs {_KERAS}, Conv2D/MaxPooling2D/Dropout",
    "g03_custom_loop_basic.py": "xfail: needs tf.function, GradientTape, tf.keras layers/optimizers/losses, tf.print",
    "g04_anti_patterns.py": "xfail: needs tf.function tracing counts, tf.data shuffle/batch/cache/prefetch, tf.keras",
    "g05_tensors.py": "xfail: needs tf.constant/zeros/ones/random, math, linalg (inv/det/eigh), reshape, slicing, Tensor str/repr",
    "g06_variables.py": "pass",
    "g07_data_pipeline.py": "xfail: needs tf.data (map/filter/take/skip/repeat/enumerate/list_files/TFRecordDataset), tf.image, tf.io jpeg + TFRecord, tf.train.Example",
    "g08_sequential_cnn.py": "pass",
    "g09_functional.py": "pass",
    "g10_subclassing.py": f"xfail: needs tf.keras.Model subclassing, {_KERAS}",
    "g11_fit.py": "pass",
    "g12_custom_loop_metrics.py": "xfail: needs tf.function, GradientTape, tf.keras metrics, tf.data, Tensor __format__",
    "g13_callbacks.py": "xfail: needs tf.keras callbacks (EarlyStopping, ModelCheckpoint, ReduceLROnPlateau, TensorBoard), .keras saving",
    "g14_cnn.py": "pass",
    "g15_rnn.py": "pass",
    "g16_transformer.py": "pass",
    "g17_transfer.py": "xfail: needs tf.keras.applications.MobileNetV2, layer freezing, fit on tf.data",
    "g18_saving.py": "xfail: needs Keras .keras/.h5 saving, tf.train.Checkpoint/CheckpointManager, tf.saved_model, tf.lite",
    "g19_devices.py": "xfail: needs tf.config device listing, tf.device, tf.distribute.MirroredStrategy",
    "g20_image_pipeline.py": "xfail: needs image_dataset_from_directory, preprocessing layers, EfficientNetB0, callbacks",
    "g21_text_classifier.py": "pass",
    "g22_timeseries.py": "pass",
    "g23_vae.py": "xfail: needs tf.keras.Model subclassing, tf.function, GradientTape, tf.random",
    "g24_multitask.py": "xfail: needs tf.keras functional model with dict outputs, per-output losses/metrics",
    "g25_tf_function_xla.py": "xfail: needs tf.function input_signature/get_concrete_function, jit_compile fit",
    "g26_mixed_precision.py": "xfail: needs tf.keras.mixed_precision policies",
    "g27_pipeline_order.py": "pass",
    "g28_shape_mismatch.py": f"xfail: needs {_KERAS}",
    "g29_training_flag.py": "pass",
    "g30_metrics_mean.py": "pass",
    "g31_loss_pairs.py": "xfail: needs tf.keras losses, tf.one_hot, tf.nn.softmax",
    "g32_retracing.py": "xfail: needs tf.function retracing rules and input_signature",
}
