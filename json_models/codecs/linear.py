"""linear: least-squares regressors. Prediction is ``intercept + coef @ x``."""

from __future__ import annotations

import numpy as np
from sklearn.linear_model import ElasticNet, Lasso, LinearRegression, Ridge

from .._arrays import (
    Encoder,
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
ESTIMATORS = (LinearRegression, Ridge, Lasso, ElasticNet)


def encode(est, enc: Encoder) -> dict:
    state = encode_common(est)
    state["coef"] = enc.floats(est.coef_, "coef_")
    if np.ndim(est.coef_) == 2:
        state["coef_order"] = memory_order(est.coef_)
    intercept = np.asarray(est.intercept_)
    state["intercept"] = (
        enc.floats(intercept, "intercept_")
        if intercept.ndim
        else encode_float(intercept, "intercept_")
    )
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
    return state


def decode(state: dict, ctx: Decoding) -> dict:
    attributes = decode_common(state)
    n_features = state["n_features_in"]
    coef = decode_floats(state["coef"], "/state/coef", ndim=(1, 2))
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
    return attributes
