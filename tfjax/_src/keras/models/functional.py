"""Functional models: a graph of layer calls recorded on KerasTensors."""

from __future__ import annotations

import numpy as np

from tfjax._src import nest
from tfjax._src.tensor import Tensor
from tfjax._src.keras.keras_tensor import KerasTensor, OpOperation, get_mask, set_mask
from tfjax._src.keras.layers.layer import Layer
from tfjax._src.keras.layers.input_layer import InputLayer
from tfjax._src.keras.models.model import Model
from tfjax._src.keras.ops import core as C


def _build_graph(inputs, outputs):
    """Returns (nodes in execution order, operations ordered like Keras's ``model.layers``)."""
    flat_in = nest.flatten(inputs)
    flat_out = nest.flatten(outputs)
    input_ids = {id(x) for x in flat_in}
    order = []      # DFS post-order
    visited = set()

    def visit(node):
        if id(node) in visited:
            return
        visited.add(id(node))
        for x in node.input_tensors:
            if id(x) in input_ids:
                h = x._keras_history
                if h is not None:
                    visit(h.operation._inbound_nodes[h.node_index])
                continue
            h = x._keras_history
            if h is None:
                raise ValueError(f"Found unexpected KerasTensor without history: {x}")
            visit(h.operation._inbound_nodes[h.node_index])
        order.append(node)

    for x in flat_out:
        h = x._keras_history
        if h is None:
            raise ValueError(f"Output tensors of a Functional model must be the output of a Keras layer: {x}")
        visit(h.operation._inbound_nodes[h.node_index])
    for x in flat_in:
        h = x._keras_history
        if h is None or not isinstance(h.operation, InputLayer):
            raise ValueError(
                "When providing `inputs` as a list/dict/tensor, all values must be KerasTensors created by "
                f"keras.Input(). Received: {x}")
        visit(h.operation._inbound_nodes[h.node_index])
    # Check connectivity: every input of a non-input node must be computed.
    produced = {id(x) for x in flat_in}
    for n in order:
        if isinstance(n.operation, InputLayer):
            continue
        for x in n.input_tensors:
            if id(x) not in produced:
                raise ValueError(
                    f"Graph disconnected: cannot find parent for tensor {x} at layer '{n.operation.name}'. "
                    "The following previous layers were accessed without issue: "
                    f"{[m.operation.name for m in order if m is not n][:5]}")
        for o in n.outputs:
            produced.add(id(o))
    # depths (Keras ordering of model.layers)
    depth = {}
    for n in reversed(order):
        d = depth.setdefault(id(n), 0)
        for x in n.input_tensors:
            h = x._keras_history
            p = h.operation._inbound_nodes[h.node_index]
            depth[id(p)] = max(depth.get(id(p), 0), d + 1)
    op_depth = {}
    op_first = {}
    ops = {}
    for i, n in enumerate(order):
        op = n.operation
        ops[id(op)] = op
        op_depth[id(op)] = max(op_depth.get(id(op), 0), depth[id(n)])
        op_first.setdefault(id(op), i)
    ordered_ops = sorted(ops.values(), key=lambda o: (-op_depth[id(o)], op_first[id(o)]))
    # input layers first in the order of `inputs`
    exec_nodes = sorted(order, key=lambda n: (-depth[id(n)], order.index(n)))
    return exec_nodes, ordered_ops


class Functional(Model):
    """A model defined by ``Model(inputs, outputs)``."""

    def __init__(self, inputs, outputs, name=None, **kwargs):
        trainable = kwargs.pop("trainable", True)
        Model.__init__(self, name=name, trainable=trainable, _functional=True)
        self._init_graph(inputs, outputs)

    def _init_graph(self, inputs, outputs):
        if isinstance(inputs, dict):
            self._input_structure = dict(inputs)
        elif isinstance(inputs, (list, tuple)):
            self._input_structure = list(inputs)
        else:
            self._input_structure = inputs
        if isinstance(outputs, tuple):
            outputs = list(outputs)
        self._output_structure = outputs
        self._tracking_enabled_prev = True
        nodes, ops = _build_graph(self._input_structure, self._output_structure)
        self.__dict__["_graph_nodes"] = [n for n in nodes if not isinstance(n.operation, InputLayer)]
        self.__dict__["_operations"] = ops
        for op in ops:
            if isinstance(op, Layer):
                self._track(op)
        self._is_graph_network = True
        self.built = True
        flat_in = nest.flatten(self._input_structure)
        self.__dict__["_flat_inputs"] = flat_in
        self.__dict__["_flat_outputs"] = nest.flatten(self._output_structure)
        # Keras's Functional calls build(None), so its build_config is {"input_shape": None}: the graph,
        # not the build config, restores the model, and files written either way load in both.
        self._build_shapes_dict = {"input_shape": None}
        self.output_names = [x._keras_history.operation.name for x in self.__dict__["_flat_outputs"]]

    @property
    def layers(self):
        return [op for op in self._operations if isinstance(op, Layer)]

    @property
    def inputs(self):
        return list(self._flat_inputs)

    @property
    def outputs(self):
        return list(self._flat_outputs)

    @property
    def input(self):
        return self._input_structure

    @property
    def output(self):
        return self._output_structure

    @property
    def input_shape(self):
        return nest.map_structure(lambda x: x.shape, self._input_structure)

    @property
    def output_shape(self):
        return nest.map_structure(lambda x: x.shape, self._output_structure)

    @property
    def input_spec(self):
        return None

    @input_spec.setter
    def input_spec(self, v):
        pass

    def _standardize_inputs(self, inputs):
        struct = self._input_structure
        if isinstance(struct, dict):
            if isinstance(inputs, dict):
                flat = []
                for k, kt in struct.items():
                    if k in inputs:
                        flat.append(inputs[k])
                    elif kt.name in inputs:
                        flat.append(inputs[kt.name])
                    else:
                        raise ValueError(f"Missing data for input '{k}'. You passed a data dictionary with keys "
                                         f"{list(inputs)}. Expected the following keys: {list(struct)}")
                return flat
            return nest.flatten(inputs)
        flat_in = self._flat_inputs
        if isinstance(inputs, dict):
            out = []
            for kt in flat_in:
                name = kt._keras_history.operation.name
                if name in inputs:
                    out.append(inputs[name])
                elif kt.name in inputs:
                    out.append(inputs[kt.name])
                else:
                    raise ValueError(f"Missing data for input '{name}'.")
            return out
        if isinstance(inputs, (list, tuple)):
            flat = list(inputs) if len(inputs) == len(flat_in) else nest.flatten(inputs)
            if len(flat_in) == 1 and len(flat) != 1:
                return [inputs]
            return flat
        return [inputs]

    def call(self, inputs, training=None, mask=None):
        flat = self._standardize_inputs(inputs)
        if len(flat) != len(self._flat_inputs):
            raise ValueError(f"Layer '{self.name}' expected {len(self._flat_inputs)} input(s). Received "
                             f"{len(flat)} instead.")
        values = {}
        masks = nest.flatten(mask) if mask is not None else [None] * len(flat)
        for kt, x, m in zip(self._flat_inputs, flat, masks):
            x = self._convert_input(x, kt)
            x = self._adjust_input_rank(x, kt)
            if m is not None:
                set_mask(x, m)
            values[id(kt)] = x

        def resolve(a):
            if isinstance(a, KerasTensor):
                return values[id(a)]
            return a

        for node in self._graph_nodes:
            args = nest.map_structure(resolve, node.arguments_args) if node.arguments_args else ()
            kwargs = {k: nest.map_structure(resolve, v) for k, v in node.arguments_kwargs.items()}
            op = node.operation
            if isinstance(op, Layer) and training is not None and "training" not in kwargs and \
                    op._call_spec.has_training:
                kwargs["training"] = training
            out = op(*args, **kwargs)
            flat_out = nest.flatten(out)
            flat_out = [o for o in flat_out if o is not None or True]
            kt_out = node.outputs
            outs_t = [o for o in flat_out if isinstance(o, (Tensor,)) or hasattr(o, "shape")]
            for kt, o in zip(kt_out, outs_t):
                values[id(kt)] = o
        return nest.map_structure(resolve, self._output_structure)

    def _adjust_input_rank(self, x, kt):
        if x is None or (not isinstance(x, Tensor) and not hasattr(x, "shape")):
            return x
        ref = kt.shape
        if isinstance(x, Tensor):
            shape = tuple(x._value.shape)  # the raw shape: may hold symbolic dims while exporting
        else:
            shape = tuple(x.shape.as_list()) if hasattr(x.shape, "as_list") else tuple(x.shape)
        if len(shape) == len(ref):
            return x
        if len(shape) == len(ref) + 1 and shape[-1] == 1:
            return _squeeze_last(x)
        if len(shape) == len(ref) - 1 and ref[-1] == 1:
            return _expand_last(x)
        raise ValueError(f"Invalid input shape for input {x}. Expected shape {ref}, but input has incompatible "
                         f"shape {shape}")

    def _convert_input(self, x, kt):
        if isinstance(x, Tensor):
            want = kt.dtype
            if x.dtype.name != want and x._value.dtype != object and np.issubdtype(x._value.dtype, np.floating) \
                    and want.startswith("float"):
                return C.cast(x, want)
            return x
        if x is None:
            return x
        return C.convert_to_tensor(x, kt.dtype if not isinstance(x, (int, float)) or True else None)

    def compute_output_spec(self, *args, **kwargs):
        return super().compute_output_spec(*args, **kwargs)

    def get_layer(self, name=None, index=None):
        return Model.get_layer(self, name, index)

    def get_config(self):
        from tfjax._src.keras.models.serialization import functional_config  # noqa: PLC0415
        return functional_config(self)

    @classmethod
    def from_config(cls, config, custom_objects=None):
        from tfjax._src.keras.models.serialization import functional_from_config  # noqa: PLC0415
        return functional_from_config(cls, config, custom_objects)


def _squeeze_last(x):
    from tfjax._src.keras.ops import numpy as N  # noqa: PLC0415
    return N.squeeze(x, -1)


def _expand_last(x):
    from tfjax._src.keras.ops import numpy as N  # noqa: PLC0415
    return N.expand_dims(x, -1)


def _nodes_by_depth(self):
    """Nodes grouped by depth (outputs at depth 0), deepest first, as Keras's ``_nodes_by_depth``."""
    nodes = self._graph_nodes + [x._keras_history.operation._inbound_nodes[x._keras_history.node_index]
                                 for x in self._flat_inputs]
    depth = {}
    order = list(reversed(self._graph_nodes))
    for n in order:
        d = depth.setdefault(id(n), 0)
        for x in n.input_tensors:
            h = x._keras_history
            p = h.operation._inbound_nodes[h.node_index]
            depth[id(p)] = max(depth.get(id(p), 0), d + 1)
    groups = {}
    for n in nodes:
        groups.setdefault(depth.get(id(n), 0), [])
        if not any(n is m for m in groups[depth.get(id(n), 0)]):
            groups[depth.get(id(n), 0)].append(n)
    return [groups[k] for k in sorted(groups, reverse=True)]


Functional._nodes_by_depth = _nodes_by_depth
Functional._graph_nodes_all = lambda self: self._graph_nodes
