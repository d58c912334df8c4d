"""logistic: LogisticRegression and LogisticRegressionCV (binary and multinomial). Decision
values ``intercept + coef @ x``; probabilities through expit (two classes) or softmax.
LogisticRegressionCV keeps its fitted choices (``C_``, ``l1_ratio_``, the grids ``Cs_`` and
``l1_ratios_``) and, but in compact documents, its cross-validation paths (``coefs_paths_``,
``scores_``: dicts keyed by class label, or arrays with ``use_legacy_attributes=False``, and
``n_iter_``) in the memory layout fit left them."""

from __future__ import annotations

import numpy as np
from sklearn.linear_model import LogisticRegression, LogisticRegressionCV

from .. import _compat
from .._arrays import (
    Encoder,
    decode_floats,
    decode_ints,
    decode_labels,
    encode_float,
    encode_labels,
    in_memory_order,
    memory_order,
)
from .._decoding import Decoding, set_fitted
from ..errors import InvalidModelError, UnsupportedModelError
from ._common import decode_common, encode_common, labels_dtype

FAMILY = "logistic"
ORDER = 2  # place in the README's table
ESTIMATORS = (LogisticRegression, LogisticRegressionCV)
#: What a compact document leaves out of a LogisticRegressionCV.
CV_PATHS = ("coefs_paths_", "scores_", "n_iter_")


def encode(est, enc: Encoder) -> dict:
    state = encode_common(est)
    state["classes"] = encode_labels(est.classes_)
    state["coef"] = enc.floats(est.coef_, "coef_")
    state["coef_order"] = memory_order(est.coef_)
    state["intercept"] = enc.floats(est.intercept_, "intercept_")
    state["multi_class"] = _compat.probability_scheme(est)
    if isinstance(est, LogisticRegressionCV):
        state.update(_encode_cv(est, enc))
    else:
        state["n_iter"] = np.asarray(est.n_iter_).tolist()
    return state


def decode_classes_coef(state: dict, order: str) -> tuple:
    """``classes_`` (two at least) and ``coef_`` of a linear classifier: one row for two
    classes, one per class for more, in the layout fit left (``order`` where the document does
    not say), which makes the BLAS take the same path: decision_function is bit-identical after
    the round trip."""
    classes = decode_labels(state["classes"], "/state/classes", labels_dtype(state))
    if len(classes) < 2:
        raise InvalidModelError("/state/classes", "expected at least two classes")
    n_rows = 1 if len(classes) == 2 else len(classes)
    coef = decode_floats(
        state["coef"], "/state/coef", ndim=2, shape=(n_rows, state["n_features_in"])
    )
    return classes, in_memory_order(coef, state.get("coef_order", order), "/state/coef_order")


def _encode_cv(est, enc: Encoder) -> dict:
    """LogisticRegressionCV's choices (numbers, or arrays of them as numpy made them: int64
    where the grids were given as integers, objects holding None for ``l1_ratios_`` without
    elastic net) and its paths."""
    state = {key: _numbers(getattr(est, key + "_")) for key in ("Cs", "l1_ratios", "C", "l1_ratio")}
    if enc.compact:
        return state
    by_class = isinstance(est.scores_, dict)
    state["by_class"] = by_class
    for key in ("coefs_paths", "scores"):
        value = getattr(est, key + "_")
        arrays = list(value.values()) if by_class else [value]
        state[key] = [enc.floats(a, f"{key}_") for a in arrays]
        state[key + "_axes"] = [_axes(a) for a in arrays]
    state["n_iter"] = enc.ints(est.n_iter_, "n_iter_")
    state["n_iter_axes"] = _axes(est.n_iter_)
    return state


def _numbers(value):
    if isinstance(value, np.ndarray):
        if value.dtype.kind not in "iufO" or not all(
            v is None or isinstance(v, (int, float)) for v in value.tolist()
        ):
            raise UnsupportedModelError(f"LogisticRegressionCV: cannot export {value!r}")
        return [v if v is None else _finite(v) for v in value.tolist()]
    return _finite(value)


def _finite(v):
    if isinstance(v, float) or isinstance(v, np.floating):
        return encode_float(v, "LogisticRegressionCV")
    return int(v)


def _axes(a: np.ndarray) -> list:
    """The axes of ``a`` from the outermost to the innermost in memory (``[0, 1, ...]``: C
    order), as the tests of a round trip compare layouts."""
    return sorted(range(a.ndim), key=lambda axis: -abs(a.strides[axis]))


def decode(state: dict, ctx: Decoding) -> dict:
    attributes = decode_common(state)
    # (1.0 documents, which do not say the layout of coef, came from 1.9: Fortran order.)
    classes, attributes["coef_"] = decode_classes_coef(state, "F")
    n_rows = len(attributes["coef_"])
    attributes["intercept_"] = decode_floats(
        state["intercept"], "/state/intercept", shape=(n_rows,)
    )
    attributes["classes_"] = classes
    if isinstance(ctx.estimator, LogisticRegressionCV):
        attributes.update(_decode_cv(state, ctx, classes))
    elif "n_iter" in state:  # fit diagnostics: optional, prediction does not use them
        attributes["n_iter_"] = decode_ints(state["n_iter"], "/state/n_iter").astype(np.int32)
    # Format 1.0 documents, which do not say, were written by scikit-learn 1.9: one-vs-rest for
    # two classes, multinomial for more.
    scheme = state.get("multi_class", "ovr" if len(classes) == 2 else "multinomial")
    if scheme not in ("ovr", "multinomial"):
        raise InvalidModelError("/state/multi_class", 'expected "ovr" or "multinomial"')
    _compat.use_probability_scheme(set_fitted(ctx.estimator, attributes), scheme)
    return attributes


def _decode_cv(state: dict, ctx: Decoding, classes: np.ndarray) -> dict:
    attributes = {}
    for key in ("Cs", "l1_ratios", "C", "l1_ratio"):
        if key not in state:
            raise InvalidModelError("/state", f'missing key "{key}"')
        attributes[key + "_"] = _decode_numbers(state[key], f"/state/{key}", key.startswith("l1"))
    if "coefs_paths" not in state:
        ctx.missing.update(CV_PATHS)
        return attributes
    for key in ("by_class", "scores", "n_iter", "coefs_paths_axes", "scores_axes", "n_iter_axes"):
        if key not in state:
            raise InvalidModelError("/state", f'missing key "{key}"')
    by_class = state["by_class"]
    if not isinstance(by_class, bool):
        raise InvalidModelError("/state/by_class", "expected true or false")
    keys = classes[1:] if len(classes) == 2 else classes
    for key in ("coefs_paths", "scores"):
        pointer = f"/state/{key}"
        node, axes = state[key], state[key + "_axes"]
        if isinstance(node, np.ndarray):  # (the parser reads rectangular numbers into numpy)
            node = list(node)
        n = len(keys) if by_class else 1
        for name, value in ((pointer, node), (pointer + "_axes", axes)):
            if not isinstance(value, list) or len(value) != n:
                raise InvalidModelError(name, f"expected a list of {n}")
        arrays = [
            _in_axes(
                decode_floats(a, f"{pointer}/{i}", ndim=(2, 3, 4, 5)),
                axes[i],
                f"{pointer}_axes/{i}",
            )
            for i, a in enumerate(node)
        ]
        attributes[key + "_"] = dict(zip(keys, arrays)) if by_class else arrays[0]
    n_iter = decode_ints(state["n_iter"], "/state/n_iter", ndim=(3, 4)).astype(np.int32)
    attributes["n_iter_"] = _in_axes(n_iter, state["n_iter_axes"], "/state/n_iter_axes")
    return attributes


def _decode_numbers(node, pointer: str, nulls: bool):
    """A number, or a 1-D array of numbers (and nulls for the l1 ratios: no elastic net) of numpy's
    choice of dtype for them, as fit made it."""
    if isinstance(node, np.ndarray):  # (the parser reads long arrays of numbers into numpy)
        node = node.tolist()
    if not isinstance(node, list):
        if isinstance(node, bool) or not isinstance(node, (int, float)):
            raise InvalidModelError(pointer, "expected a number or an array of numbers")
        return float(decode_floats(node, pointer, ndim=0))
    for i, v in enumerate(node):
        if v is None and nulls:
            continue
        if isinstance(v, bool) or not isinstance(v, (int, float)) or not np.isfinite(v):
            raise InvalidModelError(
                f"{pointer}/{i}", "expected a finite number" + " or null" * nulls
            )
    if not node:
        raise InvalidModelError(pointer, "expected at least one value")
    return np.asarray(node)


def _in_axes(a: np.ndarray, axes, pointer: str) -> np.ndarray:
    """``a`` (C order) laid out with its axes from the outermost to the innermost in memory as
    ``axes`` says."""
    if (
        not isinstance(axes, list)
        or sorted(axes) != list(range(a.ndim))
        or not all(type(x) is int for x in axes)
    ):
        raise InvalidModelError(pointer, f"expected a permutation of the {a.ndim} axes")
    return np.ascontiguousarray(a.transpose(axes)).transpose(np.argsort(axes))
