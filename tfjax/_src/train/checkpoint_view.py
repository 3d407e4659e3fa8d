"""``tf.train.CheckpointView``: the object graph stored in a checkpoint (TF's checkpoint_view.py)."""

from __future__ import annotations

import collections
import logging

from tfjax._src.train import bundle
from tfjax._src.train import checkpoint as checkpoint_lib

_log = logging.getLogger("tfjax.train")


def _trackable_children(obj):
    return dict(checkpoint_lib._children(obj))


def _descendants(root):
    seen = {id(root)}
    order = [root]
    queue = collections.deque([root])
    while queue:
        obj = queue.popleft()
        for _, c in checkpoint_lib._children(obj):
            if id(c) not in seen:
                seen.add(id(c))
                order.append(c)
                queue.append(c)
    return order


class CheckpointView:
    """``tf.train.CheckpointView(save_path)``: ``children(node_id)``, ``descendants()``,
    ``match(obj)`` and ``diff(obj)`` over the checkpoint's TrackableObjectGraph."""

    def __init__(self, save_path):
        reader = bundle.BundleReader(save_path)
        if not reader.has_tensor(checkpoint_lib.OBJECT_GRAPH_KEY):
            raise ValueError(
                f"The specified checkpoint \"{save_path}\" does not appear to be object-based (saved with TF2) "
                f"since it is missing the key \"{checkpoint_lib.OBJECT_GRAPH_KEY}\". Likely it was created "
                "with the TF1 name-based saver and does not contain an object dependency graph.")
        proto = bundle.TrackableObjectGraph()
        proto.ParseFromString(reader.get(checkpoint_lib.OBJECT_GRAPH_KEY)[()])
        self._object_graph_proto = proto

    def children(self, node_id):
        return {c.local_name: c.node_id for c in self._object_graph_proto.nodes[node_id].children}

    def descendants(self):
        return list(self._descendants_with_paths().keys())

    def _descendants_with_paths(self):
        paths = {0: "root"}
        to_visit = collections.deque([0])
        while to_visit:
            node_id = to_visit.popleft()
            for child in self._object_graph_proto.nodes[node_id].children:
                if child.node_id == 0 or child.node_id in paths:
                    continue
                to_visit.append(child.node_id)
                paths[child.node_id] = paths[node_id] + "." + child.local_name
        return paths

    def match(self, obj):
        if not checkpoint_lib._is_trackable(obj):
            raise ValueError(f"Expected a Trackable, got {obj} of type {type(obj)}.")
        overlapping = {0: obj}
        to_visit = collections.deque([(0, obj)])
        visited = set()
        while to_visit:
            node_id, current = to_visit.popleft()
            kids = _trackable_children(current)
            for name, child_id in self.children(node_id).items():
                if child_id in visited or child_id == 0:
                    continue
                if name in kids:
                    assigned = overlapping.get(child_id)
                    if assigned is None:
                        overlapping[child_id] = kids[name]
                        to_visit.append((child_id, kids[name]))
                    elif assigned is not kids[name]:
                        _log.warning("Inconsistent references when matching the checkpoint into this object "
                                     "graph. The referenced objects are: (%s and %s).", assigned, kids[name])
            visited.add(node_id)
        return overlapping

    def diff(self, obj):
        overlapping = self.match(obj)
        only_ckpt = [n for n in self.descendants() if n not in overlapping]
        matched = {id(o) for o in overlapping.values()}
        only_obj = [t for t in _descendants(obj) if id(t) not in matched]
        return overlapping, only_ckpt, only_obj


class TrackableView:
    """``tf.train.TrackableView(root)``: the live object graph checkpoints save (``children(obj)``,
    ``descendants()`` in breadth-first order)."""

    def __init__(self, root):
        self._root = root

    @classmethod
    def children(cls, obj, save_type="checkpoint", **kwargs):
        return _trackable_children(obj)

    @property
    def root(self):
        return self._root

    def descendants(self):
        return _descendants(self._root)
