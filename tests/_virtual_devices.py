"""Test helpers: run checks in fresh interpreters with N virtual CPU devices.

Shared by tests/config, tests/distribute and compat_tests/distribute.

The pytest worker's JAX may already be initialised with one CPU device, and the
device count is fixed once the backend starts, so every multi-device check runs
in a subprocess with ``XLA_FLAGS=--xla_force_host_platform_device_count=N``.
"""

import json
import os
import subprocess
import sys
import textwrap

import tfjax

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(tfjax.__file__)))


def child_env(devices=8, **extra):
    env = dict(os.environ)
    env.pop("TF_CONFIG", None)
    env.pop("JAX_PLATFORMS", None)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (REPO_ROOT, env.get("PYTHONPATH")) if p)
    flags = [f for f in env.get("XLA_FLAGS", "").split() if "xla_force_host_platform_device_count" not in f]
    if devices:
        flags.append(f"--xla_force_host_platform_device_count={devices}")
    env["XLA_FLAGS"] = " ".join(flags)
    env["TF_CPP_MIN_LOG_LEVEL"] = "3"
    env.update(extra)
    return env


def run_script(path, *args, devices=8, timeout=240, **env):
    proc = subprocess.run([sys.executable, path, *map(str, args)], env=child_env(devices, **env),
                          capture_output=True, text=True, timeout=timeout, cwd=REPO_ROOT)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc


def run_code(code, devices=8, timeout=240, **env):
    proc = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], env=child_env(devices, **env),
                          capture_output=True, text=True, timeout=timeout, cwd=REPO_ROOT)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc


def last_json(proc):
    for line in reversed(proc.stdout.splitlines()):
        line = line.strip()
        if line.startswith("{"):
            return json.loads(line)
    raise AssertionError("no JSON output:\n" + proc.stdout + proc.stderr)
