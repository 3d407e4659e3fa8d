"""Keras arguments tfjax has no implementation of are accepted at their default and refused, by name,
otherwise (never silently ignored); deprecated ones warn as Keras does."""

import numpy as np
import pytest

import tfjax.keras as K


@pytest.mark.parametrize("make,arg", [
    (lambda: K.layers.Dense(3, quantization_config={"mode": "int8"}), "quantization_config"),
    (lambda: K.layers.Dense(3, lora_rank=4), "lora_rank"),
    (lambda: K.layers.EinsumDense("ab,bc->ac", 3, quantization_config="int8"), "quantization_config"),
    (lambda: K.layers.EinsumDense("ab,bc->ac", 3, gptq_unpacked_column_size=8), "gptq_unpacked_column_size"),
    (lambda: K.layers.Embedding(5, 2, lora_rank=2), "lora_rank"),
    (lambda: K.layers.Embedding(5, 2, quantization_config="int8"), "quantization_config"),
    (lambda: K.layers.Input((3,), ragged=True), "ragged"),
    (lambda: K.layers.LSTM(3, use_cudnn=True), "use_cudnn"),
    (lambda: K.layers.GRU(3, use_cudnn=True), "use_cudnn"),
    (lambda: K.layers.MultiHeadAttention(2, 4, flash_attention=True), "flash_attention"),
    (lambda: K.utils.split_dataset(np.arange(10), 0.5, preferred_backend="torch"), "preferred_backend"),
])
def test_unsupported_argument_is_refused_by_name(make, arg):
    with pytest.raises(NotImplementedError, match=arg):
        make()


def test_defaults_of_unsupported_arguments_are_accepted():
    K.layers.Dense(3, quantization_config=None, lora_rank=None)
    K.layers.EinsumDense("ab,bc->ac", 3, quantization_config=None, gptq_unpacked_column_size=None)
    K.layers.Input((3,), ragged=False)
    K.layers.LSTM(3, use_cudnn=False)
    K.layers.GRU(3, use_cudnn="auto")
    K.layers.MultiHeadAttention(2, 4, flash_attention=False)
    left, right = K.utils.split_dataset(np.arange(10), 0.6, preferred_backend="tensorflow")
    assert len(list(left)) == 6 and len(list(right)) == 4


def test_keras_rejects_what_its_classes_do_not_take():
    with pytest.raises(TypeError, match="reset_after"):
        K.layers.LSTMCell(3, reset_after=True)
    with pytest.raises(TypeError, match="unit_forget_bias"):
        K.layers.GRUCell(3, unit_forget_bias=True)
    with pytest.raises(TypeError, match="too many positional arguments"):
        K.metrics.BinaryAccuracy("acc", None, 0.5, "sum")
    with pytest.raises(TypeError, match="threshold"):
        K.metrics.Accuracy(threshold=0.5)


def test_deprecated_arguments_warn_like_keras():
    with pytest.warns(UserWarning, match="input_length"):
        K.layers.Embedding(5, 2, input_length=4)
    with pytest.warns(UserWarning, match="rms_scaling"):
        ln = K.layers.LayerNormalization(rms_scaling=True)
    assert ln.get_config()["rms_scaling"] is True
