"""forest: random forests and extra-trees ensembles.

Prediction adds the trees' leaf values in estimator order, then divides by the number of
trees, exactly as scikit-learn accumulates them (with ``n_jobs=None``).
"""

from __future__ import annotations

from sklearn.base import is_classifier
from sklearn.ensemble import (
    ExtraTreesClassifier,
    ExtraTreesRegressor,
    RandomForestClassifier,
    RandomForestRegressor,
)

from .._arrays import Encoder, decode_count, decode_floats
from .._compat import FOREST_SAMPLES
from .._decoding import Decoding, set_fitted
from ..errors import InvalidModelError
from ._common import decode_common, encode_common
from .tree import decode_outputs, decode_trees, encode_classes, encode_tree, encoded_outputs

FAMILY = "forest"
ORDER = 4  # place in the README's table
ESTIMATORS = (
    RandomForestClassifier,
    RandomForestRegressor,
    ExtraTreesClassifier,
    ExtraTreesRegressor,
)

# Fitted attributes kept for a complete round trip; prediction does not use them.
# (scikit-learn name, document name, dimensions)
OOB = (
    ("oob_decision_function_", "oob_decision_function", (2, 3)),
    ("oob_prediction_", "oob_prediction", (1, 2)),
)


def encode(est, enc: Encoder) -> dict:
    state = encode_common(est)
    state["n_outputs"] = int(est.n_outputs_)
    if is_classifier(est):
        state["classes"] = encode_classes(est)
    state["max_features"] = int(est.estimators_[0].max_features_)
    state["estimators"] = [
        {"random_state": int(tree.random_state), "tree": encode_tree(tree.tree_, enc)}
        for tree in est.estimators_
    ]
    # What estimators_samples_ needs (scikit-learn keeps it in private attributes).
    samples = {name: getattr(est, attribute, None) for name, attribute in FOREST_SAMPLES.items()}
    state["n_samples"] = int(samples["n_samples"])
    state["n_samples_bootstrap"] = _int_or_none(samples["n_samples_bootstrap"])
    weights = samples["sample_weight"]
    state["sample_weight"] = None if weights is None else enc.floats(weights, "_sample_weight")
    if hasattr(est, "oob_score_"):
        state["oob_score"] = float(est.oob_score_)
    for attribute, name, _ in OOB:
        if hasattr(est, attribute):
            state[name] = enc.floats(getattr(est, attribute), attribute, nonfinite=True)
    return state


def _int_or_none(value):
    return None if value is None else int(value)


def decode(state: dict, ctx: Decoding) -> dict:
    forest = ctx.estimator
    attributes = decode_common(state)
    outputs = decode_outputs(state)
    attributes.update(outputs)
    if isinstance(outputs.get("classes_"), list):  # several outputs: a forest keeps a list
        attributes["n_classes_"] = outputs["n_classes_"].tolist()
    n_features = attributes["n_features_in_"]
    sub_outputs = encoded_outputs(outputs)
    template = forest.estimator
    # What forest.fit gives each tree: the template's parameters, the forest's tree parameters
    # and a seed of its own (built directly: sklearn.clone costs ~1 ms a tree).
    tree_params = {
        **template.get_params(deep=False),
        **{name: getattr(forest, name) for name in forest.estimator_params},
    }
    entries = state["estimators"]
    if not entries:
        raise InvalidModelError("/state/estimators", "expected at least one tree")
    if forest.n_estimators != len(entries):  # (predict divides it among jobs: a 2**63 overflows)
        raise InvalidModelError(
            "/params/n_estimators", f"expected {len(entries)}, the number of trees in the state"
        )
    trees = decode_trees(
        [entry["tree"] for entry in entries],
        [f"/state/estimators/{i}/tree" for i in range(len(entries))],
        n_features,
        outputs,
        ctx,
    )
    max_features = decode_count(state["max_features"], "/state/max_features", 1, n_features)
    fitted = {"n_features_in_": n_features, "max_features_": max_features, **sub_outputs}
    estimators = [
        set_fitted(
            type(template)(**{**tree_params, "random_state": entry["random_state"]}),
            {**fitted, "tree_": tree_},
        )
        for entry, tree_ in zip(entries, trees)
    ]
    attributes.update(estimator_=template, estimators_=estimators)
    if "n_samples" in state:
        bootstrap, weights = state.get("n_samples_bootstrap"), state.get("sample_weight")
        samples = {
            "n_samples": decode_count(state["n_samples"], "/state/n_samples", 1, 2**62),
            "n_samples_bootstrap": None
            if bootstrap is None
            else decode_count(bootstrap, "/state/n_samples_bootstrap", 1, 2**62),
            "sample_weight": None
            if weights is None
            else decode_floats(weights, "/state/sample_weight"),
        }
        attributes.update({FOREST_SAMPLES[name]: value for name, value in samples.items()})
    if "oob_score" in state:
        attributes["oob_score_"] = state["oob_score"]
    for attribute, name, ndim in OOB:
        if name in state:
            attributes[attribute] = decode_floats(
                state[name], f"/state/{name}", ndim=ndim, nonfinite=True
            )
    return attributes
