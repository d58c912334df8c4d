"""logistic: LogisticRegression (binary and multinomial). Decision values
``intercept + coef @ x``; probabilities through expit (two classes) or softmax."""

from __future__ import annotations

import numpy as np
from sklearn.linear_model import LogisticRegression

from .. import _compat
from .._arrays import (
    Encoder,
    decode_floats,
    decode_ints,
    decode_labels,
    encode_labels,
    in_memory_order,
    memory_order,
)
from .._decoding import Decoding, set_fitted
from ..errors import InvalidModelError
from ._common import decode_common, encode_common, labels_dtype

FAMILY = "logistic"
ORDER = 2  # place in the README's table
ESTIMATORS = (LogisticRegression,)


def encode(est, enc: Encoder) -> dict:
    state = encode_common(est)
    state["classes"] = encode_labels(est.classes_)
    state["coef"] = enc.floats(est.coef_, "coef_")
    state["coef_order"] = memory_order(est.coef_)
    state["intercept"] = enc.floats(est.intercept_, "intercept_")
    state["multi_class"] = _compat.probability_scheme(est)
    state["n_iter"] = np.asarray(est.n_iter_).tolist()
    return state


def decode(state: dict, ctx: Decoding) -> dict:
    attributes = decode_common(state)
    classes = decode_labels(state["classes"], "/state/classes", labels_dtype(state))
    if len(classes) < 2:
        raise InvalidModelError("/state/classes", "expected at least two classes")
    n_rows = 1 if len(classes) == 2 else len(classes)
    coef = decode_floats(
        state["coef"], "/state/coef", ndim=2, shape=(n_rows, state["n_features_in"])
    )
    # The layout fit left (Fortran order from scikit-learn 1.9, C order before; 1.0 documents,
    # which do not say, came from 1.9) makes the BLAS take the same path: decision_function is
    # bit-identical after the round trip.
    attributes["coef_"] = in_memory_order(coef, state.get("coef_order", "F"), "/state/coef_order")
    attributes["intercept_"] = decode_floats(
        state["intercept"], "/state/intercept", shape=(n_rows,)
    )
    attributes["classes_"] = classes
    if "n_iter" in state:  # fit diagnostics: optional, prediction does not use them
        attributes["n_iter_"] = decode_ints(state["n_iter"], "/state/n_iter").astype(np.int32)
    # Format 1.0 documents, which do not say, were written by scikit-learn 1.9: one-vs-rest for
    # two classes, multinomial for more.
    scheme = state.get("multi_class", "ovr" if len(classes) == 2 else "multinomial")
    if scheme not in ("ovr", "multinomial"):
        raise InvalidModelError("/state/multi_class", 'expected "ovr" or "multinomial"')
    _compat.use_probability_scheme(set_fitted(ctx.estimator, attributes), scheme)
    return attributes
