"""RaggedTensor: see ragged_tensor.py (the class), conversion.py, ragged_getitem.py,
ragged_math.py (operators, reductions, concat/stack) and ragged_ops.py (``tf.ragged.*``)."""
