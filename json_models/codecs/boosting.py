"""boosting: gradient boosting (GradientBoostingClassifier / GradientBoostingRegressor).

The raw prediction starts from ``init_raw_prediction`` (stored as numpy computed it, since no
two math libraries round ``log`` alike) and adds ``learning_rate * leaf value`` stage by stage,
in estimator order; then the loss's link (identity, expit, softmax) turns it into outputs.
"""

from __future__ import annotations

import numpy as np
from sklearn.base import is_classifier
from sklearn.dummy import DummyClassifier, DummyRegressor
from sklearn.ensemble import GradientBoostingClassifier, GradientBoostingRegressor
from sklearn.tree import DecisionTreeRegressor

from .. import _compat
from .._arrays import (
    Encoder,
    decode_count,
    decode_floats,
    decode_labels,
    encode_float,
    encode_labels,
)
from .._decoding import Decoding, set_fitted
from ..errors import InvalidModelError, UnsupportedModelError
from ._common import decode_common, encode_common, labels_dtype
from .tree import decode_trees, encode_tree

FAMILY = "boosting"
ORDER = 5  # place in the README's table
ESTIMATORS = (GradientBoostingClassifier, GradientBoostingRegressor)
# Fit diagnostics kept for a complete round trip; prediction does not use them.
TRACES = ("train_score", "oob_improvement", "oob_scores")


def encode(est, enc: Encoder) -> dict:
    if not (est.init is None or est.init == "zero"):
        raise UnsupportedModelError(
            f"{type(est).__name__}: only init=None (the default) and init='zero' are supported, "
            f"not {type(est.init).__name__}"
        )
    state = encode_common(est)
    if is_classifier(est):
        state["classes"] = encode_labels(est.classes_)
    state["n_trees_per_iteration"] = int(est.n_trees_per_iteration_)
    state["n_estimators"] = int(est.n_estimators_)
    state["max_features"] = int(est.max_features_)
    state["init"] = "zero" if est.init_ == "zero" else _encode_dummy(est.init_, enc)
    state["init_raw_prediction"] = enc.floats(
        _compat.init_raw_prediction(est), "init raw prediction"
    )
    state["estimators"] = [
        [{"tree": encode_tree(tree.tree_, enc)} for tree in stage] for stage in est.estimators_
    ]
    for name in TRACES:
        if hasattr(est, name + "_"):
            state[name] = enc.floats(getattr(est, name + "_"), name + "_")
    if hasattr(est, "oob_score_"):
        state["oob_score"] = encode_float(est.oob_score_, "oob_score_")
    return state


def _encode_dummy(dummy, enc: Encoder) -> dict:
    if isinstance(dummy, DummyClassifier):
        return {
            "strategy": dummy.strategy,
            "n_outputs": int(dummy.n_outputs_),
            "classes": encode_labels(dummy.classes_, "init_.classes_"),
            "class_prior": enc.floats(dummy.class_prior_, "init_.class_prior_"),
        }
    return {
        "strategy": dummy.strategy,
        "quantile": dummy.quantile,
        "n_outputs": int(dummy.n_outputs_),
        "constant": enc.floats(dummy.constant_, "init_.constant_"),
    }


def decode(state: dict, ctx: Decoding) -> dict:
    booster = ctx.estimator
    attributes = decode_common(state)
    n_features = attributes["n_features_in_"]
    n_trees = decode_count(state["n_trees_per_iteration"], "/state/n_trees_per_iteration")
    n_stages = decode_count(state["n_estimators"], "/state/n_estimators")
    max_features = decode_count(state["max_features"], "/state/max_features", 1, n_features)
    if is_classifier(booster):
        classes = decode_labels(state["classes"], "/state/classes", labels_dtype(state))
        expected = 1 if len(classes) == 2 else len(classes)
        attributes.update(classes_=classes, n_classes_=len(classes))
        if booster.loss == "exponential" and len(classes) != 2:
            raise InvalidModelError("/params/loss", "the exponential loss needs two classes")
    else:
        expected = 1
    if n_trees != expected:
        raise InvalidModelError("/state/n_trees_per_iteration", f"expected {expected}")
    stages = state["estimators"]
    if len(stages) != n_stages:
        raise InvalidModelError("/state/estimators", f"expected {n_stages} stages")
    for i, stage in enumerate(stages):
        if len(stage) != n_trees:
            raise InvalidModelError(f"/state/estimators/{i}", f"expected {n_trees} trees")
    trees = decode_trees(
        [entry["tree"] for stage in stages for entry in stage],
        [f"/state/estimators/{i}/{k}/tree" for i in range(len(stages)) for k in range(n_trees)],
        n_features,
        {"n_outputs_": 1},
        ctx,
    )
    fitted = {"n_features_in_": n_features, "n_outputs_": 1, "max_features_": max_features}
    estimators = np.empty((len(stages), n_trees), dtype=object)
    estimators.ravel()[:] = [
        set_fitted(_stage_tree(booster), {**fitted, "tree_": tree_}) for tree_ in trees
    ]
    attributes.update(
        n_trees_per_iteration_=n_trees,
        n_estimators_=n_stages,
        max_features_=max_features,
        estimators_=estimators,
        init_=_decode_dummy(state["init"], booster, n_features, attributes.get("classes_")),
    )
    for name in TRACES:
        if name in state:
            attributes[name + "_"] = decode_floats(state[name], f"/state/{name}")
    if "oob_score" in state:
        attributes["oob_score_"] = np.float64(state["oob_score"])
    set_fitted(booster, attributes)
    attributes.update(_compat.attach_loss(booster))
    _check_init_raw_prediction(booster, state["init_raw_prediction"])
    return attributes


def _stage_tree(booster) -> DecisionTreeRegressor:
    """An unfitted stage tree with the parameters gradient boosting gives its trees (its
    ``random_state``, a RandomState instance during fit, has no JSON form: None here)."""
    return DecisionTreeRegressor(
        criterion=_compat.stage_tree_criterion(booster),
        splitter="best",
        max_depth=booster.max_depth,
        min_samples_split=booster.min_samples_split,
        min_samples_leaf=booster.min_samples_leaf,
        min_weight_fraction_leaf=booster.min_weight_fraction_leaf,
        min_impurity_decrease=booster.min_impurity_decrease,
        max_features=booster.max_features,
        max_leaf_nodes=booster.max_leaf_nodes,
        ccp_alpha=booster.ccp_alpha,
    )


def _decode_dummy(node, booster, n_features: int, classes):
    if node == "zero" or booster.init == "zero":
        if node != "zero" or booster.init != "zero":
            raise InvalidModelError("/state/init", 'expected "zero" exactly when params.init is')
        return "zero"
    if is_classifier(booster):
        prior = decode_floats(node["class_prior"], "/state/init/class_prior", shape=(len(classes),))
        labels = decode_labels(node["classes"], "/state/init/classes")
        if len(labels) != len(classes):
            raise InvalidModelError("/state/init/classes", f"expected {len(classes)} labels")
        dummy = DummyClassifier(strategy=node["strategy"])
        return set_fitted(
            dummy,
            {
                "n_features_in_": n_features,
                **_compat.dummy_strategy(node["strategy"]),
                "sparse_output_": False,
                "n_outputs_": decode_count(node["n_outputs"], "/state/init/n_outputs", 1, 1),
                "classes_": labels,
                "n_classes_": len(labels),
                "class_prior_": prior,
            },
        )
    constant = decode_floats(node["constant"], "/state/init/constant", ndim=2, shape=(1, 1))
    dummy = DummyRegressor(strategy=node["strategy"], quantile=node.get("quantile"))
    return set_fitted(
        dummy,
        {
            "n_features_in_": n_features,
            "n_outputs_": decode_count(node["n_outputs"], "/state/init/n_outputs", 1, 1),
            "constant_": constant,
        },
    )


def _check_init_raw_prediction(booster, node) -> None:
    """The stored raw prediction (what other readers start from) must be what this ``init_``
    gives, or Python and JavaScript would disagree; within 4 ulp, since ``log`` rounds
    differently across numpy versions (the stored value is kept for the other readers)."""
    n_trees = booster.n_trees_per_iteration_
    stored = decode_floats(node, "/state/init_raw_prediction", shape=(n_trees,))
    computed = _compat.init_raw_prediction(booster)
    tolerance = 4 * np.finfo(np.float64).eps * np.maximum(1.0, np.abs(computed))
    if not (np.abs(stored - computed) <= tolerance).all():
        raise InvalidModelError(
            "/state/init_raw_prediction", f"expected {computed.tolist()}, what init_ predicts"
        )
