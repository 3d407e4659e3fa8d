"""``tf.summary.trace_on / trace_export / trace_off`` and ``tf.summary.graph``.

TF collects the FunctionDef graphs of the tf.functions run between ``trace_on`` and
``trace_export`` and writes them as a RunMetadata summary (plugin ``graph_run_metadata_graph``) that
TensorBoard's graph dashboard draws. tfjax has no GraphDef: a tf.function is a JAX program. With
``graph=True`` tfjax writes the same summary, with one function graph per distinct compiled call,
built from the function's jaxpr (one ``_Arg`` node per input array, one node per JAX primitive with
the primitive's name as its op, one ``_Retval`` per output). Differences from TF: the ops are JAX
primitives (``mul``, ``max``, ``pjit``...), not TF kernels; there are no device placements nor
post-optimisation/partition graphs. ``profiler=True`` runs JAX's profiler (``jax.profiler``) into
``profiler_outdir``, whose ``plugins/profile/`` trace TensorBoard's profile plugin reads.
"""

from __future__ import annotations

import logging
import threading

from tfjax._src.tensor import convert_to_tensor

_log = logging.getLogger("tfjax.summary")
_lock = threading.Lock()
_ctx = None        # (graph, profiler) while a trace is on
_collected = {}    # id(jitted) -> (name, jitted, state values, dynamic args), in call order


def _collector(fn, entry, state_vals, dyn):
    key = id(entry.jitted)
    if key not in _collected:
        name = getattr(fn, "__name__", None) or getattr(fn, "_name", "function")
        _collected[key] = (name, entry.jitted, list(state_vals), list(dyn))


def _function_module():
    from tfjax._src import function  # noqa: PLC0415
    return function


def trace_on(graph=True, profiler=False, profiler_outdir=None):
    """``tf.summary.trace_on``: starts collecting the graphs of the tf.functions that run (and,
    with ``profiler`` and ``profiler_outdir``, JAX's profiler)."""
    global _ctx
    from tfjax._src.variables import current_scope  # noqa: PLC0415
    if current_scope() is not None:
        _log.warning("Cannot enable trace inside a tf.function.")
        return
    with _lock:
        if _ctx is not None:
            _log.warning("Trace already enabled")
            return
        if graph:
            _collected.clear()
            _function_module().graph_collector[0] = _collector
        if profiler:
            if profiler_outdir is None:
                _log.warning("No `profiler_outdir` passed to trace_on(). Profiler won't be enabled.")
                profiler = False
            else:
                import jax  # noqa: PLC0415
                jax.profiler.start_trace(str(profiler_outdir))
        _ctx = (graph, profiler)


def trace_off():
    """``tf.summary.trace_off``: stops collecting without writing anything."""
    global _ctx
    with _lock:
        if _ctx is None:
            return
        graph, profiler = _ctx
        _ctx = None
    _function_module().graph_collector[0] = None
    _collected.clear()
    if profiler:
        try:
            import jax  # noqa: PLC0415
            jax.profiler.stop_trace()
        except Exception as e:  # noqa: BLE001
            _log.warning("Error while stopping profiler: %s", e)


def trace_export(name, step=None, profiler_outdir=None):
    """``tf.summary.trace_export``: writes the collected graphs under tag ``name`` (with the default
    writer), stops the profiler, then turns tracing off."""
    from tfjax._src.summary import summary as S  # noqa: PLC0415
    if step is not None:
        S._state.step = S._as_int(step)
    with _lock:
        if _ctx is None:
            raise ValueError("Must enable trace before export through tf.summary.trace_on.")
        graph, profiler = _ctx
    if graph:
        graphs = []
        for fname, jitted, state_vals, dyn in list(_collected.values()):
            try:
                jaxpr = jitted.trace(state_vals, dyn).jaxpr
            except Exception as e:  # noqa: BLE001 - a trace that cannot be replayed is skipped
                _log.warning("Could not re-trace %s for its graph: %s", fname, e)
                continue
            graphs.append(jaxpr_to_graph_def(jaxpr))
        _write_run_metadata_graphs(name, graphs, step)
    if profiler and profiler_outdir:
        _log.warning("Ignoring `profiler_outdir` passed to trace_export(). Please pass it to trace_on() instead.")
    trace_off()


def _write_run_metadata_graphs(name, graphs, step):
    from tensorboard.compat.proto import (config_pb2, summary_pb2, tensor_pb2,  # noqa: PLC0415
                                          tensor_shape_pb2, types_pb2)
    from tfjax._src.summary import summary as S  # noqa: PLC0415
    rm = config_pb2.RunMetadata()
    for g in graphs:
        rm.function_graphs.add().pre_optimization_graph.CopyFrom(g)
    blob = rm.SerializeToString()

    def make(_):
        md = summary_pb2.SummaryMetadata(data_class=summary_pb2.DATA_CLASS_BLOB_SEQUENCE)
        md.plugin_data.plugin_name = "graph_run_metadata_graph"
        md.plugin_data.content = b"1"
        tp = tensor_pb2.TensorProto(dtype=types_pb2.DT_STRING, string_val=[blob],
                                    tensor_shape=tensor_shape_pb2.TensorShapeProto(
                                        dim=[tensor_shape_pb2.TensorShapeProto.Dim(size=1)]))
        s = summary_pb2.Summary()
        s.value.add(tag=name, metadata=md, tensor=tp)
        return s
    if S._state.writer is None:
        return convert_to_tensor(False)
    return S._emit(make, 0, step)


def jaxpr_to_graph_def(jaxpr):
    """A GraphDef of a (closed) jaxpr: ``_Arg`` inputs, one node per primitive, ``_Retval`` outputs."""
    from tensorboard.compat.proto import graph_pb2  # noqa: PLC0415
    inner = getattr(jaxpr, "jaxpr", jaxpr)
    g = graph_pb2.GraphDef()
    names = {}
    counts = {}

    def unique(base):
        n = counts.get(base, 0)
        counts[base] = n + 1
        return base if n == 0 else f"{base}_{n}"

    def ref(v):
        if type(v).__name__ == "Literal":
            nm = unique("Const")
            g.node.add(name=nm, op="Const")
            return nm
        return names.get(v, "")

    for i, v in enumerate(inner.constvars):
        nm = unique("const")
        g.node.add(name=nm, op="Const")
        names[v] = nm
    for v in inner.invars:
        nm = unique("input")
        g.node.add(name=nm, op="_Arg")
        names[v] = nm
    for eqn in inner.eqns:
        prim = eqn.primitive.name
        nm = unique(prim)
        node = g.node.add(name=nm, op=prim)
        node.input.extend(ref(v) for v in eqn.invars)
        for k, ov in enumerate(eqn.outvars):
            names[ov] = nm if k == 0 else f"{nm}:{k}"
    for v in inner.outvars:
        nm = unique("output_RetVal")
        node = g.node.add(name=nm, op="_Retval")
        node.input.append(ref(v))
    return g


def graph(graph_data):
    """``tf.summary.graph(graph_data)``: writes a GraphDef protobuf (TF's or TensorBoard's class) to
    the default writer's event file (``Event.graph_def``, step 0). tfjax has no ``tf.Graph``."""
    from tfjax._src.summary import summary as S  # noqa: PLC0415
    writer = S._state.writer
    if writer is None or isinstance(writer, S._NoopWriter):
        return convert_to_tensor(False)
    if not S._should_record():
        return convert_to_tensor(False)
    if type(graph_data).__name__ != "GraphDef" or not hasattr(graph_data, "SerializeToString"):
        raise ValueError("Argument 'graph_data' is not tf.Graph or tf.compat.v1.GraphDef. Received "
                         f"graph_data={graph_data} of type {type(graph_data).__name__}. (tfjax has no "
                         "tf.Graph: pass a GraphDef protobuf.)")
    _, event_pb2, _ = S._tb()
    import time  # noqa: PLC0415
    with writer._lock:
        writer._get().add_event(event_pb2.Event(wall_time=time.time(), step=0,
                                                graph_def=graph_data.SerializeToString()))
    return convert_to_tensor(True)
