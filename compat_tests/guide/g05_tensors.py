"""Guide: "Tensors — Immutable Data"."""
import tensorflow as tf
import numpy as np


def report(key, value):
    print(f"[report] {key}: {value}", flush=True)


def values(t, decimals=5):
    return np.round(np.asarray(t), decimals).tolist()


# Creation
t1 = tf.constant([1.0, 2.0, 3.0])                  # 1D
t2 = tf.constant([[1, 2], [3, 4]])                  # 2D
t3 = tf.zeros((3, 4))                               # Zeros
t4 = tf.ones((2, 3))                                # Ones
t5 = tf.random.normal((100, 50))                    # Normal dist
t6 = tf.random.uniform((10,), minval=0, maxval=1)   # Uniform

for name, t in [("t1", t1), ("t2", t2), ("t3", t3), ("t4", t4), ("t5", t5), ("t6", t6)]:
    report(f"{name}_shape_dtype", (t.shape, t.dtype))
report("t6_in_range", bool(tf.reduce_all((t6 >= 0) & (t6 < 1))))
report("t5_moments_plausible", abs(float(tf.reduce_mean(t5))) < 0.1 and 0.9 < float(tf.math.reduce_std(t5)) < 1.1)

# Properties
print(t2.shape)    # TensorShape([2, 2])
print(t2.dtype)    # tf.int32
print(t2.numpy())  # Convert to numpy array
report("print_shape", t2.shape)
report("repr_shape", repr(t2.shape))
report("print_dtype", t2.dtype)
report("numpy_type", type(t2.numpy()).__name__)
report("numpy", t2.numpy().tolist())

# Arithmetic (vectorized)
a = tf.constant([1.0, 2.0, 3.0])
b = tf.constant([4.0, 5.0, 6.0])
c = a + b                      # [5, 7, 9]
d = a * b                      # [4, 10, 18]
e = tf.reduce_sum(a)           # 6.0
f = tf.reduce_mean(a)          # 2.0
g = tf.math.sqrt(a)            # Element-wise sqrt
report("c", c)
report("d", d)
report("e", e)
report("f", f)
report("g", values(g))

# Matrix operations
A = tf.constant([[1.0, 2.0], [3.0, 4.0]])
B = tf.constant([[5.0, 6.0], [7.0, 8.0]])
C = tf.matmul(A, B)            # Matrix multiply
D = tf.linalg.inv(A)           # Inverse
det = tf.linalg.det(A)         # Determinant
eigs = tf.linalg.eigh(A)       # Eigenvalues + eigenvectors
report("C", values(C))
report("D", values(D, 4))
report("det", round(float(det), 4))
report("eigh_type", (type(eigs).__name__, len(eigs)))
report("eigenvalues", values(eigs[0], 4))
report("eigenvectors_abs", values(tf.abs(eigs[1]), 4))  # sign is arbitrary

# Reshaping
t = tf.constant([1, 2, 3, 4, 5, 6])
reshaped = tf.reshape(t, (2, 3))           # (2, 3)
expanded = tf.expand_dims(t, axis=0)       # (1, 6) — add batch dim
squeezed = tf.squeeze(expanded)            # (6,) — remove dim of size 1
report("reshaped", (reshaped.shape, reshaped.numpy().tolist()))
report("expanded", expanded.shape)
report("squeezed", squeezed.shape)

# Slicing
t = tf.constant([10, 20, 30, 40, 50])
print(t[1:3])       # [20, 30]
print(t[-2:])       # [40, 50]
print(t[::2])       # [10, 30, 50]
report("str_t[1:3]", str(t[1:3]))
report("repr_t[1:3]", repr(t[1:3]))
report("print_t[1:3]", t[1:3])
report("print_t[-2:]", t[-2:])
report("print_t[::2]", t[::2])
report("print_float", t1)
