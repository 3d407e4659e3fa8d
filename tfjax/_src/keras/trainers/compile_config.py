"""``model.get_compile_config()`` / ``compile_from_config`` (the saving engineer stores this dict)."""

from __future__ import annotations


def _ser(obj, module):
    if obj is None or isinstance(obj, (str, int, float, bool)):
        return obj
    if isinstance(obj, dict):
        return {k: _ser(v, module) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_ser(v, module) for v in obj]
    if hasattr(obj, "get_config"):
        return {"module": f"keras.{module}", "class_name": type(obj).__name__, "config": obj.get_config(),
                "registered_name": None}
    return getattr(obj, "__name__", str(obj))


def serialize_compile_config(cfg, optimizer):
    from tfjax._src.keras import optimizers  # noqa: PLC0415
    out = dict(cfg)
    out["optimizer"] = optimizers.serialize(optimizer) if hasattr(optimizer, "get_config") else cfg["optimizer"]
    out["loss"] = _ser(cfg["loss"], "losses")
    out["metrics"] = _ser(cfg["metrics"], "metrics")
    out["weighted_metrics"] = _ser(cfg["weighted_metrics"], "metrics")
    return out


def _de(obj, getter):
    if obj is None or isinstance(obj, (int, float, bool)):
        return obj
    if isinstance(obj, str):
        return obj
    if isinstance(obj, dict) and "class_name" in obj and "config" in obj:
        return getter(obj)
    if isinstance(obj, dict):
        return {k: _de(v, getter) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_de(v, getter) for v in obj]
    return obj


def deserialize_compile_config(config):
    from tfjax._src.keras import optimizers, losses, metrics  # noqa: PLC0415
    kw = dict(config)
    opt = kw.get("optimizer")
    if isinstance(opt, dict):
        kw["optimizer"] = optimizers.deserialize(opt)
    kw["loss"] = _de(kw.get("loss"), losses.deserialize)
    kw["metrics"] = _de(kw.get("metrics"), metrics.deserialize)
    kw["weighted_metrics"] = _de(kw.get("weighted_metrics"), metrics.deserialize)
    return {k: v for k, v in kw.items() if k in ("optimizer", "loss", "loss_weights", "metrics", "weighted_metrics",
                                                  "run_eagerly", "steps_per_execution", "jit_compile")}
