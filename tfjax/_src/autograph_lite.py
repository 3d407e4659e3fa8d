"""AutoGraph-lite: Python ``if`` / ``while`` / ``for i in tf.range(n)`` on tensors inside tf.function.

TF rewrites a tf.function's source (AutoGraph) so that Python control flow on tensors
becomes ``tf.cond`` / ``tf.while_loop``. This is a small version of that transform,
applied to the function ``tf.function`` traces (the user's function object is left
alone):

* ``if <test>:`` / ``else:`` becomes ``x, y = _ag__.if_stmt(test, true_fn, false_fn, (x, y))``
  where ``x, y`` are the local names either branch assigns, and each branch is a nested
  function taking and returning them;
* ``while <test>:`` becomes ``_ag__.while_stmt(cond_fn, body_fn, loop_vars)``;
* ``for i in tf.range(...)`` (any ``<module>.range(...)`` call) becomes
  ``_ag__.for_range_stmt(args, kwargs, body_fn, loop_vars)``;
* an ``if`` whose branch ends in ``return`` is first rewritten so both paths assign one
  return value (``if c: return a`` / ``return b`` -> ``if c: r = a else: r = b; return r``).

At run time each helper looks at the condition: a Python value (or a concrete tensor)
runs the original Python statement exactly; a traced tensor gives ``tf.cond`` /
``tf.while_loop``. A statement is converted only when its bodies just rebind local
names (no ``return`` left after the rewrite, ``break``, ``continue``, ``yield``,
``global``/``nonlocal``, ``del``, ``try`` or nested ``def``/``class``). When a traced
conversion cannot be built (a branch leaves a name undefined, a loop variable is not
a tensor, a dtype changes) the helper raises :class:`Fallback`, and tf.function runs
that input signature eagerly (with one warning), so the answer is never wrong.
"""

from __future__ import annotations

import ast
import inspect
import textwrap
import types
import weakref

_AG = "_ag__"
_RET = "_ag_retval"
_cache = weakref.WeakKeyDictionary()


class Fallback(Exception):
    """A traced conversion was not possible: tf.function runs this signature eagerly."""


class _Undefined:
    __slots__ = ()

    def __repr__(self):
        return "<undefined>"


UNDEFINED = _Undefined()


# ---------------------------------------------------------------------------
# Runtime helpers (what converted code calls)
# ---------------------------------------------------------------------------

def _is_traced(x):
    """A tensor inside tf.function is symbolic (as in TF's graph mode); Python values are not."""
    import jax  # noqa: PLC0415
    from tfjax._src import variables  # noqa: PLC0415
    from tfjax._src.tensor import Tensor  # noqa: PLC0415
    if isinstance(x, (Tensor, variables.Variable)):
        if variables.current_scope() is not None:
            return True
        x = x._read_raw() if isinstance(x, variables.Variable) else x._value
    return isinstance(x, jax.core.Tracer)


def _defined(vals, what):
    for v in vals:
        if v is UNDEFINED:
            raise Fallback(f"a variable is undefined in one {what}")
    return vals


def if_stmt(test, true_fn, false_fn, vals):
    if not _is_traced(test):
        return true_fn(*vals) if test else false_fn(*vals)
    from tfjax._src.ops import control_flow  # noqa: PLC0415
    defined = [i for i, v in enumerate(vals) if v is not UNDEFINED]

    def branch(fn):
        def run():
            out = fn(*vals)
            return tuple(_defined(out, "branch of an if statement"))
        return run

    try:
        out = control_flow.cond(test, branch(true_fn), branch(false_fn))
    except Fallback:
        raise
    except Exception as e:  # noqa: BLE001 - the eager rerun reports real user errors
        raise Fallback(f"if statement on a tensor: {e}") from e
    del defined
    return tuple(out)


def _split(vals):
    idx = [i for i, v in enumerate(vals) if v is not UNDEFINED]
    return idx


def _merge(template, idx, carry):
    out = list(template)
    for i, v in zip(idx, carry):
        out[i] = v
    return tuple(out)


def while_stmt(cond_fn, body_fn, vals):
    vals = tuple(vals)
    while True:
        c = cond_fn(*vals)
        if _is_traced(c):
            break
        if not c:
            return vals
        vals = tuple(body_fn(*vals))
    # The condition is a traced tensor: the rest of the loop is a tf.while_loop.
    from tfjax._src.ops import control_flow  # noqa: PLC0415
    idx = _split(vals)            # names first assigned inside the body are temporaries
    template = vals

    def cond(*carry):
        return cond_fn(*_merge(template, idx, carry))

    def body(*carry):
        out = body_fn(*_merge(template, idx, carry))
        return tuple(out[i] for i in idx)

    try:
        out = control_flow.while_loop(cond, body, tuple(vals[i] for i in idx))
    except Fallback:
        raise
    except Exception as e:  # noqa: BLE001 - the eager rerun reports real user errors
        raise Fallback(f"while statement on a tensor: {e}") from e
    return _merge(template, idx, tuple(out) if isinstance(out, (list, tuple)) else (out,))


def for_range_stmt(range_fn, args, kwargs, body_fn, vals):
    """``for i in tf.range(*args, **kwargs): vals = body_fn(i, *vals)``."""
    from tfjax._src import dtypes  # noqa: PLC0415
    from tfjax._src.ops import control_flow, convert, math_ops  # noqa: PLC0415
    if not any(_is_traced(a) for a in list(args) + list(kwargs.values())):
        # Static bounds: iterate the (concrete) range, as TF does eagerly.
        vals = tuple(vals)
        for i in range_fn(*args, **kwargs):
            vals = tuple(body_fn(i, *vals))
        return vals
    names = ("start", "limit", "delta")
    bound = dict(zip(names, args))
    for k in names:
        if k in kwargs:
            bound[k] = kwargs[k]
    dtype = kwargs.get("dtype")
    if "limit" not in bound:
        bound["start"], bound["limit"] = 0, bound["start"]
    start, limit, delta = bound.get("start", 0), bound["limit"], bound.get("delta", 1)
    ts = [convert.tensor(x) for x in (start, limit, delta)]
    if dtype is None:
        dtype = dtypes.float32 if any(t.dtype.is_floating for t in ts) else dtypes.int32
        if any(t.dtype == dtypes.int64 for t in ts):
            dtype = dtypes.int64
        if any(t.dtype == dtypes.float64 for t in ts):
            dtype = dtypes.float64
    start, limit, delta = (math_ops.cast(t, dtype) for t in ts)
    vals = tuple(vals)
    idx = _split(vals)
    template = vals

    def cond(k, *carry):
        return math_ops.logical_or(math_ops.logical_and(delta > 0, k < limit),
                                   math_ops.logical_and(delta < 0, k > limit))

    def body(k, *carry):
        out = body_fn(k, *_merge(template, idx, carry))
        return (k + delta,) + tuple(out[i] for i in idx)

    try:
        out = control_flow.while_loop(cond, body, (start,) + tuple(vals[i] for i in idx))
    except Fallback:
        raise
    except Exception as e:  # noqa: BLE001 - the eager rerun reports real user errors
        raise Fallback(f"for loop over tf.range: {e}") from e
    return _merge(template, idx, tuple(out)[1:])


# ---------------------------------------------------------------------------
# The source transform
# ---------------------------------------------------------------------------

_FORBIDDEN = (ast.Return, ast.Break, ast.Continue, ast.Yield, ast.YieldFrom, ast.Await, ast.Global,
              ast.Nonlocal, ast.Delete, ast.Try, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef,
              ast.Lambda, ast.AsyncFor, ast.AsyncWith)
if hasattr(ast, "TryStar"):
    _FORBIDDEN = _FORBIDDEN + (ast.TryStar,)


def _walk_no_scopes(nodes):
    """All nodes under ``nodes`` without entering nested scopes (defs, lambdas, comprehensions)."""
    stack = list(nodes)
    while stack:
        n = stack.pop()
        yield n
        for c in ast.iter_child_nodes(n):
            if isinstance(c, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef,
                              ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)):
                yield c
                continue
            stack.append(c)


def _convertible(stmts, allow_generated=True):
    for n in _walk_no_scopes(stmts):
        if isinstance(n, _FORBIDDEN):
            if allow_generated and isinstance(n, ast.FunctionDef) and n.name.startswith("_ag_"):
                continue
            if allow_generated and getattr(n, "_ag_generated", False):
                continue
            return False
    return True


def _assigned(stmts):
    names = []
    for n in _walk_no_scopes(stmts):
        if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store):
            if n.id not in names and (not n.id.startswith("_ag_") or n.id == _RET):
                names.append(n.id)
    return names


def _ends_with_return(stmts):
    return bool(stmts) and isinstance(stmts[-1], ast.Return)


def _has_return(stmts):
    return any(isinstance(n, ast.Return) for n in _walk_no_scopes(stmts))


def _ret_assign(ret):
    value = ret.value if ret.value is not None else ast.Constant(None)
    return ast.copy_location(ast.Assign(targets=[ast.Name(_RET, ast.Store())], value=value), ret)


def _lift_returns(stmts):
    """``if c: ...; return a`` + ``...; return b`` -> one if assigning ``_ag_retval``, one return."""
    stmts = list(stmts)
    for i, s in enumerate(stmts):
        if isinstance(s, ast.If):
            body = _lift_returns(s.body)
            if not (_ends_with_return(body) and not _has_return(body[:-1])):
                continue
            rest = _lift_returns(s.orelse if s.orelse else stmts[i + 1:])
            if not (_ends_with_return(rest) and not _has_return(rest[:-1])):
                continue
            new_if = ast.copy_location(ast.If(
                test=s.test,
                body=body[:-1] + [_ret_assign(body[-1])],
                orelse=rest[:-1] + [_ret_assign(rest[-1])]), s)
            ret = ast.copy_location(ast.Return(ast.Name(_RET, ast.Load())), s)
            return stmts[:i] + [new_if, ret]
    return stmts


class _Transformer(ast.NodeTransformer):
    def __init__(self):
        self.count = 0
        self.converted = 0

    def _n(self):
        self.count += 1
        return self.count

    # Never enter nested scopes: only the traced function's own statements are converted.
    def visit_FunctionDef(self, node):
        return node

    visit_AsyncFunctionDef = visit_FunctionDef
    visit_ClassDef = visit_FunctionDef
    visit_Lambda = visit_FunctionDef

    def _getters(self, names, node):
        """``try: _ag_v_x = x`` / ``except NameError: _ag_v_x = UNDEFINED`` for each name."""
        out = []
        for name in names:
            tmp = f"_ag_v_{name}"
            out.append(ast.Try(
                body=[ast.Assign([ast.Name(tmp, ast.Store())], ast.Name(name, ast.Load()))],
                handlers=[ast.ExceptHandler(
                    type=ast.Name("NameError", ast.Load()), name=None,
                    body=[ast.Assign([ast.Name(tmp, ast.Store())],
                                     ast.Attribute(ast.Name(_AG, ast.Load()), "UNDEFINED", ast.Load()))])],
                orelse=[], finalbody=[]))
        for s in out:
            s._ag_generated = True
        return [ast.copy_location(s, node) for s in out]

    def _fn(self, name, params, body, node, returns):
        ret = ast.Return(ast.Tuple([ast.Name(n, ast.Load()) for n in returns], ast.Load()))
        ret._ag_generated = True
        args = ast.arguments(posonlyargs=[], args=[ast.arg(p) for p in params], vararg=None,
                             kwonlyargs=[], kw_defaults=[], kwarg=None, defaults=[])
        fn = ast.FunctionDef(name=name, args=args, body=list(body) + [ret], decorator_list=[],
                             returns=None, type_comment=None, type_params=[])
        return ast.copy_location(fn, node)

    def _vals(self, names):
        return ast.Tuple([ast.Name(f"_ag_v_{n}", ast.Load()) for n in names], ast.Load())

    def _assign_back(self, names, call, node):
        if names:
            target = ast.Tuple([ast.Name(n, ast.Store()) for n in names], ast.Store())
            return ast.copy_location(ast.Assign([target], call), node)
        return ast.copy_location(ast.Expr(call), node)

    def _helper(self, name):
        return ast.Attribute(ast.Name(_AG, ast.Load()), name, ast.Load())

    def visit_If(self, node):
        self.generic_visit(node)
        if not (_convertible(node.body) and _convertible(node.orelse)):
            return node
        k = self._n()
        names = _assigned(node.body + node.orelse)
        tf_name, ff_name = f"_ag_if_true_{k}", f"_ag_if_false_{k}"
        out = self._getters(names, node)
        out.append(self._fn(tf_name, names, node.body, node, names))
        out.append(self._fn(ff_name, names, node.orelse or [ast.Pass()], node, names))
        call = ast.Call(self._helper("if_stmt"),
                        [node.test, ast.Name(tf_name, ast.Load()), ast.Name(ff_name, ast.Load()),
                         self._vals(names)], [])
        out.append(self._assign_back(names, call, node))
        self.converted += 1
        return out

    def visit_While(self, node):
        self.generic_visit(node)
        if node.orelse or not _convertible(node.body):
            return node
        k = self._n()
        names = _assigned(node.body)
        c_name, b_name = f"_ag_while_cond_{k}", f"_ag_while_body_{k}"
        out = self._getters(names, node)
        cond_ret = ast.Return(node.test)
        cond_ret._ag_generated = True
        args = ast.arguments(posonlyargs=[], args=[ast.arg(p) for p in names], vararg=None,
                             kwonlyargs=[], kw_defaults=[], kwarg=None, defaults=[])
        out.append(ast.copy_location(ast.FunctionDef(
            name=c_name, args=args, body=[cond_ret], decorator_list=[], returns=None,
            type_comment=None, type_params=[]), node))
        out.append(self._fn(b_name, names, node.body, node, names))
        call = ast.Call(self._helper("while_stmt"),
                        [ast.Name(c_name, ast.Load()), ast.Name(b_name, ast.Load()), self._vals(names)], [])
        out.append(self._assign_back(names, call, node))
        self.converted += 1
        return out

    def visit_For(self, node):
        self.generic_visit(node)
        it = node.iter
        if (node.orelse or not isinstance(node.target, ast.Name) or not isinstance(it, ast.Call)
                or not isinstance(it.func, ast.Attribute) or it.func.attr != "range"
                or any(isinstance(a, ast.Starred) for a in it.args)
                or any(kw.arg is None for kw in it.keywords)
                or not _convertible(node.body)):
            return node
        k = self._n()
        names = [n for n in _assigned(node.body) if n != node.target.id]
        b_name = f"_ag_for_body_{k}"
        out = self._getters(names, node)
        out.append(self._fn(b_name, [node.target.id] + names, node.body, node, names))
        kwargs = ast.Dict([ast.Constant(kw.arg) for kw in it.keywords], [kw.value for kw in it.keywords])
        call = ast.Call(self._helper("for_range_stmt"),
                        [it.func, ast.Tuple(list(it.args), ast.Load()), kwargs,
                         ast.Name(b_name, ast.Load()), self._vals(names)], [])
        out.append(self._assign_back(names, call, node))
        self.converted += 1
        return out


def _may_need_conversion(tree_fn):
    for n in _walk_no_scopes(tree_fn.body):
        if isinstance(n, (ast.If, ast.While, ast.For)):
            return True
    return False


def convert(fn):
    """The AutoGraph-lite version of ``fn`` (``fn`` itself when nothing needs converting)."""
    target = getattr(fn, "__func__", fn)
    if not isinstance(target, types.FunctionType):
        return fn
    try:
        return _cache[target]
    except (KeyError, TypeError):
        pass
    try:
        converted = _convert(target)
    except Exception:  # noqa: BLE001 - any failure: trace the original (eager fallback still applies)
        converted = None
    result = fn if converted is None else (
        types.MethodType(converted, fn.__self__) if hasattr(fn, "__func__") else converted)
    try:
        _cache[target] = result if converted is not None else fn
    except TypeError:
        pass
    return result


def _convert(fn):
    if fn.__code__.co_flags & (inspect.CO_GENERATOR | inspect.CO_COROUTINE | inspect.CO_ASYNC_GENERATOR):
        return None
    try:
        lines, first = inspect.getsourcelines(fn)
    except (OSError, TypeError):
        return None
    src = textwrap.dedent("".join(lines))
    tree = ast.parse(src)
    if not tree.body or not isinstance(tree.body[0], ast.FunctionDef) or tree.body[0].name != fn.__name__:
        return None
    fdef = tree.body[0]
    if not _may_need_conversion(fdef):
        return None
    for n in _walk_no_scopes(fdef.body):
        if isinstance(n, (ast.Global, ast.Nonlocal)):
            return None
    fdef.decorator_list = []
    fdef.body = _lift_returns(fdef.body)
    tr = _Transformer()
    fdef.body = [tr.visit(s) for s in fdef.body]
    flat = []
    for s in fdef.body:
        flat.extend(s if isinstance(s, list) else [s])
    fdef.body = flat
    if not tr.converted:
        return None
    freevars = fn.__code__.co_freevars
    factory = ast.FunctionDef(
        name="_ag_factory",
        args=ast.arguments(posonlyargs=[], args=[ast.arg(_AG)] + [ast.arg(v) for v in freevars],
                           vararg=None, kwonlyargs=[], kw_defaults=[], kwarg=None, defaults=[]),
        body=[fdef, ast.Return(ast.Name(fdef.name, ast.Load()))],
        decorator_list=[], returns=None, type_comment=None, type_params=[])
    module = ast.Module(body=[factory], type_ignores=[])
    ast.fix_missing_locations(module)
    ast.increment_lineno(module, first - 1)
    code = compile(module, fn.__code__.co_filename, "exec")
    factory_code = next(c for c in code.co_consts if isinstance(c, types.CodeType))
    inner_code = next(c for c in factory_code.co_consts
                      if isinstance(c, types.CodeType) and c.co_name == fn.__name__)
    cells = dict(zip(freevars, fn.__closure__ or ()))
    import sys  # noqa: PLC0415
    cells[_AG] = types.CellType(sys.modules[__name__])
    closure = []
    for name in inner_code.co_freevars:
        if name not in cells:
            return None
        closure.append(cells[name])
    new = types.FunctionType(inner_code, fn.__globals__, fn.__name__, fn.__defaults__, tuple(closure))
    new.__kwdefaults__ = fn.__kwdefaults__
    new.__dict__.update(fn.__dict__)
    new.__wrapped__ = fn
    new.__qualname__ = fn.__qualname__
    return new
