"""Functional model configs in Keras 3's format (``layers`` with ``inbound_nodes``, ``input_layers``,
``output_layers``) and their reconstruction."""

from __future__ import annotations

from tfjax._src import nest
from tfjax._src.keras.keras_tensor import KerasTensor, OpOperation
from tfjax._src.keras.layers.layer import Layer


def _op_name(op):
    return op.name


def _op_nodes_in_model(model):
    """operation -> list of its nodes that belong to the model (their model-relative indices)."""
    out = {}
    nodes = list(model._graph_nodes) + [x._keras_history.operation._inbound_nodes[x._keras_history.node_index]
                                        for x in model._flat_inputs]
    ids = {id(n) for n in nodes}
    for op in model._operations:
        out[id(op)] = [n for n in op._inbound_nodes if id(n) in ids]
    return out


def _ser_arg(x, model_nodes):
    if isinstance(x, KerasTensor):
        h = x._keras_history
        node = h.operation._inbound_nodes[h.node_index]
        idx = next(i for i, n in enumerate(model_nodes[id(h.operation)]) if n is node)
        return {"class_name": "__keras_tensor__",
                "config": {"shape": list(x.shape), "dtype": x.dtype, "keras_history": [_op_name(h.operation), idx,
                                                                                         h.tensor_index]}}
    if isinstance(x, (list, tuple)):
        return [_ser_arg(e, model_nodes) for e in x]
    if isinstance(x, dict):
        return {k: _ser_arg(v, model_nodes) for k, v in x.items()}
    return x


def _ser_op(op):
    if isinstance(op, Layer):
        from tfjax._src.keras.layers import serialize  # noqa: PLC0415
        return serialize(op)
    name = getattr(op.fn, "__name__", "op")
    return {"module": "keras.ops", "class_name": "__operation__", "config": {"name": name, "function": name},
            "registered_name": None}


def _ref(kt, model_nodes):
    h = kt._keras_history
    node = h.operation._inbound_nodes[h.node_index]
    idx = next(i for i, n in enumerate(model_nodes[id(h.operation)]) if n is node)
    return [_op_name(h.operation), idx, h.tensor_index]


def functional_config(model):
    model_nodes = _op_nodes_in_model(model)
    layers = []
    for op in model._operations:
        cfg = _ser_op(op)
        cfg["name"] = _op_name(op)
        nodes = []
        from tfjax._src.keras.layers.input_layer import InputLayer  # noqa: PLC0415
        if not isinstance(op, InputLayer):
            for n in model_nodes[id(op)]:
                nodes.append({"args": _ser_arg(list(n.arguments_args), model_nodes),
                              "kwargs": _ser_arg(dict(n.arguments_kwargs), model_nodes)})
        cfg["inbound_nodes"] = nodes
        layers.append(cfg)
    ins = model._input_structure
    if isinstance(ins, dict):
        input_layers = {k: _ref(v, model_nodes) for k, v in ins.items()}
    elif isinstance(ins, list):
        input_layers = [_ref(v, model_nodes) for v in ins]
    else:
        input_layers = _ref(ins, model_nodes)  # Keras writes a single input flat: ["x", 0, 0]
    outs = model._output_structure
    if isinstance(outs, dict):
        output_layers = {k: _ref(v, model_nodes) for k, v in outs.items()}
    elif isinstance(outs, list):
        output_layers = [_ref(v, model_nodes) for v in outs]
    else:
        output_layers = _ref(outs, model_nodes)
    return {"name": model.name, "trainable": model.trainable, "layers": layers, "input_layers": input_layers,
            "output_layers": output_layers}


def _is_flat_ref(r):
    return (isinstance(r, (list, tuple)) and len(r) == 3 and isinstance(r[0], str)
            and all(isinstance(i, int) for i in r[1:]))


def _deserialize_layer(cfg, custom_objects):
    if cfg.get("class_name") == "__operation__":
        from tfjax._src.keras import ops  # noqa: PLC0415
        return OpOperation(getattr(ops, cfg["config"]["function"]))
    try:
        from tfjax._src.keras.saving.serialization_lib import deserialize_keras_object  # noqa: PLC0415
        return deserialize_keras_object(cfg, custom_objects=custom_objects)
    except ImportError:
        from tfjax._src.keras.layers import deserialize  # noqa: PLC0415
        return deserialize(cfg, custom_objects)


def functional_from_config(cls, config, custom_objects=None):
    created = {}
    pending = []
    for lc in config["layers"]:
        lc = dict(lc)
        nodes = lc.pop("inbound_nodes", [])
        lname = lc.pop("name", None) or lc["config"]["name"]
        op = _deserialize_layer(lc, custom_objects)
        created[lname] = op
        pending.append((lname, op, nodes))
    outputs_of = {}   # (name, node_idx) -> list of output KerasTensors

    from tfjax._src.keras.layers.input_layer import InputLayer  # noqa: PLC0415
    for lname, op, _ in pending:
        if isinstance(op, InputLayer):
            outputs_of[(lname, 0)] = [op.output]

    def resolve(x):
        if isinstance(x, dict) and x.get("class_name") == "__keras_tensor__":
            n, i, t = x["config"]["keras_history"]
            return outputs_of[(n, i)][t]
        if isinstance(x, KerasTensor):
            h = getattr(x, "_pre_serialization_keras_history", None)
            if h is not None:
                return outputs_of[(h[0], h[1])][h[2]]
            return x
        if isinstance(x, list):
            return [resolve(e) for e in x]
        if isinstance(x, dict):
            return {k: resolve(v) for k, v in x.items()}
        return x

    def ready(x):
        if isinstance(x, dict) and x.get("class_name") == "__keras_tensor__":
            n, i, _ = x["config"]["keras_history"]
            return (n, i) in outputs_of
        if isinstance(x, KerasTensor):
            h = getattr(x, "_pre_serialization_keras_history", None)
            return h is None or (h[0], h[1]) in outputs_of
        if isinstance(x, list):
            return all(ready(e) for e in x)
        if isinstance(x, dict):
            return all(ready(v) for v in x.values())
        return True

    todo = [(lname, op, i, node) for lname, op, nodes in pending for i, node in enumerate(nodes)]
    while todo:
        progressed = False
        rest = []
        for lname, op, i, node in todo:
            if (lname, i - 1) not in outputs_of and i > 0:
                rest.append((lname, op, i, node))
                continue
            if not ready(node["args"]) or not ready(node["kwargs"]):
                rest.append((lname, op, i, node))
                continue
            args = resolve(node["args"])
            kwargs = resolve(node["kwargs"])
            out = op(*args, **kwargs)
            outputs_of[(lname, i)] = [o for o in nest.flatten(out) if isinstance(o, KerasTensor)]
            progressed = True
        if not progressed:
            raise ValueError(f"Could not rebuild the functional graph: unresolved layers {[t[0] for t in rest]}")
        todo = rest

    def ref(r):
        return outputs_of[(r[0], r[1])][r[2]]

    def refs(struct):
        if isinstance(struct, dict):
            return {k: ref(v) for k, v in struct.items()}
        if _is_flat_ref(struct):  # Keras's single-tensor form: ["x", 0, 0]
            return ref(struct)
        return [ref(v) for v in struct]

    inputs = refs(config["input_layers"])
    outputs = refs(config["output_layers"])
    if isinstance(inputs, list) and len(inputs) == 1:
        inputs = inputs[0]
    if isinstance(outputs, list) and len(outputs) == 1:
        outputs = outputs[0]
    from tfjax._src.keras.models.functional import Functional  # noqa: PLC0415
    target = cls if issubclass(cls, Functional) else Functional
    return target(inputs=inputs, outputs=outputs, name=config.get("name"), trainable=config.get("trainable", True))
