"""``python -m tfjax script.py [args]``: run a TensorFlow script on tfjax."""

import sys

from tfjax._src.runner import main

if __name__ == "__main__":
    sys.exit(main())
