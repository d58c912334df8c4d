"""isolation: isolation forests (IsolationForest).

Each tree of ``estimators_`` (an ExtraTreeRegressor) sees the columns ``estimators_features_[i]``
of X (all of them, unpermuted, when ``max_features`` is every feature) and routes them like
every tree (``float32(x) <= threshold``). A row's path length in a tree is ``(depth + c) - 1``
at its leaf: ``depth`` the leaf's depth (the root's is 1) and ``c`` the average path length of
an isolation tree of the leaf's training rows, ``c(n_node_samples)``. ``score_samples`` adds
the path lengths of the trees in estimator order and returns
``-2 ** -(sum / (n_estimators * c(max_samples_)))`` (``-0.5`` when ``c(max_samples_)`` is 0);
``decision_function`` subtracts ``offset_``; ``predict`` is -1 where that is below 0, else 1.

The document keeps ``c`` of every node as numpy computed it (so the JavaScript reader needs no
``log``) and ``c(max_samples_)``; the depths follow from the tree's structure and are
recomputed on load, and so is what the running scikit-learn keeps of them privately.
"""

from __future__ import annotations

import numpy as np
from sklearn.ensemble import IsolationForest

from .. import _compat
from .._arrays import (
    Encoder,
    decode_count,
    decode_floats,
    decode_ints,
    encode_float,
    refuse_where,
)
from .._decoding import Decoding, set_fitted
from ..errors import InvalidModelError, UnsupportedModelError, pointer_join
from ._common import decode_common, encode_common
from .tree import decode_trees, encode_tree

FAMILY = "isolation"
ORDER = 9  # place in the README's table
ESTIMATORS = (IsolationForest,)

# What a compact document cannot give back: the training rows each tree drew (replayed from
# the seeds, the number of rows and their weights, which it leaves out).
COMPACT_MISSING = ("estimators_samples_",)
MAX_COUNT = 2**53 - 1  # (integers JavaScript reads exactly)


def encode(est, enc: Encoder) -> dict:
    state = encode_common(est)
    private = _compat.isolation_internals(est)
    if private["max_samples"] != est.max_samples_:  # (fit passes max_samples_ on as it is)
        raise UnsupportedModelError("IsolationForest: _max_samples differs from max_samples_")
    state["max_samples"] = int(est.max_samples_)
    state["max_features"] = int(private["max_features"])
    state["max_depth"] = int(est.estimator_.max_depth)
    state["offset"] = encode_float(est.offset_, "offset_")
    state["average_path_length_max_samples"] = encode_float(
        _compat.isolation_average_path_length(est.max_samples_), "c(max_samples_)"
    )
    estimators = []
    for i, (tree, features, seed, lengths) in enumerate(
        zip(est.estimators_, est.estimators_features_, private["seeds"], private["path_lengths"])
    ):
        if enc.compact:  # prediction reads the leaves only
            lengths = np.where(tree.tree_.children_left == -1, lengths, 0.0)
        estimators.append(
            {
                "random_state": int(tree.random_state),
                "seed": int(seed),
                "features": enc.ints(features, f"estimators_features_[{i}]"),
                "average_path_length": enc.floats(lengths, f"_average_path_length_per_tree[{i}]"),
                "tree": encode_tree(tree.tree_, enc),
            }
        )
    state["estimators"] = estimators
    if not enc.compact:  # (what estimators_samples_ replays besides the seeds)
        state["n_samples"] = int(private["n_samples"])
        weights = private["sample_weight"]
        state["sample_weight"] = None if weights is None else enc.floats(weights, "_sample_weight")
    return state


def decode(state: dict, ctx: Decoding) -> dict:
    forest = ctx.estimator
    attributes = decode_common(state)
    n_features = attributes["n_features_in_"]
    entries = state["estimators"]
    if not isinstance(entries, list) or not entries:
        raise InvalidModelError("/state/estimators", "expected at least one tree")
    if forest.n_estimators != len(entries):
        raise InvalidModelError(
            "/params/n_estimators", f"expected {len(entries)}, the number of trees in the state"
        )
    max_samples = decode_count(state["max_samples"], "/state/max_samples", 1, MAX_COUNT)
    max_features = decode_count(state["max_features"], "/state/max_features", 1, n_features)
    max_depth = decode_count(state["max_depth"], "/state/max_depth", 1, 2**31 - 1)
    offset = decode_floats(state["offset"], "/state/offset", ndim=0)
    _check_average_path_length(state["average_path_length_max_samples"], max_samples)
    pointers = [f"/state/estimators/{i}" for i in range(len(entries))]
    features = [
        _features(entry["features"], pointer_join(p, "features"), max_features, n_features)
        for entry, p in zip(entries, pointers)
    ]
    trees = decode_trees(
        [entry["tree"] for entry in entries],
        [pointer_join(p, "tree") for p in pointers],
        max_features,
        {"n_outputs_": 1},
        ctx,
    )
    lengths = tuple(
        _path_lengths(entry["average_path_length"], pointer_join(p, "average_path_length"), t)
        for entry, p, t in zip(entries, pointers, trees)
    )
    seeds = np.array(
        [
            decode_count(entry["seed"], pointer_join(p, "seed"), 0, 2**32 - 1)
            for entry, p in zip(entries, pointers)
        ],
        dtype=np.int_,
    )
    # What fit gives each tree: the template (depth limited by max_samples_) and a seed of its
    # own; built directly (sklearn.clone costs ~1 ms a tree).
    template = _compat.isolation_template(forest)
    template.max_depth = max_depth
    params = template.get_params(deep=False)
    fitted = {"n_features_in_": max_features, "n_outputs_": 1, "max_features_": 1}
    estimators = [
        set_fitted(
            type(template)(
                **{
                    **params,
                    "random_state": decode_count(
                        entry["random_state"], pointer_join(p, "random_state"), 0, 2**32 - 1
                    ),
                }
            ),
            {**fitted, "tree_": tree_},
        )
        for entry, p, tree_ in zip(entries, pointers, trees)
    ]
    attributes.update(
        max_samples_=max_samples,
        offset_=float(offset) if forest.contamination == "auto" else np.float64(offset),
        estimator_=template,
        estimators_=estimators,
        estimators_features_=features,
    )
    n_samples, weights = None, None
    if "n_samples" in state:
        n_samples = decode_count(state["n_samples"], "/state/n_samples", 1, MAX_COUNT)
        if max_samples > n_samples:  # (fit draws max_samples_ of the n_samples rows)
            raise InvalidModelError(
                "/state/max_samples", f"expected at most the {n_samples} rows fit was given"
            )
        if state.get("sample_weight") is not None:
            weights = decode_floats(
                state["sample_weight"], "/state/sample_weight", shape=(n_samples,)
            )
    else:
        ctx.missing.update(COMPACT_MISSING)
    attributes.update(
        _compat.isolation_private(
            max_samples=max_samples,
            max_features=max_features,
            n_samples=n_samples,
            seeds=seeds,
            sample_weight=weights,
            path_lengths=lengths,
            depths=tuple(tree_.compute_node_depths() for tree_ in trees),
        )
    )
    return attributes


def _features(node, pointer: str, max_features: int, n_features: int) -> np.ndarray:
    """One tree's columns of X: ``max_features`` indices of features."""
    features = decode_ints(node, pointer, shape=(max_features,))
    bad = (features < 0) | (features >= n_features)
    if bad.any():
        i = int(np.argmax(bad))
        raise InvalidModelError(
            pointer_join(pointer, i),
            f"expected a feature index in [0, {n_features}), found {int(features[i])}",
        )
    return features


def _path_lengths(node, pointer: str, tree) -> np.ndarray:
    """``c(n_node_samples)`` of every node of a tree: finite, not negative."""
    lengths = decode_floats(node, pointer, shape=(tree.node_count,))
    refuse_where(lengths < 0, pointer, "expected a number not below 0")
    return lengths


def _check_average_path_length(node, max_samples: int) -> None:
    """``c(max_samples_)`` as the document's writer computed it (the JavaScript reader divides
    by it; this reader computes its own): the same, up to a last bit of ``log``."""
    pointer = "/state/average_path_length_max_samples"
    value = float(decode_floats(node, pointer, ndim=0))
    own = float(_compat.isolation_average_path_length(max_samples))
    if not abs(value - own) <= 16 * np.finfo(np.float64).eps * max(1.0, abs(own)):
        raise InvalidModelError(
            pointer, f"expected {own!r}, the average path length of {max_samples} rows"
        )
