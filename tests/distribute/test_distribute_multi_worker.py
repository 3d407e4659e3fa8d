"""MultiWorkerMirroredStrategy: two processes on loopback (127.0.0.1) with TF_CONFIG."""

import json
import os
import socket
import subprocess
import sys
import time

import os as _os
import sys as _sys

_sys.path.insert(0, _os.path.dirname(_os.path.dirname(_os.path.abspath(__file__))))
from _virtual_devices import child_env  # noqa: E402

HERE = _os.path.dirname(_os.path.abspath(__file__))

SCRIPT = os.path.join(HERE, "_multiworker.py")


def _free_ports(n):
    socks, ports = [], []
    for _ in range(n):
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        socks.append(s)
        ports.append(s.getsockname()[1])
    for s in socks:
        s.close()
    return ports


def _start(tmp_path, steps, devices_per_process=2):
    ports = _free_ports(2)
    cluster = {"worker": [f"127.0.0.1:{p}" for p in ports]}
    procs = []
    for i in range(2):
        env = child_env(devices_per_process,
                        TF_CONFIG=json.dumps({"cluster": cluster, "task": {"type": "worker", "index": i}}),
                        TFJAX_DIST_INIT_TIMEOUT="30", TFJAX_DIST_HEARTBEAT_TIMEOUT="10")
        procs.append(subprocess.Popen(
            [sys.executable, "-u", SCRIPT, str(tmp_path / f"w{i}.json"), str(steps)], env=env,
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True))
    return procs


def test_two_workers_train_in_step(tmp_path):
    procs = _start(tmp_path, steps=4)
    outs = []
    for p in procs:
        out, _ = p.communicate(timeout=120)
        outs.append(out)
    for p, out in zip(procs, outs):
        assert p.returncode == 0, out
    r = [json.loads((tmp_path / f"w{i}.json").read_text()) for i in range(2)]
    assert [x["process"] for x in r] == [0, 1]
    assert all(x["processes"] == 2 and x["replicas"] == 4 for x in r)
    assert r[0]["w"] == r[1]["w"]                       # identical weights on both workers
    assert r[0]["losses"] == r[1]["losses"]
    for a, b in zip(r[0]["w"], r[0]["ref"]):            # and equal to single-process training
        assert abs(a[0] - b[0]) < 1e-5


def test_killed_peer_gives_clear_error_quickly(tmp_path):
    procs = _start(tmp_path, steps=-1)
    survivor, victim = procs
    try:
        # Wait until both train in step.
        deadline = time.time() + 90
        seen = ""
        while time.time() < deadline:
            line = survivor.stdout.readline()
            seen += line
            if line.startswith("step 3"):
                break
            assert survivor.poll() is None, seen
        else:
            raise AssertionError("workers did not start training:\n" + seen)
        victim.kill()
        t0 = time.time()
        try:
            out, _ = survivor.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            survivor.kill()
            raise AssertionError("the surviving worker hung after its peer died") from None
        elapsed = time.time() - t0
        out = seen + out
        assert survivor.returncode != 0, out
        assert elapsed < 60
        markers = ("Connection closed by peer", "another task died", "heartbeat", "peer worker is unreachable",
                   "UNAVAILABLE", "Unavailable")
        assert any(m in out for m in markers), out[-3000:]
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()
            p.communicate()
