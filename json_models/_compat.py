"""Every shim for differences between scikit-learn versions lives here, and only here.

Documents do not depend on scikit-learn's private pickled layout: a tree is rebuilt from the
document's columns through the *running* scikit-learn's own node dtype, so a document written
under one version loads under another. Fields this version's nodes have but the document lacks
get the defaults below; fields the document has but this version lacks are dropped.
"""

from __future__ import annotations

import functools
import inspect
import warnings

import numpy as np
import sklearn
from sklearn.tree._tree import NODE_DTYPE, Tree

from .errors import InvalidModelError, UnsupportedModelError

SKLEARN_VERSION = sklearn.__version__

# Node fields a document may lack (compact documents leave out the statistics), with the value
# the rebuilt tree gets instead. The statistics are never read: a tree without them is a
# CompactTree, which raises where they would be used.
NODE_DEFAULTS = {
    "impurity": np.nan,
    "n_node_samples": 0,
    "weighted_n_node_samples": np.nan,
    "missing_go_to_left": 0,
}


STATISTICS = ("impurity", "n_node_samples", "weighted_n_node_samples")


def _not_stored(name: str):
    raise AttributeError(
        f"{name} is not available: this model was loaded from a document written with "
        "compact=True, which leaves out the tree node statistics it needs (write the model "
        "without compact=True to keep them)"
    )


class CompactTree(Tree):
    """A tree from a compact document: it predicts as any other, but the node statistics it
    was written without, and what is computed from them (``feature_importances_``), raise
    AttributeError naming the option instead of giving NaN. Pickled, it is a plain Tree."""

    def compute_feature_importances(self, normalize=True):
        _not_stored("feature_importances_")

    impurity = property(lambda self: _not_stored("tree_.impurity"))
    n_node_samples = property(lambda self: _not_stored("tree_.n_node_samples"))
    weighted_n_node_samples = property(lambda self: _not_stored("tree_.weighted_n_node_samples"))


def build_tree(columns: dict, n_features: int, n_classes, n_outputs: int, max_depth: int) -> Tree:
    """A ``sklearn.tree._tree.Tree`` filled from plain, already validated node columns.

    ``columns`` maps node field names (as in ``NODE_DTYPE``, e.g. ``left_child``) to arrays of
    ``node_count`` entries and ``"value"`` to the ``(node_count, n_outputs, max_classes)`` array.
    Without the node statistics (a compact document) it is a :class:`CompactTree`.
    """
    value = np.ascontiguousarray(columns["value"], dtype=np.float64)
    nodes = np.zeros(len(value), dtype=NODE_DTYPE)
    for name in NODE_DTYPE.names:
        nodes[name] = columns[name] if name in columns else NODE_DEFAULTS[name]
    kind = Tree if all(name in columns for name in STATISTICS) else CompactTree
    tree = kind(n_features, np.asarray(n_classes, dtype=np.intp).reshape(-1), n_outputs)
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


def allows_nan(est) -> bool:
    """Whether this scikit-learn lets ``est`` (fitted or not) take missing values as input:
    its estimator tags (``__sklearn_tags__`` from 1.6, ``_get_tags()`` before)."""
    if hasattr(est, "__sklearn_tags__"):
        try:
            return bool(est.__sklearn_tags__().input_tags.allow_nan)
        except AttributeError:  # 1.4/1.5 define the method only to warn about it
            pass
    return bool(est._get_tags().get("allow_nan", False))


def stage_tree_criterion(booster) -> str:
    """The criterion gradient boosting gives its stage trees: its own ``criterion`` up to
    scikit-learn 1.8, always "squared_error" once the parameter is deprecated (1.9)."""
    return "squared_error" if _criterion_deprecated(type(booster)) else booster.criterion


@functools.cache
def _criterion_deprecated(booster_class) -> bool:
    # Asked once per class, not once per stage tree (a load builds hundreds of them).
    return booster_class().criterion == "deprecated"


# Placeholder values that mark a parameter as deprecated ("deprecated") or about to change its
# default ("warn"): the writer's version then behaved as by default, and so does this one.
PLACEHOLDERS = ("deprecated", "warn")


def probability_scheme(est) -> str:
    """How this scikit-learn turns a fitted LogisticRegression's decision values into
    probabilities: "ovr" (expit of each, then divided by their sum; ``[1 - p, p]`` for two
    classes) or "multinomial" (softmax; of ``[-d, d]`` for two classes).

    Which one depends on ``multi_class``, the solver, the number of classes and the version
    (newton-cholesky went multinomial in 1.6; ``multi_class`` is gone from 1.8, where two
    classes are one-vs-rest and more multinomial), so it is asked of the estimator itself:
    its probabilities on a few rows are the one-vs-rest ones, bit for bit, or they are not.
    """
    rows = np.vstack([est.coef_, -est.coef_, np.zeros_like(est.coef_[:1])])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # (a deprecated multi_class value warns)
        same = np.array_equal(est.predict_proba(rows), est._predict_proba_lr(rows))
    return "ovr" if same else "multinomial"


def use_probability_scheme(est, scheme: str) -> None:
    """Make a rebuilt LogisticRegression compute probabilities as the document's writer did,
    or refuse it where this scikit-learn cannot."""
    if probability_scheme(est) == scheme:
        return
    if "multi_class" in est.get_params():  # up to 1.7: say it explicitly
        est.multi_class = scheme
        if probability_scheme(est) == scheme:
            return
    raise UnsupportedModelError(
        f"LogisticRegression: this document's probabilities are {scheme} ones, which "
        f"scikit-learn {SKLEARN_VERSION} does not compute for this model (its multi_class "
        "parameter is gone from 1.8); load it with the scikit-learn version that wrote it"
    )


@functools.cache
def parameters(estimator_class) -> dict:
    """The constructor's parameters of a class (name -> ``inspect.Parameter``), once per class."""
    return dict(inspect.signature(estimator_class).parameters)


def checked_estimator(estimator_class, params: dict):
    """An estimator of the document's hyperparameters as this scikit-learn takes them,
    constructed once (and once more per placeholder dropped).

    A parameter this version does not know (written by another version) is dropped with a
    warning, and so is a placeholder value it does not accept; parameters missing from the
    document keep this version's defaults. (A codec whose predictions could change with such
    a parameter records what it decided in the state, and checks it: see
    :func:`use_probability_scheme`.) Any other value this version's parameter rules refuse
    is an ``InvalidModelError`` at ``/params/<name>``.
    """
    name = estimator_class.__name__
    known = parameters(estimator_class)
    dropped = sorted(set(params) - set(known))
    params = {k: v for k, v in params.items() if k in known}
    placeholders = []
    while True:
        est = estimator_class(**params)
        try:
            est._validate_params()
            break
        except (ValueError, TypeError) as exc:  # the message names the parameter: '<name>'
            key = next((k for k in params if f"'{k}'" in str(exc)), None)
            if key is None or params[key] not in PLACEHOLDERS:
                raise InvalidModelError(f"/params/{key}" if key else "/params", str(exc)) from None
            placeholders.append(f"{key}={params.pop(key)!r}")
    if dropped:
        _warn(f"{name}: scikit-learn {SKLEARN_VERSION} has no parameter {', '.join(dropped)}; "
              "the document's value is ignored")  # fmt: skip
    if placeholders:
        _warn(f"{name}: scikit-learn {SKLEARN_VERSION} does not take {', '.join(placeholders)}, "
              "a placeholder for the default behaviour; its own default is used")  # fmt: skip
    return est


# ---------------------------------------------------------------- private attributes

# What a forest keeps of its training rows (for ``estimators_samples_`` and OOB scoring), by
# document field: private attributes, present since 1.4 (and not in compact documents).
FOREST_SAMPLES = {
    "n_samples": "_n_samples",
    "n_samples_bootstrap": "_n_samples_bootstrap",
    "sample_weight": "_sample_weight",
}


def init_raw_prediction(booster) -> np.ndarray:
    """Gradient boosting's raw prediction before its first stage (one row's)."""
    return booster._raw_predict_init(np.zeros((1, booster.n_features_in_)))[0]


def attach_loss(booster) -> dict:
    """Give a rebuilt booster the loss object ``fit`` would have made; return it as a fitted
    attribute."""
    booster._loss = booster._get_loss(sample_weight=None)
    return {"_loss": booster._loss}


def dummy_strategy(strategy: str) -> dict:
    """The fitted attribute a DummyClassifier keeps of its strategy."""
    return {"_strategy": strategy}


def _warn(message: str) -> None:
    warnings.warn(message, UserWarning, stacklevel=5)
