"""linear: linear regressors. Prediction is ``intercept + coef @ x``.

Least squares (LinearRegression, Ridge, Lasso, ElasticNet and their cross-validated forms),
SGD and passive-aggressive regression, robust (Huber, quantile), Bayesian (BayesianRidge,
ARDRegression: ``predict(return_std=True)`` also reads ``sigma_``, ``alpha_``, ``lambda_`` and
``X_offset_``) and LinearSVR. What fit leaves besides the coefficients is kept for a complete
round trip; ``compact`` leaves out the bulky training traces (:data:`TRACES`).
"""

from __future__ import annotations

import numpy as np
from sklearn import linear_model
from sklearn.linear_model import (
    ARDRegression,
    BayesianRidge,
    ElasticNet,
    ElasticNetCV,
    HuberRegressor,
    Lasso,
    LassoCV,
    LinearRegression,
    QuantileRegressor,
    Ridge,
    RidgeCV,
    SGDRegressor,
)
from sklearn.svm import LinearSVR

from .. import _compat
from .._arrays import (
    Encoder,
    decode_flags,
    decode_floats,
    decode_ints,
    encode_float,
    in_memory_order,
    memory_order,
)
from .._decoding import Decoding
from ..errors import InvalidModelError
from ._common import decode_common, encode_common

FAMILY = "linear"
ORDER = 1  # place in the README's table
# PassiveAggressiveRegressor: deprecated in 1.8, to be removed in 1.10.
_PASSIVE = getattr(linear_model, "PassiveAggressiveRegressor", None)
ESTIMATORS = tuple(
    cls
    for cls in (
        LinearRegression,
        Ridge,
        Lasso,
        ElasticNet,
        RidgeCV,
        LassoCV,
        ElasticNetCV,
        SGDRegressor,
        _PASSIVE,
        HuberRegressor,
        QuantileRegressor,
        BayesianRidge,
        ARDRegression,
        LinearSVR,
    )
    if cls is not None
)
# Estimators fitted on one target only: ``coef_`` is one-dimensional.
MULTI_OUTPUT = (LinearRegression, Ridge, Lasso, ElasticNet, RidgeCV)

# Fitted values that are a number or an array of floats: state key -> attribute, allowed
# numbers of dimensions.
FLOATS = {
    "alpha": ("alpha_", (0, 1)),  # (RidgeCV with alpha_per_target: one per target)
    "alphas": ("alphas_", (1, 2)),  # (ElasticNetCV with several l1_ratio: one row each)
    "l1_ratio": ("l1_ratio_", 0),
    "mse_path": ("mse_path_", (2, 3)),
    "best_score": ("best_score_", (0, 1)),
    "cv_results": (None, (2, 3)),  # (cv_values_ or cv_results_: by version)
    "t": ("t_", 0),
    "scale": ("scale_", 0),
    "lambda": ("lambda_", (0, 1)),
    "sigma": ("sigma_", 2),
    "X_offset": ("X_offset_", 1),
    "X_scale": ("X_scale_", 1),
}
# Training traces prediction does not read, left out of compact documents.
TRACES = ("alphas", "mse_path", "cv_results", "scores", "outliers", "sgd_weights")
# What predict(return_std=True) reads.
REQUIRED = {
    BayesianRidge: ("alpha", "lambda", "sigma", "X_offset", "X_scale"),
    ARDRegression: ("alpha", "lambda", "sigma", "X_offset", "X_scale"),
}


def encode(est, enc: Encoder) -> dict:
    state = encode_common(est)
    state["coef"] = enc.floats(est.coef_, "coef_")
    if np.ndim(est.coef_) == 2:
        state["coef_order"] = memory_order(est.coef_)
    state["intercept"] = _number_or_floats(enc, est.intercept_, "intercept_")
    # Fitted diagnostics, kept for a complete round trip; prediction does not use them.
    if hasattr(est, "rank_"):
        state["rank"] = int(est.rank_)
    if getattr(est, "singular_", None) is not None:
        state["singular"] = enc.floats(est.singular_, "singular_")
    if hasattr(est, "n_iter_"):
        n_iter = est.n_iter_
        state["n_iter"] = None if n_iter is None else np.asarray(n_iter).tolist()
    if hasattr(est, "dual_gap_"):
        state["dual_gap"] = np.asarray(est.dual_gap_, dtype=np.float64).tolist()
    if hasattr(est, "solver_"):
        state["solver"] = est.solver_
    fitted = vars(est)  # (not getattr: RidgeCV's cv_values_ warns in 1.5 and 1.6)
    for key, (name, _) in FLOATS.items():
        name = name or next((n for n in ("cv_results_", "cv_values_") if n in fitted), None)
        if name in fitted and not (enc.compact and key in TRACES):
            state[key] = _number_or_floats(enc, fitted[name], name)
    if "mse_path" in state:
        axes = _axes(est.mse_path_)
        if axes != list(range(est.mse_path_.ndim)):
            state["mse_path_axes"] = axes
    if "scores_" in fitted and not enc.compact:
        state["scores"] = enc.floats(np.asarray(est.scores_, dtype=np.float64), "scores_")
    if hasattr(est, "outliers_") and not enc.compact:
        state["outliers"] = enc.flags(est.outliers_, "outliers_")
    weights = _compat.sgd_weights(est)
    if weights is not None and not enc.compact:
        state["sgd_weights"] = [enc.floats(w, name) for w, name in zip(weights, _SGD_NAMES)]
    dtypes = {key: "float32" for key, value in _float_fields(est, state) if _is_float32(value)}
    if dtypes:  # (a fit on float32 X keeps float32 values)
        state["dtypes"] = dtypes
    return state


def _float_fields(est, state: dict):
    """``(state key, the value it holds)`` for every float field of ``state``."""
    fitted = vars(est)
    names = {"coef": "coef_", "intercept": "intercept_", "singular": "singular_",
             "dual_gap": "dual_gap_", "scores": "scores_"}  # fmt: skip
    names.update((key, name) for key, (name, _) in FLOATS.items() if name)
    names["cv_results"] = next((n for n in ("cv_results_", "cv_values_") if n in fitted), None)
    for key in state:
        if key in names:
            yield key, fitted[names[key]]
    if "sgd_weights" in state:
        yield "sgd_weights", _compat.sgd_weights(est)[0]


def _is_float32(value) -> bool:
    return np.asarray(value).dtype == np.float32


_SGD_NAMES = ("standard_coef", "standard_intercept", "average_coef", "average_intercept")


def _number_or_floats(enc: Encoder, value, where: str):
    value = np.asarray(value)
    return enc.floats(value, where) if value.ndim else encode_float(value, where)


def _axes(a: np.ndarray) -> list:
    """The axes of ``a`` from the slowest- to the fastest-varying in memory ([0, 1] in C order,
    [1, 0] for a Fortran-ordered matrix)."""
    return sorted(range(a.ndim), key=lambda axis: -a.strides[axis])


def _in_axes(a: np.ndarray, axes, pointer: str) -> np.ndarray:
    """``a`` laid out in memory as :func:`_axes` recorded it."""
    if not (
        isinstance(axes, list)
        and all(type(k) is int for k in axes)
        and sorted(axes) == list(range(a.ndim))
    ):
        raise InvalidModelError(pointer, f"expected the axes 0 to {a.ndim - 1}, each once")
    return np.ascontiguousarray(a.transpose(axes)).transpose(np.argsort(axes))


def decode(state: dict, ctx: Decoding) -> dict:
    attributes = decode_common(state)
    est = ctx.estimator
    n_features = state["n_features_in"]
    multi = type(est) in MULTI_OUTPUT
    coef = decode_floats(state["coef"], "/state/coef", ndim=(1, 2) if multi else 1)
    if coef.shape[-1] != n_features:
        raise InvalidModelError("/state/coef", f"expected {n_features} coefficients per target")
    n_targets = 1 if coef.ndim == 1 else coef.shape[0]
    intercept = decode_floats(state["intercept"], "/state/intercept", ndim=(0, 1))
    if np.ndim(intercept) == 1 and intercept.shape != (n_targets,):
        raise InvalidModelError("/state/intercept", f"expected {n_targets} intercepts")
    # Several targets: the layout fit left (it decides the BLAS path, see logistic.py).
    attributes["coef_"] = in_memory_order(coef, state.get("coef_order", "C"), "/state/coef_order")
    attributes["intercept_"] = intercept
    if "rank" in state:
        attributes["rank_"] = state["rank"]
    if "singular" in state:
        attributes["singular_"] = decode_floats(state["singular"], "/state/singular")
    if "n_iter" in state:
        n_iter = state["n_iter"]
        if n_iter is not None:  # an int, or a list of ints for several targets, as fit leaves it
            n_iter = decode_ints(n_iter, "/state/n_iter", ndim=(0, 1)).tolist()
        attributes["n_iter_"] = n_iter
    if "dual_gap" in state:
        attributes["dual_gap_"] = decode_floats(state["dual_gap"], "/state/dual_gap", ndim=(0, 1))
    if "solver" in state:
        attributes["solver_"] = state["solver"]
    for key in REQUIRED.get(type(est), ()):
        if key not in state:
            raise InvalidModelError("/state", f'missing key "{key}" (predict needs it)')
    for key, (name, ndim) in FLOATS.items():
        if key in state:
            name = name or _compat.ridge_cv_results_name()
            attributes[name] = decode_floats(state[key], f"/state/{key}", ndim=ndim)
        elif key in _traces(est):
            ctx.missing.add(name or _compat.ridge_cv_results_name())
    for key in ("scores", "outliers", "sgd_weights"):
        if key not in state and key in _traces(est):
            ctx.missing.add(
                key + "_" if key != "sgd_weights" else "the SGD weights partial_fit reads"
            )
    _check_shapes(attributes, est, n_features, n_targets)
    if "mse_path_" in attributes:
        path = attributes["mse_path_"]
        attributes["mse_path_"] = _in_axes(
            path, state.get("mse_path_axes", list(range(path.ndim))), "/state/mse_path_axes"
        )
    if "scores" in state:
        scores = decode_floats(state["scores"], "/state/scores")
        # BayesianRidge keeps an array where it computed scores, else (and ARD) a list.
        keep_array = isinstance(est, BayesianRidge) and est.compute_score
        attributes["scores_"] = scores if keep_array else list(scores)
    if "outliers" in state:
        attributes["outliers_"] = decode_flags(state["outliers"], "/state/outliers").astype(bool)
    if "sgd_weights" in state:
        attributes.update(_compat.sgd_private(_sgd_weights(state["sgd_weights"], coef.shape)))
    return _narrowed(attributes, state)


# State key -> the attributes its dtype applies to (where not the key's name plus "_").
_HOLDS = {
    "cv_results": ("cv_results_", "cv_values_"),
    "sgd_weights": _compat.SGD_WEIGHTS[::2],  # (the coefficients: as coef_; intercepts float64)
}


def _narrowed(attributes: dict, state: dict) -> dict:
    """The attributes ``state["dtypes"]`` records as float32, as float32 (values it holds
    exactly: other readers apply them as written)."""
    dtypes = state.get("dtypes", {})
    for key, dtype in dtypes.items():
        pointer = f"/state/dtypes/{key}"
        if key not in state or dtype not in ("float64", "float32"):
            raise InvalidModelError(pointer, 'expected "float32" or "float64" for a field here')
        for name in _HOLDS.get(key, (key + "_",)):
            if name not in attributes:
                continue
            value = attributes[name]
            wide = np.asarray(value, dtype=np.float64)
            narrow = wide.astype(dtype)
            if (narrow != wide).any():
                raise InvalidModelError(f"/state/{key}", f"expected values that {dtype} holds")
            if isinstance(value, list):  # (scores_)
                narrow = list(narrow)
            elif narrow.ndim == 0:
                narrow = narrow[()]
            attributes[name] = narrow
    return attributes


def _traces(est) -> tuple:
    """The training traces fit leaves on ``est`` (which a compact document leaves out)."""
    if isinstance(est, RidgeCV):
        stored = any(
            getattr(est, p, False) is True for p in ("store_cv_results", "store_cv_values")
        )
        return ("cv_results",) if stored else ()
    if isinstance(est, (LassoCV, ElasticNetCV)):
        return ("alphas", "mse_path")
    if isinstance(est, (BayesianRidge, ARDRegression)):
        return ("scores",)
    if isinstance(est, HuberRegressor):
        return ("outliers",)
    if getattr(est, "average", 0):  # (SGD and passive-aggressive regressors)
        return ("sgd_weights",)
    return ()


def _check_shapes(attributes: dict, est, n_features: int, n_targets: int) -> None:
    """Shapes that prediction (``return_std`` too) or the attributes' meaning fix."""
    alpha = attributes.get("alpha_")
    if np.ndim(alpha) == 1 and alpha.shape != (n_targets,):
        raise InvalidModelError("/state/alpha", f"expected a number or {n_targets} values")
    score = attributes.get("best_score_")
    if np.ndim(score) == 1 and score.shape != (n_targets,):
        raise InvalidModelError("/state/best_score", f"expected a number or {n_targets} values")
    for key in ("X_offset", "X_scale"):
        value = attributes.get(key + "_")
        if value is not None and value.shape != (n_features,):
            raise InvalidModelError(f"/state/{key}", f"expected {n_features} values")
    lam = attributes.get("lambda_")
    if lam is not None:
        ard = isinstance(est, ARDRegression)
        if np.ndim(lam) != (1 if ard else 0) or (ard and lam.shape != (n_features,)):
            expected = f"{n_features} values" if ard else "a number"
            raise InvalidModelError("/state/lambda", f"expected {expected}")
    sigma = attributes.get("sigma_")
    if sigma is not None:
        # ARDRegression: over the features it kept (lambda_ < threshold_lambda), as predict
        # selects them.
        k = n_features
        if isinstance(est, ARDRegression):
            k = int(np.count_nonzero(attributes["lambda_"] < est.threshold_lambda))
        if sigma.shape != (k, k):
            raise InvalidModelError("/state/sigma", f"expected shape ({k}, {k})")
    if "cv_values_" in attributes or "cv_results_" in attributes:
        values = attributes.get("cv_values_", attributes.get("cv_results_"))
        if values.ndim == 3 and values.shape[1] != n_targets:
            raise InvalidModelError("/state/cv_results", f"expected {n_targets} targets on axis 1")


def _sgd_weights(node, coef_shape) -> list:
    pointer = "/state/sgd_weights"
    if not isinstance(node, list) or len(node) != 4:
        raise InvalidModelError(pointer, "expected 4 arrays")
    shapes = (coef_shape, (1,), coef_shape, (1,))
    return [
        decode_floats(w, f"{pointer}/{i}", shape=shape)
        for i, (w, shape) in enumerate(zip(node, shapes))
    ]


def translate_params(cls, params: dict) -> dict:
    """Hook for the envelope: the document's parameters as this scikit-learn spells them (their
    names and defaults changed across versions: ``_compat.linear_params``)."""
    return _compat.linear_params(cls, params)
