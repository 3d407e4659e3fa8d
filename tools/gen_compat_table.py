"""Generates docs/compatibility.md (every public TF symbol tfjax covers) from the code and the tests.

Part 1, the op surface:

* What exists: walks tfjax's public namespaces (top level via ``tfjax._src.api_ops`` and
  ``tfjax/__init__.py``; ``tf.math``, ``tf.linalg``, ``tf.nn``, ``tf.random``, ``tf.image``,
  ``tf.debugging``, ``tf.bitwise``, ``tf.dtypes``, ``tf.errors``, ``tf.experimental.numpy``).
* What TF has: the same namespaces of real TensorFlow, when it is importable (the oracle).
* What is tested: every ``tf.<name>`` a differential test in ``compat_tests/ops`` calls, and the
  rows of ``compat_tests/ops/_table.py`` (hypothesis examples per row).

Status: **supported** (implemented and exercised by a differential test against TF),
**partial** (implemented, with a documented limitation, or not yet exercised differentially),
**not supported** (in TF, absent from tfjax: calling it raises a clear ``UnsupportedError``).

Part 2, the rest of the public API (``API_NAMESPACES``: the rest of ``tf.*``, ``tf.keras.*``,
``tf.data`` and ``tf.data.Dataset`` methods, ``tf.io``, ``tf.distribute``, ...): for every public
name of the real TF module (``dir()``; for ``tf.keras`` the ``tensorflow.keras`` module) that is
not a submodule, the status is **supported** if tfjax has it (``getattr`` on the tfjax module) and
some file under ``tests/`` or ``compat_tests/`` references the name (``.Name`` or ``Name(``),
**partial** if it exists but no test references it or ``API_NOTES`` records a known limitation,
and **not supported** if absent. Public names tfjax has and TF lacks are listed as extras.

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


def render(rows, api=None):
    from collections import Counter
    tot = Counter(r[2] for r in rows)
    cases = sum(r[3] for r in rows)
    api = api or {}
    out = ["# Compatibility with TensorFlow 2.21", "",
           "Part 1 (the op surface) comes first, then every other public namespace tfjax implements. "
           "Per-section totals:", ""] + render_totals(rows, api) + ["# The op surface", "",
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
    if api:
        out += ["# The rest of the public API", "",
                "For each public name of TF 2.21's module (`dir()`, submodules excluded; `tf.keras` is "
                "`tensorflow.keras`). *supported*: tfjax has it and a file under `tests/` or "
                "`compat_tests/` references the name (`.Name`, `Name(` or an import). *partial*: present "
                "but not referenced by any test, or with the noted limitation. *not supported*: absent.", ""]
        out += render_api(api)
    return "\n".join(out).rstrip() + "\n"


# ---------------------------------------------------------------------------------------------
# Part 2: every other public namespace (existence from getattr, coverage from grepping the tests)
# ---------------------------------------------------------------------------------------------

TEST_DIRS = [ROOT / "tests", ROOT / "compat_tests"]

# (path under tf, or "" for the top level; "data.Dataset" is the class's methods)
API_NAMESPACES = [
    "", "keras", "keras.layers", "keras.models", "keras.losses", "keras.metrics", "keras.optimizers",
    "keras.optimizers.schedules", "keras.callbacks", "keras.activations", "keras.initializers",
    "keras.regularizers", "keras.constraints", "keras.applications", "keras.utils",
    "keras.preprocessing", "keras.preprocessing.image", "keras.preprocessing.sequence",
    "keras.preprocessing.text", "keras.datasets", "keras.mixed_precision", "keras.backend", "keras.ops",
    "keras.ops.image", "keras.ops.linalg", "keras.ops.nn", "keras.ops.numpy",
    "keras.config", "keras.saving", "data", "data.Dataset", "data.experimental", "io", "io.gfile",
    "strings", "sparse", "ragged", "train", "saved_model", "lite", "config", "config.experimental", "distribute",
    "distribute.experimental", "distribute.cluster_resolver", "summary", "nest", "test",
    "tpu.experimental", "signal", "math.special", "autodiff", "lookup", "lookup.experimental", "sets",
    "initializers", "version", "compat",
]

_DIFF, _SAV, _DIST, _KER = ("docs/differences.md", "docs/saving.md", "docs/distribute.md", "docs/keras.md")
_STRATEGY = f"equal per-replica shards only (uneven batches not supported); {_DIST}"
# Known limitations of implemented symbols, keyed by their path under tf (shown as "partial").
API_NOTES = {
    "gradients": f"eagerly raises TF's RuntimeError; inside tf.function raises UnsupportedError "
                 f"(no symbolic graph): use tf.GradientTape; {_DIFF}",
    "RaggedTensor": f"ops that read the partition need concrete row splits; no merge_dims, "
                    f"from_uniform_row_length partitions only from a few factories; {_DIFF}",
    "IndexedSlices": f"the tape never produces it (dense gradients); optimizers densify it; {_DIFF}",
    "GradientTape": f"gradients of gathers are dense Tensors, not IndexedSlices; {_DIFF}",
    "function": f"None dims in input_signature compile once per concrete shape; Python control flow "
                f"AutoGraph-lite cannot convert runs that signature eagerly; no .graph/.function_def; {_DIFF}",
    "cond": f"assigning variables inside branches under tf.function raises NotImplementedError; {_DIFF}",
    "while_loop": f"no variable assignment in the body under tf.function; gradients without "
                  f"maximum_iterations recompute (O(n^2)); {_DIFF}",
    "custom_gradient": f"keyword arguments to the decorated function are not supported; {_DIFF}",
    "keras.layers.TextVectorization": f"runs on the host, so a string model input makes fit's step run "
                                      f"eagerly; {_DIFF}",
    "keras.ops.while_loop": f"traced without maximum_iterations, gradients recompute the loop (O(n^2)), as "
                            f"tf.while_loop; {_KER}",
    "saved_model.save": f"needs TensorFlow installed (tfjax[export]); directory not written atomically; {_SAV}",
    "saved_model.load": f"SavedModels not exported by tfjax need TensorFlow; {_SAV}",
    "lite.TFLiteConverter": f"runs TensorFlow's converter (needs TensorFlow); representative_dataset "
                            f"quantization not supported; {_SAV}",
    "lite.Interpreter": f"TensorFlow's own interpreter (needs TensorFlow); {_SAV}",
    "distribute.MirroredStrategy": _STRATEGY,
    "distribute.TPUStrategy": _STRATEGY,
    "distribute.MultiWorkerMirroredStrategy": f"must be created before anything touches a device; {_STRATEGY}",
}


EXPAND = {"keras.datasets"}   # namespaces made only of submodules: list each submodule's names


def _tf_module(tf_real, path):
    if path == "keras" or path.startswith("keras."):
        return _resolve(tf_real.keras, "tensorflow.keras", path[len("keras."):])
    return _resolve(tf_real, "tensorflow", path)


def expand_paths(tf_real):
    out = []
    for path in API_NAMESPACES:
        if path in EXPAND:
            mod = _tf_module(tf_real, path)
            out += [f"{path}.{n}" for n in sorted(dir(mod))
                    if not n.startswith("_") and isinstance(getattr(mod, n), types.ModuleType)]
        else:
            out.append(path)
    return out


def _resolve(root, pkg, path):
    """The module (or class) at ``path`` under ``root``: attribute chain, else an import."""
    obj = root
    try:
        for part in filter(None, path.split(".")):
            obj = getattr(obj, part)
        return obj
    except AttributeError:
        return importlib.import_module(f"{pkg}.{path}")


def _is_public(obj_owner, n):
    if n.startswith("_"):
        return False
    try:
        return not isinstance(getattr(obj_owner, n), types.ModuleType)
    except Exception:  # noqa: BLE001 - a lazy attribute that fails to load is still a name
        return True


def test_tokens():
    """Every ``.name``, ``name(``, ``from x import name`` and quoted ``"name"`` in the test sources
    (tests parametrized by name call ``getattr(module, name)``)."""
    toks = set()
    for d in TEST_DIRS:
        for f in sorted(d.rglob("*.py")):
            text = f.read_text(errors="replace")
            toks.update(re.findall(r"\.([A-Za-z_]\w*)", text))
            toks.update(re.findall(r"\b([A-Za-z_]\w*)\s*\(", text))
            toks.update(re.findall(r"[\"']([A-Za-z_]\w*)[\"']", text))
            for imp in re.findall(r"^\s*from\s+\S+\s+import\s+\(?([\w ,]+)", text, re.M):
                toks.update(x.split(" as ")[0].strip() for x in imp.split(","))
    return toks


def _own(obj):
    """A tfjax object (not ``__future__.annotations`` or a re-imported third-party helper)."""
    mod = getattr(obj, "__module__", None) or type(obj).__module__
    return mod.startswith("tfjax")


def _has(mod, name):
    try:
        return True, getattr(mod, name)
    except Exception:  # noqa: BLE001 - absent (AttributeError) or failing to load
        return False, None


def api_section(path, tf_real, tfx, tokens, skip):
    """Rows (name, status, note), tfjax-only extras and an import error for one namespace."""
    tf_mod = _tf_module(tf_real, path)
    tf_names = sorted(n for n in dir(tf_mod) if _is_public(tf_mod, n) and f"{path}.{n}".lstrip(".") not in skip)
    try:
        fx_mod, error = _resolve(tfx, "tfjax", path), ""
    except Exception as e:  # noqa: BLE001
        fx_mod, error = None, f"{type(e).__name__}: {e}"
    rows = []
    for n in tf_names:
        full = f"{path}.{n}".lstrip(".")
        present, obj = _has(fx_mod, n) if fx_mod is not None else (False, None)
        rows.append((full, *_api_status(full, n, present, obj, tokens)))
    if fx_mod is not None and tf_names and not any(status != "not supported" for _, status, _ in rows):
        error = _why_empty(fx_mod, tf_names[0])
    extras = []
    if fx_mod is not None and path:
        tf_set = set(dir(tf_mod))
        extras = sorted(n for n in dir(fx_mod) if n not in tf_set and _is_public(fx_mod, n)
                        and _own(getattr(fx_mod, n, None)))
    return rows, extras, error


def _why_empty(mod, name):
    """Why a tfjax module that imports has none of TF's names (e.g. its lazy source is missing)."""
    try:
        getattr(mod, name)
        return ""
    except Exception as e:  # noqa: BLE001
        return f"`{mod.__name__}` imports but is empty: {type(e).__name__}: {e}"


def _api_status(full, name, present, obj, tokens):
    if not present:
        return "not supported", ""
    note = API_NOTES.get(full, "")
    constant = not callable(obj) or isinstance(obj, type) and issubclass(obj, BaseException)
    if note:
        return "partial", note
    if constant or name in tokens:
        return "supported", ""
    return "partial", "not covered by a test"


def build_api(op_rows):
    """{path: (rows, extras, error)} for ``API_NAMESPACES`` (empty without real TensorFlow)."""
    try:
        import tensorflow as tf_real
    except Exception:  # noqa: BLE001
        return {}
    import tfjax
    tokens = test_tokens()
    skip = {r[1] for r in op_rows}          # already listed in part 1
    return {path: api_section(path, tf_real, tfjax, tokens, skip) for path in expand_paths(tf_real)}


def render_api(api):
    out = []
    for path, (rows, extras, error) in api.items():
        title = "tf (top level, everything else)" if not path else f"tf.{path}"
        out += [f"## {title}", ""]
        if error:
            out += [f"Not provided by tfjax: {error}", ""]
        out += ["| symbol | status | notes |", "|---|---|---|"]
        out += [f"| `tf.{name}` | {status} | {note} |" for name, status, note in rows]
        out.append("")
        if extras:
            out += ["tfjax-only extras: " + ", ".join(f"`{e}`" for e in extras), ""]
    return out


def render_totals(op_rows, api):
    """The per-section and overall totals table at the top."""
    from collections import Counter
    sections = defaultdict(Counter)
    for r in op_rows:
        sections["tf (top level, op layer)" if r[0] == "tf" else f"tf.{r[0]}"][r[2]] += 1
    for path, (rows, _, _) in api.items():
        for _, status, _ in rows:
            sections["tf (top level, everything else)" if not path else f"tf.{path}"][status] += 1
    overall = sum(sections.values(), Counter())
    out = ["| section | supported | partial | not supported |", "|---|---:|---:|---:|"]
    for name, c in [("**overall**", overall)] + list(sections.items()):
        out.append(f"| {name} | {c['supported']} | {c['partial']} | {c['not supported']} |")
    return out + [""]


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--check", action="store_true")
    args = p.parse_args(argv)
    rows = build()
    text = render(rows, build_api(rows))
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
