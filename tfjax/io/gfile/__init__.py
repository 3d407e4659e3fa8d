"""``tf.io.gfile``."""

from tfjax._src.io.gfile import (GFile, copy, exists, get_registered_schemes, glob, isdir,  # noqa: F401
                                 join, listdir, makedirs, mkdir, remove, rename, rmtree, stat, walk)
