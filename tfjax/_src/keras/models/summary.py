"""``Model.summary()``: the Keras 3 table (rendered with ``rich`` when available, as Keras does)."""

from __future__ import annotations

import math
import re
import shutil

import numpy as np

from tfjax._src import nest

_DTYPE_BITS = {"float16": 16, "bfloat16": 16, "float32": 32, "float64": 64, "int8": 8, "uint8": 8, "int16": 16,
               "uint16": 16, "int32": 32, "uint32": 32, "int64": 64, "uint64": 64, "bool": 8, "complex64": 64,
               "complex128": 128}


def _count(weights):
    return int(sum(math.prod(v.shape.as_list()) for v in weights))


def _mem(weights):
    uniq = {id(w): w for w in weights}.values()
    total = 0
    for w in uniq:
        total += math.prod(w.shape.as_list()) * _DTYPE_BITS.get(w.dtype.name, 32)
    return total / 8


def readable_memory_size(size):
    units = ["B", "KB", "MB", "GB", "TB", "PB"]
    for unit in units:
        if size / 1024 < 1:
            return "{:.2f} {}".format(size, unit)
        size /= 1024
    return "{:.2f} {}".format(size, units[-1])


def _num(x):
    return f"[color(45)]{x}[/]" if x is None else f"[color(34)]{x}[/]"


def _sym(x):
    return f"[color(33)]{x}[/]"


def _bold(x, color=None):
    return f"[bold][color({color})]{x}[/][/]" if color else f"[bold]{x}[/]"


def _escape(s):
    try:
        import rich.markup  # noqa: PLC0415
        return rich.markup.escape(s)
    except ImportError:
        return s


def _format_shape(shape):
    return "(" + ", ".join(_num(x) for x in shape) + ")"


def _layer_shape(layer):
    from tfjax._src.keras.models.model import Model  # noqa: PLC0415
    if not layer._inbound_nodes and not layer._build_shapes_dict:
        return "?"
    if layer._inbound_nodes:
        outs = layer._inbound_nodes[-1].outputs
        shapes = [_format_shape(o.shape) for o in outs]
        if len(shapes) == 1:
            return shapes[0]
        return str(shapes).replace("'", "")
    try:
        if hasattr(layer, "output_shape") and isinstance(layer, Model):
            out = layer.output_shape
        else:
            vals = list(layer._build_shapes_dict.values())
            out = layer.compute_output_shape(*vals)
    except Exception:  # noqa: BLE001
        return "?"
    flat = _flatten_shapes(out)
    if len(flat) == 1:
        return _format_shape(flat[0])
    return str([_format_shape(s) for s in flat]).replace("'", "")


def _flatten_shapes(s):
    if isinstance(s, dict):
        return [x for v in s.values() for x in _flatten_shapes(v)]
    if isinstance(s, (list, tuple)) and s and all(isinstance(e, (list, tuple, dict)) for e in s):
        return [x for e in s for x in _flatten_shapes(e)]
    return [tuple(s)]


def print_summary(model, line_length=None, positions=None, print_fn=None, expand_nested=False,
                  show_trainable=False, layer_range=None):
    from tfjax._src.keras.models.functional import Functional  # noqa: PLC0415
    from tfjax._src.keras.models.sequential import Sequential  # noqa: PLC0415
    relevant_nodes = []
    if isinstance(model, Sequential) or not isinstance(model, Functional):
        sequential_like = True
        layers = model.layers
    else:
        layers = model._operations
        nodes = model._graph_nodes_all()
        by_depth = model._nodes_by_depth()
        sequential_like = True
        for v in by_depth:
            if len(v) > 1 or (len(v) == 1 and len(v[0].input_tensors) > 1):
                sequential_like = False
                break
        if sequential_like:
            flat_nodes = [n for v in by_depth for n in v]
            for layer in model.layers:
                flag = False
                for node in layer._inbound_nodes:
                    if any(node is n for n in flat_nodes):
                        if flag:
                            sequential_like = False
                            break
                        flag = True
                if not sequential_like:
                    break
        relevant_nodes = [n for v in by_depth for n in v]
    if sequential_like:
        default_line_length = 88
        positions = positions or [0.45, 0.80, 1.0]
        header = ["Layer (type)", "Output Shape", "Param #"]
        alignment = ["left", "left", "right"]
    else:
        default_line_length = 108
        positions = positions or [0.3, 0.56, 0.74, 1.0]
        header = ["Layer (type)", "Output Shape", "Param #", "Connected to"]
        alignment = ["left", "left", "right", "left"]
    if show_trainable:
        default_line_length += 12
        positions = [p * 0.90 for p in positions] + [1.0]
        header.append("Trainable")
        alignment.append("center")
    default_line_length = min(default_line_length, shutil.get_terminal_size().columns - 4)
    line_length = line_length or default_line_length
    widths = []
    cur = 0
    for pos in positions:
        w = int(pos * line_length) - cur
        if w < 4:
            raise ValueError("Insufficient console width to print summary.")
        widths.append(w)
        cur += w

    def connections(layer):
        out = ""
        for node in layer._inbound_nodes:
            if relevant_nodes and not any(node is n for n in relevant_nodes):
                continue
            for kt in node.input_tensors:
                h = kt._keras_history
                if out:
                    out += ", "
                out += f"{h.operation.name}[{_num(h.node_index)}][{_num(h.tensor_index)}]"
        return out or "-"

    def fields_of(layer, prefix=""):
        name = _escape(f"{prefix}{layer.name}") + f" ({_sym(_escape(type(layer).__name__))})"
        if not layer.built:
            params = f"{_num(0)} (unbuilt)"
        else:
            params = _num(f"{layer.count_params():,}")
        f = [name, _layer_shape(layer), params]
        if not sequential_like:
            f.append(connections(layer))
        if show_trainable:
            if layer.weights:
                f.append(_bold("Y", 34) if layer.trainable else _bold("N", 9))
            else:
                f.append(_bold("-"))
        return f

    def rows_of(layer, level=0):
        prefix = ("   " * level + "└ ") if level else ""
        rows = [fields_of(layer, prefix)]
        sub = getattr(layer, "layers", None) if expand_nested else None
        if sub:
            for l in sub:
                rows.extend(rows_of(l, level + 1))
        return rows

    lo, hi = _layer_bounds(layers, layer_range)
    rows = []
    for layer in layers[lo:hi]:
        rows.extend(rows_of(layer))

    tw = model.trainable_weights
    ntw = model.non_trainable_weights
    t_count, t_mem = _count(tw), _mem(tw)
    n_count, n_mem = _count(ntw), _mem(ntw)
    opt = getattr(model, "optimizer", None)
    opt_built = bool(getattr(model, "compiled", False) and opt is not None and getattr(opt, "built", False))
    o_count = _count(opt.variables) if opt_built else 0
    o_mem = _mem(opt.variables) if opt_built else 0
    total, total_mem = t_count + n_count + o_count, t_mem + n_mem + o_mem
    footer = [
        _bold(" Total params: ") + _num(f"{total:,}") + f" ({readable_memory_size(total_mem)})",
        _bold(" Trainable params: ") + _num(f"{t_count:,}") + f" ({readable_memory_size(t_mem)})",
        _bold(" Non-trainable params: ") + _num(f"{n_count:,}") + f" ({readable_memory_size(n_mem)})",
    ]
    if opt_built:
        footer.append(_bold(" Optimizer params: ") + _num(f"{o_count:,}") + f" ({readable_memory_size(o_mem)})")
    title = _bold(f'Model: "{_escape(model.name)}"')
    try:
        import rich.console  # noqa: PLC0415
        import rich.table  # noqa: PLC0415
    except ImportError:
        text = _plain_render(title, header, alignment, widths, line_length, rows, footer)
        (print_fn or print)(text)
        return
    cols = [rich.table.Column(h, justify=alignment[i], width=widths[i]) for i, h in enumerate(header)]
    table = rich.table.Table(*cols, width=line_length, show_lines=True)
    for r in rows:
        table.add_row(*r)
    if print_fn:
        console = rich.console.Console(highlight=False, force_terminal=False, color_system=None)
        console.begin_capture()
    else:
        console = rich.console.Console(highlight=False)
    console.print(title)
    console.print(table)
    for f in footer:
        console.print(f)
    if print_fn:
        print_fn(console.end_capture())


def _layer_bounds(layers, layer_range):
    if layer_range is None:
        return 0, len(layers)
    if len(layer_range) != 2:
        raise ValueError(f"layer_range must be a list or tuple of length 2. Received: layer_range = "
                         f"{layer_range} of length {len(layer_range)}")
    lo = [i for i, l in enumerate(layers) if re.match(layer_range[0], l.name)]
    hi = [i for i, l in enumerate(layers) if re.match(layer_range[1], l.name)]
    if not lo or not hi:
        raise ValueError(f"Passed layer_names do not match the layer names in the model. Received: {layer_range}")
    if min(lo) > max(hi):
        return min(hi), max(lo) + 1
    return min(lo), max(hi) + 1


_MARKUP = re.compile(r"\[/?(?:bold|color\(\d+\))?\]")


def _strip(s):
    return _MARKUP.sub("", s).replace("\\[", "[")


def _plain_render(title, header, alignment, widths, line_length, rows, footer):
    inner = [w - 3 if i else w - 4 for i, w in enumerate(widths)]
    inner[-1] = widths[-1] - 4 if len(widths) == 1 else line_length - sum(widths[:-1]) - 4
    inner = [max(1, w) for w in inner]

    def cell(text, w, align):
        text = _strip(text)
        if len(text) > w:
            text = text[: w - 1] + "…"
        if align == "right":
            return text.rjust(w)
        if align == "center":
            return text.center(w)
        return text.ljust(w)

    def line(l, m, r, fill):
        return l + m.join(fill * (w + 2) for w in inner) + r

    out = [_strip(title), line("┏", "┳", "┓", "━")]
    out.append("┃" + "┃".join(" " + cell(h, w, "left" if a != "right" else "right") + " "
                               for h, w, a in zip(header, inner, alignment)) + "┃")
    out.append(line("┡", "╇", "┩", "━"))
    for i, r in enumerate(rows):
        out.append("│" + "│".join(" " + cell(c, w, a) + " " for c, w, a in zip(r, inner, alignment)) + "│")
        out.append(line("├", "┼", "┤", "─") if i < len(rows) - 1 else line("└", "┴", "┘", "─"))
    out.extend(_strip(f) for f in footer)
    return "\n".join(out)
