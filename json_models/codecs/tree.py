"""tree: single decision trees, and the node-column helpers every tree family shares.

A tree is stored as flat columns indexed by node id (see ``schemas/tree.schema.json``). It goes
left when ``float32(x) <= threshold``, and a missing value follows ``missing_go_to_left``.
"""

from __future__ import annotations

import numpy as np
from sklearn.base import is_classifier
from sklearn.tree import (
    DecisionTreeClassifier,
    DecisionTreeRegressor,
    ExtraTreeClassifier,
    ExtraTreeRegressor,
)

from .. import _compat
from .._arrays import (
    Encoder,
    decode_count,
    decode_flags,
    decode_floats,
    decode_ints,
    decode_labels,
    encode_labels,
)
from .._decoding import Decoding
from ..errors import InvalidModelError, pointer_join
from ._common import decode_common, encode_common, labels_dtype

FAMILY = "tree"
ORDER = 3  # place in the README's table
ESTIMATORS = (
    DecisionTreeClassifier,
    DecisionTreeRegressor,
    ExtraTreeClassifier,
    ExtraTreeRegressor,
)

STATISTICS = _compat.STATISTICS
# What a compact document cannot give back (its trees lack the node statistics).
COMPACT_MISSING = (
    "feature_importances_",
    "tree_.value of internal nodes",
    *(f"tree_.{name}" for name in STATISTICS),
)


def encode(est, enc: Encoder) -> dict:
    state = encode_common(est)
    state["n_outputs"] = int(est.n_outputs_)
    if is_classifier(est):
        state["classes"] = encode_classes(est)
    state["max_features"] = int(est.max_features_)
    state["tree"] = encode_tree(est.tree_, enc)
    return state


def decode(state: dict, ctx: Decoding) -> dict:
    attributes = decode_common(state)
    attributes.update(decode_outputs(state))
    attributes["max_features_"] = state["max_features"]
    attributes["tree_"] = decode_tree(
        state["tree"], "/state/tree", attributes["n_features_in_"], attributes, ctx
    )
    return attributes


# ---------------------------------------------------------------- shared by tree families


def encode_classes(est) -> list:
    """``classes_``: a list of labels for one output, a list of such lists for several."""
    if est.n_outputs_ == 1:
        return encode_labels(est.classes_)
    return [encode_labels(c, f"classes_[{k}]") for k, c in enumerate(est.classes_)]


def decode_outputs(state: dict) -> dict:
    """``n_outputs_`` and, for classifiers, ``classes_`` and ``n_classes_`` shaped as
    scikit-learn shapes them (plain for one output, per output for several)."""
    n_outputs = decode_count(state["n_outputs"], "/state/n_outputs")
    attributes = {"n_outputs_": n_outputs}
    if "classes" not in state:
        return attributes  # (a regressor: its values' shape confirms n_outputs)
    node, dtype = state["classes"], labels_dtype(state)
    if n_outputs == 1:
        classes = [decode_labels(node, "/state/classes", dtype)]
    else:
        if isinstance(node, np.ndarray) and node.ndim == 2:  # numbers, read as one array
            node = list(node)
        if not isinstance(node, list) or len(node) != n_outputs:
            raise InvalidModelError(
                "/state/classes", f"expected one list of labels per output ({n_outputs})"
            )
        classes = [decode_labels(c, f"/state/classes/{k}", dtype) for k, c in enumerate(node)]
    n_classes = np.array([len(c) for c in classes], dtype=np.intp)
    if n_outputs == 1:
        attributes.update(classes_=classes[0], n_classes_=n_classes[0])
    else:
        attributes.update(classes_=classes, n_classes_=n_classes)
    return attributes


def encoded_outputs(outputs: dict) -> dict:
    """The outputs of a tree inside an ensemble, which is fitted on encoded labels: its
    ``classes_`` are ``0.0 .. n_classes - 1``."""
    if "classes_" not in outputs:
        return dict(outputs)
    classes = outputs["classes_"]
    if outputs["n_outputs_"] == 1:
        return {**outputs, "classes_": np.arange(len(classes), dtype=np.float64)}
    return {**outputs, "classes_": [np.arange(len(c), dtype=np.float64) for c in classes]}


def encode_tree(tree, enc: Encoder) -> dict:
    """The node columns of a fitted ``tree_``."""
    columns = _compat.tree_columns(tree)
    out = {
        "children_left": enc.ints(columns["children_left"], "tree_.children_left"),
        "children_right": enc.ints(columns["children_right"], "tree_.children_right"),
        "feature": enc.ints(columns["feature"], "tree_.feature"),
        "threshold": enc.floats(columns["threshold"], "tree_.threshold", nonfinite=True),
        "missing_go_to_left": enc.flags(columns["missing_go_to_left"], "tree_.missing_go_to_left"),
        "value": enc.floats(
            _leaf_values(columns) if enc.compact else columns["value"], "tree_.value"
        ),
    }
    if not enc.compact:
        out["impurity"] = enc.floats(columns["impurity"], "tree_.impurity")
        out["n_node_samples"] = enc.ints(columns["n_node_samples"], "tree_.n_node_samples")
        out["weighted_n_node_samples"] = enc.floats(
            columns["weighted_n_node_samples"], "tree_.weighted_n_node_samples"
        )
    return out


def decode_tree(node: dict, pointer: str, n_features: int, outputs: dict, ctx: Decoding):
    """A checked ``sklearn.tree._tree.Tree`` from node columns. ``outputs`` holds
    ``n_outputs_`` and, for classifiers, ``n_classes_`` (see :func:`decode_outputs`)."""
    return decode_trees([node], [pointer], n_features, outputs, ctx)[0]


def decode_trees(nodes: list, pointers: list, n_features: int, outputs: dict, ctx: Decoding):
    """Checked ``Tree`` objects for the node columns of several trees (an ensemble's): the
    structure of all of them is checked at once, which costs a few numpy passes, not a few
    per tree."""
    columns = [read_columns(node, pointer, outputs, ctx) for node, pointer in zip(nodes, pointers)]
    depths = check_structure(columns, pointers, n_features)
    n_outputs = outputs["n_outputs_"]
    return [
        _compat.build_tree(c, n_features, _n_classes(outputs), n_outputs, depth)
        for c, depth in zip(columns, depths)
    ]


def _n_classes(outputs: dict) -> np.ndarray:
    """Classes per output; a regressor's one value per output is sized by its trees' values,
    checked before this is asked."""
    n_outputs = outputs["n_outputs_"]
    if "n_classes_" in outputs:
        return np.atleast_1d(outputs["n_classes_"])
    return np.ones(n_outputs, dtype=np.intp)


def _leaf_values(columns: dict) -> np.ndarray:
    """``value`` with internal nodes zeroed: prediction reads only leaves, and 0 is short."""
    value = np.array(columns["value"])
    value[columns["children_left"] != -1] = 0.0
    return value


def read_columns(node: dict, pointer: str, outputs: dict, ctx: Decoding) -> dict:
    """The node columns of one tree as numpy arrays (named as in ``NODE_DTYPE``), each
    checked on its own: types, lengths, finiteness, class weights."""
    at = lambda name: pointer_join(pointer, name)  # noqa: E731
    left = decode_ints(node["children_left"], at("children_left"))
    n = len(left)
    if n == 0:
        raise InvalidModelError(at("children_left"), "expected at least one node")
    widest = int(outputs["n_classes_"].max()) if "n_classes_" in outputs else 1
    shape = (n, outputs["n_outputs_"], widest)
    value = decode_floats(node["value"], at("value"), ndim=3, shape=shape)
    if "n_classes_" in outputs:
        check_class_values(value, np.atleast_1d(outputs["n_classes_"]), at("value"))
    columns = {
        "left_child": left,
        "right_child": decode_ints(node["children_right"], at("children_right"), shape=(n,)),
        "feature": decode_ints(node["feature"], at("feature"), shape=(n,)),
        "threshold": decode_floats(node["threshold"], at("threshold"), shape=(n,), nonfinite=True),
        "missing_go_to_left": decode_flags(
            node["missing_go_to_left"], at("missing_go_to_left"), shape=(n,)
        ),
        "value": value,
    }
    for name, decoder in zip(STATISTICS, (decode_floats, decode_ints, decode_floats)):
        if name in node:
            columns[name] = decoder(node[name], at(name), shape=(n,))
        else:
            ctx.missing.update(COMPACT_MISSING)
    return columns


def check_class_values(value, n_classes, pointer: str) -> None:
    """Classifier leaves hold class weights: never negative, and zero in the padding past an
    output's own classes (else ``argmax`` could pick a class that does not exist)."""
    padding = np.arange(value.shape[2])[None, None, :] >= np.asarray(n_classes)[None, :, None]
    bad = (value < 0) | (padding & (value != 0))
    if bad.any():
        node, output, column = np.unravel_index(int(np.argmax(bad)), bad.shape)
        raise InvalidModelError(
            pointer_join(pointer, node, output, column),
            "expected a non-negative class weight, and 0 past the output's classes",
        )


def check_structure(trees: list, pointers: list, n_features: int) -> np.ndarray:
    """Check that each tree's columns describe one tree rooted at its node 0; return the
    depths. All trees are checked together, as one array of nodes.

    Children come after their parent (so there is no cycle), every node but the root has
    exactly one parent (so none is shared or unreachable), internal nodes test an existing
    feature against a threshold that is not NaN. The depth must be exact: scikit-learn sizes
    buffers by it (``decision_path``).
    """
    sizes = np.array([len(t["left_child"]) for t in trees])
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    tree_of = np.repeat(np.arange(len(trees)), sizes)
    local = np.arange(sizes.sum()) - starts[tree_of]  # node index within its tree
    size = sizes[tree_of]
    left, right, feature, threshold = (
        np.concatenate([t[name] for t in trees])
        for name in ("left_child", "right_child", "feature", "threshold")
    )

    def fail(name, bad, expected):
        i = int(np.argmax(bad))
        raise InvalidModelError(pointer_join(pointers[tree_of[i]], name, int(local[i])), expected)

    leaf = left == -1
    if ((right == -1) != leaf).any():
        fail("children_right", (right == -1) != leaf, "expected -1 exactly where children_left is")
    inner = ~leaf
    for name, child in (("children_left", left), ("children_right", right)):
        bad = inner & ((child <= local) | (child >= size))
        if bad.any():
            fail(
                name, bad, "expected -1 or a node index greater than this node's, below node_count"
            )
    bad = inner & ((feature < 0) | (feature >= n_features))
    if bad.any():
        fail("feature", bad, f"expected a feature index in [0, {n_features})")
    bad = inner & np.isnan(threshold)
    if bad.any():
        fail("threshold", bad, "expected a number (NaN is no threshold)")
    # Children by global node number; every node but a root has exactly one parent.
    offset = starts[tree_of]
    left, right = np.where(inner, left + offset, -1), np.where(inner, right + offset, -1)
    parents = np.flatnonzero(inner)
    children = np.concatenate([left[parents], right[parents]])
    counts = np.bincount(children, minlength=len(left))
    for bad, message in (
        (counts > 1, "is the child of two nodes"),
        ((counts == 0) & (local > 0), "is not reachable from node 0"),
    ):
        if bad.any():
            i = int(np.argmax(bad))
            raise InvalidModelError(
                pointer_join(pointers[tree_of[i]], "children_left"),
                f"node {int(local[i])} {message}",
            )
    return np.maximum.reduceat(node_depths(left, right, starts), starts)


def node_depths(left: np.ndarray, right: np.ndarray, roots: np.ndarray) -> np.ndarray:
    """Each node's depth in a checked forest of trees: level by level from the roots, one
    cheap numpy step per level; for a tree deeper than any real one, by pointer jumping
    (O(n log depth)) instead of thousands of steps. No recursion."""
    depth = np.zeros(len(left), dtype=np.int64)
    frontier, level = roots, 0
    while frontier.size and level < 128:
        level += 1
        frontier = frontier[left[frontier] >= 0]
        frontier = np.concatenate([left[frontier], right[frontier]])
        depth[frontier] = level
    if frontier.size == 0:
        return depth
    parent = np.full(len(left), -1, dtype=np.int64)
    inner = np.flatnonzero(left >= 0)
    parent[left[inner]] = inner
    parent[right[inner]] = inner
    ancestor, distance = parent, (parent >= 0).astype(np.int64)
    while (ancestor >= 0).any():
        has = ancestor >= 0
        step = np.where(has, ancestor, 0)
        distance = np.where(has, distance + distance[step], distance)
        ancestor = np.where(has, ancestor[step], -1)
    return distance
