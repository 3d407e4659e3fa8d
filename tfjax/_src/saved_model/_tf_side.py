"""The half of export that needs real TensorFlow (run in-process, or in a child interpreter).

It only consumes plain data written by tfjax (``<dir>/tfjax/``: variables and
``jax.export`` programs), so it never needs the tfjax objects themselves.
"""

from __future__ import annotations

import json
import sys


def module_from_artifacts(tf, art):
    """A ``tf.Module`` holding the variables, with one ``tf.function`` per signature (via ``jax2tf``)."""
    from jax import export as jexport
    from jax.experimental import jax2tf

    module = tf.Module()
    module.tfjax_variables = [
        tf.Variable(v["value"], trainable=v["trainable"], name=v["name"].replace("/", "_").replace(":", "_"))
        for v in art["variables"]]
    funcs = {}
    for key, sig in art["signatures"].items():
        exported = jexport.deserialize(bytearray(sig["exported"]))
        polys = [None]
        specs = []
        for i, inp in enumerate(sig["inputs"]):
            dims = []
            for j, d in enumerate(inp["shape"]):
                dims.append(("b" if j == 0 else f"d{i}_{j}") if d is None else str(int(d)))
            polys.append("(" + ", ".join(dims) + ("," if len(dims) == 1 else "") + ")" if dims else "()")
            specs.append(tf.TensorSpec(inp["shape"], tf.as_dtype(inp["dtype"]), name=inp["name"]))
        converted = jax2tf.convert(exported.call, polymorphic_shapes=polys, with_gradient=False)
        funcs[key] = _make_function(tf, module, converted, specs)
    for i, (key, f) in enumerate(funcs.items()):
        setattr(module, f"signature_{i}", f)
    if "serving_default" in funcs:
        module.serve = funcs["serving_default"]
    return module, funcs


def _make_function(tf, module, converted, specs):
    @tf.function(input_signature=specs, autograph=False)
    def serve(*args):
        return converted(list(module.tfjax_variables), *args)

    return serve


def save(export_dir):
    import tensorflow as tf

    from tfjax._src.saved_model import _read_sidecar
    art = _read_sidecar(export_dir)
    module, funcs = module_from_artifacts(tf, art)
    tf.saved_model.save(module, export_dir, signatures=dict(funcs))


def tflite(saved_model_dir, out_path, options_json):
    import tensorflow as tf

    opts = json.loads(options_json)
    conv = tf.lite.TFLiteConverter.from_saved_model(saved_model_dir, signature_keys=opts.get("signature_keys"),
                                                    tags=opts.get("tags"))
    conv.optimizations = {getattr(tf.lite.Optimize, o) for o in opts.get("optimizations", [])}
    conv.target_spec.supported_ops = {getattr(tf.lite.OpsSet, o) for o in opts.get("supported_ops", [])} or \
        {tf.lite.OpsSet.TFLITE_BUILTINS}
    if opts.get("supported_types"):
        conv.target_spec.supported_types = {tf.as_dtype(t) for t in opts["supported_types"]}
    conv.allow_custom_ops = bool(opts.get("allow_custom_ops", False))
    flat = conv.convert()
    with open(out_path, "wb") as f:
        f.write(flat)


def main(argv):
    cmd, rest = argv[0], argv[1:]
    if cmd == "save":
        save(*rest)
    elif cmd == "tflite":
        tflite(*rest)
    else:
        raise SystemExit(f"unknown command {cmd!r}")


if __name__ == "__main__":
    main(sys.argv[1:])
