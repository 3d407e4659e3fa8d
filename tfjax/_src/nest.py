"""``tf.nest``: TF's rules for nested structures.

Sequences are lists, tuples and namedtuples; mappings are dicts (flattened in
sorted key order, as TF does); everything else — Tensors, Variables, None,
numpy arrays — is a leaf. (``jax.tree_util`` differs: None is an empty node and
Tensors are pytree nodes, which is why tfjax has its own.)
"""

from __future__ import annotations

import collections.abc


def _is_namedtuple(x):
    return isinstance(x, tuple) and hasattr(type(x), "_fields")


def is_nested(x) -> bool:
    return isinstance(x, (list, tuple, collections.abc.Mapping)) or _is_attrs(x)


is_sequence = is_nested


def _is_attrs(x):
    return hasattr(type(x), "__attrs_attrs__")


def _sorted_keys(d):
    try:
        return sorted(d)
    except TypeError:
        return list(d)


def _children(x):
    if isinstance(x, collections.abc.Mapping):
        return [x[k] for k in _sorted_keys(x)]
    if _is_attrs(x):
        return [getattr(x, a.name) for a in type(x).__attrs_attrs__]
    return list(x)


def flatten(structure, expand_composites=False):
    if not is_nested(structure):
        return [structure]
    out = []

    def walk(x):
        if is_nested(x):
            for c in _children(x):
                walk(c)
        else:
            out.append(x)
    walk(structure)
    return out


def _rebuild(template, children):
    if isinstance(template, collections.abc.Mapping):
        keys = _sorted_keys(template)
        items = dict(zip(keys, children))
        if isinstance(template, collections.defaultdict):
            d = collections.defaultdict(template.default_factory)
            d.update((k, items[k]) for k in template)
            return d
        try:
            return type(template)((k, items[k]) for k in template)
        except TypeError:
            return {k: items[k] for k in template}
    if _is_namedtuple(template):
        return type(template)(*children)
    if _is_attrs(template):
        return type(template)(*children)
    if isinstance(template, tuple):
        return tuple(children)
    if isinstance(template, list):
        return list(children)
    return type(template)(children)


def pack_sequence_as(structure, flat_sequence, expand_composites=False):
    flat_sequence = list(flat_sequence)
    if not is_nested(structure):
        if len(flat_sequence) != 1:
            raise ValueError(
                f"Structure is a scalar but len(flat_sequence) == {len(flat_sequence)} > 1")
        return flat_sequence[0]
    pos = [0]

    def build(t):
        if is_nested(t):
            return _rebuild(t, [build(c) for c in _children(t)])
        if pos[0] >= len(flat_sequence):
            raise ValueError("Could not pack sequence: too few elements.")
        v = flat_sequence[pos[0]]
        pos[0] += 1
        return v

    result = build(structure)
    if pos[0] != len(flat_sequence):
        raise ValueError(
            f"Could not pack sequence. Structure had {pos[0]} atoms, but flat_sequence had "
            f"{len(flat_sequence)} items.")
    return result


def assert_same_structure(nest1, nest2, check_types=True, expand_composites=False):
    def check(a, b):
        if is_nested(a) != is_nested(b):
            raise ValueError(
                f"The two structures don't have the same nested structure.\n\nFirst structure: "
                f"{nest1!r}\n\nSecond structure: {nest2!r}")
        if not is_nested(a):
            return
        if check_types and type(a) is not type(b) and not (
                isinstance(a, collections.abc.Mapping) and isinstance(b, collections.abc.Mapping)):
            raise TypeError(
                f"The two structures don't have the same sequence type. Input structure has type "
                f"{type(a)!r}, while shallow structure has type {type(b)!r}.")
        if isinstance(a, collections.abc.Mapping) and set(a) != set(b):
            raise ValueError(
                f"The two dictionaries don't have the same set of keys. First structure has keys "
                f"{sorted(a)}, while second structure has keys {sorted(b)}.")
        ca, cb = _children(a), _children(b)
        if len(ca) != len(cb):
            raise ValueError(
                f"The two structures don't have the same nested structure.\n\nFirst structure: "
                f"{nest1!r}\n\nSecond structure: {nest2!r}")
        for x, y in zip(ca, cb):
            check(x, y)
    check(nest1, nest2)


def map_structure(func, *structure, **kwargs):
    check_types = kwargs.pop("check_types", True)
    kwargs.pop("expand_composites", None)
    if kwargs:
        raise ValueError(f"Only valid keyword arguments are `check_types` and `expand_composites`, got {sorted(kwargs)}")
    if not structure:
        raise ValueError("Must provide at least one structure")
    for other in structure[1:]:
        assert_same_structure(structure[0], other, check_types=check_types)
    flats = [flatten(s) for s in structure]
    return pack_sequence_as(structure[0], [func(*xs) for xs in zip(*flats)])


def map_structure_up_to(shallow_tree, func, *inputs):
    def flat_up_to(shallow, x):
        if not is_nested(shallow):
            return [x]
        return [y for s, c in zip(_children(shallow), _children(x)) for y in flat_up_to(s, c)]
    flats = [flat_up_to(shallow_tree, x) for x in inputs]
    return pack_sequence_as(shallow_tree, [func(*xs) for xs in zip(*flats)])


def flatten_with_joined_string_paths(structure, separator="/", expand_composites=False):
    out = []

    def walk(x, path):
        if is_nested(x):
            keys = _sorted_keys(x) if isinstance(x, collections.abc.Mapping) else range(len(_children(x)))
            for k, c in zip(keys, _children(x)):
                walk(c, path + (str(k),))
        else:
            out.append((separator.join(path), x))
    walk(structure, ())
    return out


def flatten_with_tuple_paths(structure, expand_composites=False):
    out = []

    def walk(x, path):
        if is_nested(x):
            keys = _sorted_keys(x) if isinstance(x, collections.abc.Mapping) else range(len(_children(x)))
            for k, c in zip(keys, _children(x)):
                walk(c, path + (k,))
        else:
            out.append((path, x))
    walk(structure, ())
    return out
