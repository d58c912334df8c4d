"""logistic: LogisticRegression (binary and multinomial). Decision values
``intercept + coef @ x``; probabilities through expit (two classes) or softmax."""

from __future__ import annotations

import numpy as np
from sklearn.linear_model import LogisticRegression

from .._arrays import Encoder, decode_floats, decode_ints, decode_labels, encode_labels
from ..errors import InvalidModelError
from ._common import Decoding, decode_common, encode_common

FAMILY = "logistic"
ESTIMATORS = (LogisticRegression,)


def encode(est, enc: Encoder) -> dict:
    state = encode_common(est)
    state["classes"] = encode_labels(est.classes_)
    state["coef"] = enc.floats(est.coef_, "coef_")
    state["intercept"] = enc.floats(est.intercept_, "intercept_")
    state["n_iter"] = np.asarray(est.n_iter_).tolist()
    return state


def decode(state: dict, ctx: Decoding) -> dict:
    attributes = decode_common(state)
    classes = decode_labels(state["classes"], "/state/classes")
    if len(classes) < 2:
        raise InvalidModelError("/state/classes", "expected at least two classes")
    n_rows = 1 if len(classes) == 2 else len(classes)
    coef = decode_floats(
        state["coef"], "/state/coef", ndim=2, shape=(n_rows, state["n_features_in"])
    )
    # fit leaves coef_ Fortran-ordered; the same layout makes the BLAS take the same path, so
    # decision_function is bit-identical after the round trip.
    attributes["coef_"] = np.asfortranarray(coef)
    attributes["intercept_"] = decode_floats(
        state["intercept"], "/state/intercept", shape=(n_rows,)
    )
    attributes["classes_"] = classes
    if "n_iter" in state:  # fit diagnostics: optional, prediction does not use them
        attributes["n_iter_"] = decode_ints(state["n_iter"], "/state/n_iter")
    return attributes
