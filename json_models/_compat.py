"""Every shim for differences between scikit-learn versions lives here, and only here.

Documents do not depend on scikit-learn's private pickled layout: a tree is rebuilt from the
document's columns through the *running* scikit-learn's own node dtype, so a document written
under one version loads under another. Fields this version's nodes have but the document lacks
get the defaults below; fields the document has but this version lacks are dropped.
"""

from __future__ import annotations

import warnings

import numpy as np
import sklearn
from sklearn.tree._tree import NODE_DTYPE, Tree

SKLEARN_VERSION = sklearn.__version__

# Node fields a document may lack (compact documents leave out the statistics), with the value
# the rebuilt tree gets instead. NaN statistics make the attributes computed from them
# (``feature_importances_``) NaN rather than silently wrong.
NODE_DEFAULTS = {
    "impurity": np.nan,
    "n_node_samples": 0,
    "weighted_n_node_samples": np.nan,
    "missing_go_to_left": 0,
}


def build_tree(columns: dict, n_features: int, n_classes, n_outputs: int, max_depth: int) -> Tree:
    """A ``sklearn.tree._tree.Tree`` filled from plain, already validated node columns.

    ``columns`` maps node field names (as in ``NODE_DTYPE``, e.g. ``left_child``) to arrays of
    ``node_count`` entries and ``"value"`` to the ``(node_count, n_outputs, max_classes)`` array.
    """
    value = np.ascontiguousarray(columns["value"], dtype=np.float64)
    nodes = np.zeros(len(value), dtype=NODE_DTYPE)
    for name in NODE_DTYPE.names:
        nodes[name] = columns[name] if name in columns else NODE_DEFAULTS[name]
    tree = Tree(n_features, np.asarray(n_classes, dtype=np.intp).reshape(-1), n_outputs)
    tree.__setstate__(
        {"max_depth": int(max_depth), "node_count": len(value), "nodes": nodes, "values": value}
    )
    return tree


def tree_columns(tree: Tree) -> dict:
    """The node columns of a fitted ``Tree``; ``missing_go_to_left`` is 0 where it is unknown."""
    columns = {
        "children_left": tree.children_left,
        "children_right": tree.children_right,
        "feature": tree.feature,
        "threshold": tree.threshold,
        "missing_go_to_left": getattr(tree, "missing_go_to_left", None),
        "value": tree.value,
        "impurity": tree.impurity,
        "n_node_samples": tree.n_node_samples,
        "weighted_n_node_samples": tree.weighted_n_node_samples,
    }
    if columns["missing_go_to_left"] is None:  # scikit-learn < 1.3
        columns["missing_go_to_left"] = np.zeros(tree.node_count, dtype=np.uint8)
    return columns


def known_params(estimator_class, params: dict) -> dict:
    """Drop, with a warning, hyperparameters this scikit-learn does not know (a document written
    by a newer version); those missing from the document keep this version's defaults."""
    known = estimator_class().get_params(deep=False)
    unknown = sorted(set(params) - set(known))
    if unknown:
        warnings.warn(
            f"{estimator_class.__name__}: scikit-learn {SKLEARN_VERSION} has no parameter(s) "
            f"{', '.join(unknown)}; they are ignored",
            UserWarning,
            stacklevel=3,
        )
    return {k: v for k, v in params.items() if k in known}
