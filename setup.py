"""Build hooks that pyproject.toml cannot express: ship tfjax-as-tensorflow.pth.

The .pth file must sit at the root of site-packages (the only place the
interpreter reads .pth files from), so it goes to the root of the wheel. Both
the regular wheel (build_py) and the PEP 660 editable wheel that
`pip install -e .` builds (editable_wheel, which never runs build_py's copy
step) need it. The file only acts when TFJAX_AS_TENSORFLOW is set; see
tfjax/_src/install.py.
"""

import base64
import hashlib
import os
import zipfile

from setuptools import setup
from setuptools.command.build_py import build_py
from setuptools.command.editable_wheel import editable_wheel

PTH = "tfjax-as-tensorflow.pth"
HERE = os.path.dirname(os.path.abspath(__file__))


class build_py_with_pth(build_py):
    def run(self):
        super().run()
        if not self.editable_mode:
            self.copy_file(os.path.join(HERE, PTH), os.path.join(self.build_lib, PTH), preserve_mode=0)


class editable_wheel_with_pth(editable_wheel):
    def run(self):
        super().run()
        for name in os.listdir(self.dist_dir):
            if name.endswith(".whl"):
                _add_root_file(os.path.join(self.dist_dir, name), os.path.join(HERE, PTH))


def _add_root_file(wheel_path, src):
    """Adds ``src`` at the wheel's root and records it in RECORD."""
    arcname = os.path.basename(src)
    with open(src, "rb") as f:
        data = f.read()
    with zipfile.ZipFile(wheel_path) as zf:
        entries = [(info, zf.read(info.filename)) for info in zf.infolist()]
    if any(info.filename == arcname for info, _ in entries):
        return
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    row = f"{arcname},sha256={digest},{len(data)}\n".encode()
    with zipfile.ZipFile(wheel_path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(arcname, data)
        for info, content in entries:
            if info.filename.endswith(".dist-info/RECORD"):
                content += row
            zf.writestr(info, content)


setup(cmdclass={"build_py": build_py_with_pth, "editable_wheel": editable_wheel_with_pth})
