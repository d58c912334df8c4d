"""linear_classifier: SGDClassifier, Perceptron, PassiveAggressiveClassifier, RidgeClassifier,
RidgeClassifierCV, LinearSVC. Decision values ``intercept + coef @ x``; two classes: one value,
``classes[1]`` where it is positive; more: the first argmax. SGDClassifier's probabilities
(log_loss, modified_huber) are scikit-learn's, from the decision values."""

from __future__ import annotations

import numpy as np
from sklearn import linear_model
from sklearn.linear_model import (
    Perceptron,
    RidgeClassifier,
    RidgeClassifierCV,
    SGDClassifier,
)
from sklearn.svm import LinearSVC

from .. import _compat
from .._arrays import (
    Encoder,
    decode_floats,
    decode_ints,
    encode_float,
    encode_labels,
    memory_order,
)
from .._decoding import Decoding
from ..errors import InvalidModelError, UnsupportedModelError
from ._common import decode_common, encode_common
from .logistic import decode_classes_coef

FAMILY = "linear_classifier"
ORDER = 2  # place in the README's table
# PassiveAggressiveClassifier: deprecated in 1.8, gone where the running scikit-learn lacks it.
_PASSIVE = getattr(linear_model, "PassiveAggressiveClassifier", None)
SGD = tuple(c for c in (SGDClassifier, Perceptron, _PASSIVE) if c is not None)
RIDGE = (RidgeClassifier, RidgeClassifierCV)
ESTIMATORS = (*SGD, *RIDGE, LinearSVC)


def encode(est, enc: Encoder) -> dict:
    state = encode_common(est)
    if isinstance(est, RIDGE) and _compat.ridge_target_type(est) not in ("binary", "multiclass"):
        raise UnsupportedModelError(
            f"{type(est).__name__} fitted on {_compat.ridge_target_type(est)} targets cannot be "
            "exported (binary and multiclass ones can)"
        )
    state["classes"] = encode_labels(est.classes_)
    coef = est.coef_ if est.coef_.ndim == 2 else est.coef_[None, :]
    state["coef"] = enc.floats(coef, "coef_")
    state["coef_order"] = memory_order(coef)
    intercept = est.intercept_
    state["intercept"] = (
        enc.floats(intercept, "intercept_")
        if np.ndim(intercept)
        else encode_float(intercept, "intercept_")  # (0.0 without fit_intercept: Ridge, LinearSVC)
    )
    # Fit diagnostics, kept for a complete round trip; prediction does not use them.
    if hasattr(est, "n_iter_"):
        n_iter = est.n_iter_
        state["n_iter"] = None if n_iter is None else np.asarray(n_iter).tolist()
    if hasattr(est, "t_"):
        state["t"] = encode_float(est.t_, "t_")
    if hasattr(est, "solver_"):
        state["solver"] = est.solver_
    if isinstance(est, RidgeClassifierCV):
        state["alpha"] = encode_float(est.alpha_, "alpha_")
        state["best_score"] = encode_float(est.best_score_, "best_score_")
        results = getattr(est, _compat.RIDGE_CV_RESULTS, None)
        if results is not None and not enc.compact:
            state["cv_results"] = enc.floats(results, _compat.RIDGE_CV_RESULTS)
    return state


def decode(state: dict, ctx: Decoding) -> dict:
    est = ctx.estimator
    attributes = decode_common(state)
    classes, coef = decode_classes_coef(state, "C")
    n_rows = len(coef)
    intercept = decode_floats(state["intercept"], "/state/intercept", ndim=(0, 1))
    if np.ndim(intercept) == 1 and intercept.shape != (n_rows,):
        raise InvalidModelError("/state/intercept", f"expected a number or {n_rows} values")
    attributes["intercept_"] = intercept if np.ndim(intercept) else float(intercept)
    if isinstance(est, RIDGE):
        attributes.update(_compat.ridge_labels(est, classes))
        if n_rows == 1 and _compat.RIDGE_BINARY_COEF_1D:
            coef = coef[0]
    else:
        attributes["classes_"] = classes
    attributes["coef_"] = coef
    if "n_iter" in state:
        attributes["n_iter_"] = _n_iter(state["n_iter"], est)
    if "t" in state:
        attributes["t_"] = float(decode_floats(state["t"], "/state/t", ndim=0))
    if "solver" in state:
        if not isinstance(state["solver"], str):
            raise InvalidModelError("/state/solver", "expected a string")
        attributes["solver_"] = state["solver"]
    if isinstance(est, RidgeClassifierCV):
        for key in ("alpha", "best_score"):
            if key not in state:
                raise InvalidModelError("/state", f'missing key "{key}"')
        alpha = decode_floats(state["alpha"], "/state/alpha", ndim=0)
        attributes["alpha_"] = _compat.ridge_cv_alpha(est, alpha)
        attributes["best_score_"] = np.float64(
            decode_floats(state["best_score"], "/state/best_score", ndim=0)
        )
        if "cv_results" in state:
            attributes[_compat.RIDGE_CV_RESULTS] = decode_floats(
                state["cv_results"], "/state/cv_results", ndim=3
            )
        elif est.get_params().get("store_cv_results") or est.get_params().get("store_cv_values"):
            ctx.missing.add(_compat.RIDGE_CV_RESULTS)
    if isinstance(est, SGD):
        attributes.update(_compat.sgd_loss_function(est))
    return attributes


def translate_params(cls, params: dict) -> dict:
    """The document's parameters as this scikit-learn spells them (defaults and names changed
    across versions: ``_compat.linear_classifier_params``)."""
    return _compat.linear_classifier_params(cls, params)


def _n_iter(node, est):
    """``n_iter_``: an int (SGD-trained classifiers, LinearSVC); for RidgeClassifier(CV) None
    (closed-form solvers) or one int32 count per target."""
    pointer = "/state/n_iter"
    if not isinstance(est, RIDGE):
        return int(decode_ints(node, pointer, ndim=0))
    if node is None:
        return None
    return decode_ints(node, pointer).astype(np.int32)
