"""Generates docs/compatibility.md for the op surface from the code and the tests.

* What exists: walks tfjax's public namespaces (top level via ``tfjax._src.api_ops`` and
  ``tfjax/__init__.py``; ``tf.math``, ``tf.linalg``, ``tf.nn``, ``tf.random``, ``tf.image``,
  ``tf.debugging``, ``tf.bitwise``, ``tf.dtypes``, ``tf.errors``, ``tf.experimental.numpy``).
* What TF has: the same namespaces of real TensorFlow, when it is importable (the oracle).
* What is tested: every ``tf.<name>`` a differential test in ``compat_tests/ops`` calls, and the
  rows of ``compat_tests/ops/_table.py`` (hypothesis examples per row).

Status: **supported** (implemented and exercised by a differential test against TF),
**partial** (implemented, with a documented limitation, or not yet exercised differentially),
**not supported** (in TF, absent from tfjax: calling it raises a clear ``UnsupportedError``).

    python tools/gen_compat_table.py            # writes docs/compatibility.md
    python tools/gen_compat_table.py --check    # exit 1 if the file is stale
"""

from __future__ import annotations

import argparse
import importlib
import os
import re
import sys
import types
from collections import defaultdict
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
TESTS = ROOT / "compat_tests" / "ops"
OUT = ROOT / "docs" / "compatibility.md"

NAMESPACES = ["math", "linalg", "nn", "random", "random.experimental", "image", "debugging", "bitwise",
              "dtypes", "errors", "experimental.numpy"]

# Known limitations of implemented symbols (shown as "partial" with the note).
NOTES = {
    "boolean_mask": "output shape depends on values: eager, or tf.function falls back to eager",
    "where": "1-argument form (coordinates) is eager-only (data-dependent shape)",
    "unique": "eager only (data-dependent shape)",
    "unique_with_counts": "eager only (data-dependent shape)",
    "dynamic_partition": "eager only (data-dependent shape)",
    "math.segment_sum": "segment ids must be concrete (output size); use unsorted_* under tf.function",
    "math.bincount": "axis=None/0/-1; under tf.function needs minlength/maxlength",
    "image.resize": "gaussian / mitchellcubic kernels not supported",
    "linalg.diag": "single diagonal k only (no k=(lo, hi) bands)",
    "linalg.diag_part": "single diagonal k only",
    "linalg.sqrtm": "unbatched only",
    "nn.embedding_lookup": "a single table (or a list of one)",
    "random.uniform": "TF semantics on JAX threefry keys; values differ from TF's Philox",
    "random.normal": "TF semantics on JAX threefry keys; values differ from TF's Philox",
    "random.Generator": "state is tfjax's own key data (not Philox counters)",
    "debugging.assert_equal": "data-dependent checks are skipped on symbolic tensors inside tf.function",
    "debugging.enable_check_numerics": "raises UnsupportedError",
    "experimental.numpy": "basic subset",
    "print": "output_stream: sys.stdout/sys.stderr, 'file://' paths, logging callables",
}


def public_names(mod):
    return sorted(n for n in vars(mod) if not n.startswith("_") and not isinstance(vars(mod)[n], types.ModuleType))


def tfjax_symbols():
    import tfjax
    from tfjax._src import api_ops
    syms = {}
    for n in set(api_ops.__all__) | {n for n in vars(tfjax) if not n.startswith("_")}:
        obj = vars(tfjax).get(n, getattr(api_ops, n, None))
        if obj is None or isinstance(obj, types.ModuleType) or n in _NOT_OPS:
            continue
        mod = getattr(obj, "__module__", "") or ""
        if n in api_ops.__all__ or (mod.startswith("tfjax._src.ops.") and not mod.endswith(
                ("control_flow", "tensor_array"))):
            syms[n] = obj
    for ns in NAMESPACES:
        mod = importlib.import_module(f"tfjax.{ns}")
        for n in public_names(mod):
            syms[f"{ns}.{n}"] = getattr(mod, n)
    return syms


def tf_symbols():
    try:
        import tensorflow as tf_real
    except Exception:  # noqa: BLE001
        return None
    out = set()
    from tfjax._src import api_ops
    top_like = set(api_ops.__all__)
    for n in dir(tf_real):
        if n.startswith("_"):
            continue
        obj = getattr(tf_real, n)
        if callable(obj) and not isinstance(obj, types.ModuleType) and (n[0].islower() or n == "Assert"):
            # only the op-layer part of tf.* (what api_ops could own)
            if n in top_like or _is_op_like(n):
                out.add(n)
    for ns in NAMESPACES:
        mod = tf_real
        for part in ns.split("."):
            mod = getattr(mod, part)
        for n in dir(mod):
            if n.startswith("_") or isinstance(getattr(mod, n), types.ModuleType):
                continue
            out.add(f"{ns}.{n}")
    return out


_NOT_OPS = {"function", "cond", "case", "switch_case", "while_loop", "map_fn", "scan", "foldl", "foldr",
            "vectorized_map", "custom_gradient", "constant", "convert_to_tensor", "init_scope", "device",
            "executing_eagerly", "inside_function", "py_function", "numpy_function", "gradients", "hessians",
            "group", "tuple", "no_op", "control_dependencies", "load_library", "load_op_library", "import_graph_def",
            "get_logger", "variable_creator_scope", "register_tensor_conversion_function", "make_ndarray",
            "make_tensor_proto", "recompute_grad", "grad_pass_through", "no_gradient", "type_spec_from_value",
            "is_symbolic_tensor", "is_tensor", "as_dtype", "nondifferentiable_batch_function", "check_pinned",
            "timestamp", "constant_initializer", "ones_initializer", "zeros_initializer",
            "random_normal_initializer", "random_uniform_initializer", "as_string", "guarantee_const"}


def _is_op_like(n):
    return n not in _NOT_OPS


def tested_symbols():
    """symbol -> number of differential cases exercising it (table rows count their examples)."""
    counts = defaultdict(int)
    sys.path.insert(0, str(TESTS))
    sys.path.insert(0, str(TESTS.parent))
    try:
        from _table import ROWS
        for r in ROWS:
            counts[r.api] += r.examples
    except Exception as e:  # noqa: BLE001
        print(f"warning: could not import the op table: {e}", file=sys.stderr)
    pat = re.compile(r"\btf\.((?:[a-z_]+\.)*[A-Za-z_][A-Za-z0-9_]*)")
    for f in sorted(TESTS.glob("test_*.py")) + [TESTS / "_table.py"]:
        for line in f.read_text().splitlines():
            for m in set(pat.findall(line)):
                if m in ("constant", "float32", "float64", "int32", "int64", "GradientTape", "Variable", "function"):
                    continue
                counts[m] += 1
    return counts


def _lookup(counts, name):
    n = counts.get(name, 0)
    if "." in name:
        n += counts.get(name.split(".", 1)[1], 0) if name.split(".")[0] in ("math",) else 0
    return n


def build():
    syms = tfjax_symbols()
    tf_syms = tf_symbols()
    counts = tested_symbols()
    rows = []
    names = set(syms)
    if tf_syms is not None:
        names |= tf_syms
    for name in sorted(names, key=lambda s: (s.count("."), s.split(".")[0] if "." in s else "", s)):
        ns = name.rsplit(".", 1)[0] if "." in name else "tf"
        if name not in syms:
            rows.append((ns, name, "not supported", 0, ""))
            continue
        obj = syms[name]
        # a symbol is tested if its own name or another name of the same object is exercised
        aliases = [k for k, v in syms.items() if v is obj]
        cases = sum(counts.get(a, 0) for a in aliases)
        note = next((NOTES[a] for a in aliases if a in NOTES), "")
        if ns == "experimental.numpy":
            note = note or NOTES["experimental.numpy"]
        if isinstance(obj, type) and issubclass(obj, BaseException) or not callable(obj):
            status = "supported"   # dtypes, constants, exception classes
        elif cases and not note:
            status = "supported"
        else:
            status = "partial"
            if not cases:
                note = (note + "; " if note else "") + "no differential test yet"
        rows.append((ns, name, status, cases, note))
    return rows


def render(rows):
    from collections import Counter
    tot = Counter(r[2] for r in rows)
    cases = sum(r[3] for r in rows)
    out = ["# Compatibility: the op surface", "",
           "Generated by `python tools/gen_compat_table.py` from the public tfjax namespaces, TF 2.21's "
           "namespaces and the differential tests in `compat_tests/ops` (run with "
           "`pytest compat_tests/ops -n 2`). Do not edit by hand.", "",
           "*supported*: implemented and checked against real TensorFlow (values, dtypes, shapes, "
           "exception classes; gradients for differentiable ops). *partial*: implemented with the noted "
           "limitation, or not yet covered by a differential test. *not supported*: absent; calling it "
           "raises a clear `UnsupportedError`/`AttributeError` naming the symbol.", "",
           f"Totals: {tot['supported']} supported, {tot['partial']} partial, {tot['not supported']} not "
           f"supported; {cases} differential cases reference these symbols (table rows count their "
           "hypothesis examples).", ""]
    by_ns = defaultdict(list)
    for r in rows:
        by_ns[r[0]].append(r)
    order = ["tf"] + NAMESPACES
    for ns in order:
        if ns not in by_ns:
            continue
        title = "tf (top level, op layer)" if ns == "tf" else f"tf.{ns}"
        out += [f"## {title}", "", "| symbol | status | cases | notes |", "|---|---|---:|---|"]
        for _, name, status, n, note in by_ns[ns]:
            out.append(f"| `tf.{name}` | {status} | {n or ''} | {note} |")
        out.append("")
    return "\n".join(out).rstrip() + "\n"


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--check", action="store_true")
    args = p.parse_args(argv)
    text = render(build())
    if args.check:
        if not OUT.exists() or OUT.read_text() != text:
            print("docs/compatibility.md is stale; run python tools/gen_compat_table.py")
            return 1
        return 0
    OUT.write_text(text)
    print(f"wrote {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
