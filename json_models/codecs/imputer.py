"""imputer: SimpleImputer. Transform puts ``statistics_[j]`` where feature j is missing, drops
the features whose statistic is NaN (none with ``keep_empty_features``), then appends the
``indicator_`` columns (``add_indicator``: one per feature missing at fit time)."""

from __future__ import annotations

import math

import numpy as np
from sklearn.impute import SimpleImputer

from .. import _compat
from .._arrays import NONFINITE_NAMES, Encoder, decode_floats, decode_ints, text_problem
from .._decoding import Decoding
from ..errors import InvalidModelError, UnsupportedModelError, found, pointer_join
from ._common import decode_common, encode_common

FAMILY = "imputer"
ORDER = 12  # place in the README's table
ESTIMATORS = (SimpleImputer,)

# The dtypes of X SimpleImputer fits on (kinds f, i, u and object; not float16, which the
# JavaScript runtime cannot round to), by name.
DTYPES = (
    "float64", "float32", "int64", "int32", "int16", "int8",
    "uint64", "uint32", "uint16", "uint8", "object",
)  # fmt: skip
NONFINITE_TEXT = {"nan": "NaN", "inf": "Infinity", "-inf": "-Infinity"}


def encode(est, enc: Encoder) -> dict:
    state = encode_common(est)
    state["fit_dtype"] = _dtype_name(_compat.imputer_fit_dtype(est), "the dtype of X in fit")
    statistics = np.asarray(est.statistics_)
    state["statistics_dtype"] = _dtype_name(statistics.dtype, "statistics_")
    if statistics.dtype.kind == "O":
        state["statistics"] = [_encode_value(v) for v in statistics.tolist()]
    else:
        as_float = statistics.astype(np.float64)
        if statistics.dtype.kind in "iu" and not np.array_equal(as_float, statistics):
            raise UnsupportedModelError("statistics_ holds integers that float64 cannot hold")
        state["statistics"] = enc.floats(as_float, "statistics_", nonfinite=True)
    # Before scikit-learn 1.8, strategy "constant" keeps every feature: a NaN statistic
    # (fill_value NaN) is filled in, where later versions drop the feature.
    if _nan_dropped(est, statistics) and not _compat.constant_drops_empty():
        state["fills_nan"] = True
    if est.indicator_ is not None:
        features = _compat.indicator_checked(est.indicator_)
        state["indicator_features"] = enc.ints(features, "indicator_.features_")
    return state


def _dtype_name(dtype: np.dtype, where: str) -> str:
    if dtype.name not in DTYPES:
        raise UnsupportedModelError(f"SimpleImputer: {where} is {dtype}, which cannot be exported")
    return dtype.name


def _encode_value(value):
    """One statistic of dtype object as a JSON value: a string, number, boolean or null; a
    non-finite float as {"float": "NaN" | "Infinity" | "-Infinity"} (as in parameters)."""
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return {"float": NONFINITE_TEXT[repr(value)]}
    if isinstance(value, str):
        problem = text_problem(value)
        if problem:
            raise UnsupportedModelError(f"statistics_ cannot be exported: {value!r} {problem}")
    elif not (value is None or isinstance(value, (bool, int, float))):
        raise UnsupportedModelError(
            f"statistics_ cannot be exported: it holds a {type(value).__name__}"
        )
    elif isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 2**53:
        raise UnsupportedModelError(f"statistics_ cannot be exported: {value} is 2**53 or more")
    return value


def _nan_dropped(est, statistics: np.ndarray) -> bool:
    """Whether the two rules for NaN statistics (filled before 1.8, dropped from 1.8) differ on
    this imputer: strategy "constant" and a NaN statistic, features not all kept."""
    if est.strategy != "constant" or est.keep_empty_features:
        return False
    return bool(any(isinstance(v, float) and math.isnan(v) for v in statistics.tolist()))


def decode(state: dict, ctx: Decoding) -> dict:
    attributes = decode_common(state)
    est = ctx.estimator
    n_features = attributes["n_features_in_"]
    fit_dtype = _decode_dtype(state["fit_dtype"], "/state/fit_dtype")
    dtype = _decode_dtype(state["statistics_dtype"], "/state/statistics_dtype")
    pointer = "/state/statistics"
    if dtype.kind == "O":
        statistics = _decode_objects(state["statistics"], pointer, n_features)
        if fit_dtype.kind != "O":  # (the fill values of numbers are numbers)
            for i, value in enumerate(statistics.tolist()):
                if isinstance(value, bool) or not isinstance(value, (int, float)):
                    raise InvalidModelError(
                        pointer_join(pointer, i),
                        f"expected a number (fit_dtype is {fit_dtype}), found {found(value)}",
                    )
    else:
        values = decode_floats(state["statistics"], pointer, shape=(n_features,), nonfinite=True)
        with np.errstate(all="ignore"):
            statistics = values.astype(dtype)
            exact = (statistics.astype(np.float64) == values) | (
                np.isnan(values) & (dtype.kind == "f")
            )
        if not exact.all():
            raise InvalidModelError(
                pointer_join(pointer, int(np.argmin(exact))), f"expected a value of {dtype}"
            )
    fills_nan = state.get("fills_nan", False)
    if fills_nan and (est.strategy != "constant" or est.keep_empty_features):
        raise InvalidModelError(
            "/state/fills_nan",
            'expected only with strategy "constant" and keep_empty_features false',
        )
    drops = _compat.constant_drops_empty()
    if _nan_dropped(est, statistics) and fills_nan == drops:
        raise UnsupportedModelError(
            'SimpleImputer: strategy "constant" with a NaN statistic: this document '
            f"{'fills' if fills_nan else 'drops'} its feature, as scikit-learn "
            f"{'before' if fills_nan else 'from'} 1.8 does, and scikit-learn "
            f"{_compat.SKLEARN_VERSION} cannot; load it with a version "
            f"{'before' if fills_nan else 'from'} 1.8"
        )
    if est.strategy == "constant" and not drops and dtype.kind == "O" and fit_dtype.kind != "O":
        # Written from 1.8 (objects); before 1.8 the fill values have X's dtype (transform
        # checks that it casts to the data's).
        statistics = statistics.astype(fit_dtype)
    attributes["statistics_"] = statistics
    attributes.update(_compat.imputer_private(fit_dtype))
    attributes["indicator_"] = _decode_indicator(state, est, n_features)
    return attributes


def _decode_dtype(node, pointer: str) -> np.dtype:
    if node not in DTYPES:
        raise InvalidModelError(
            pointer, f"expected one of {', '.join(DTYPES)}, found {found(node)}"
        )
    return np.dtype(node)


def _decode_objects(node, pointer: str, n_features: int) -> np.ndarray:
    if isinstance(node, np.ndarray):  # numbers only, read by the parser as an array
        node = node.tolist()
    if not isinstance(node, list):
        raise InvalidModelError(pointer, "expected an array of values")
    if len(node) != n_features:
        raise InvalidModelError(pointer, f"expected {n_features} values, found {len(node)}")
    out = np.empty(n_features, dtype=object)
    for i, value in enumerate(node):
        out[i] = _decode_value(value, pointer_join(pointer, i))
    return out


def _decode_value(value, pointer: str):
    if isinstance(value, dict):
        name = value.get("float") if len(value) == 1 else None
        if name not in NONFINITE_NAMES:
            raise InvalidModelError(pointer, 'expected {"float": "NaN" | "Infinity" | "-Infinity"}')
        return NONFINITE_NAMES[name]
    if isinstance(value, str):
        problem = text_problem(value)
        if problem:
            raise InvalidModelError(pointer, f"this value {problem}")
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        if not math.isfinite(value) or abs(value) >= 2**53 and isinstance(value, int):
            raise InvalidModelError(pointer, f"expected a value, found {found(value)}")
    elif not (value is None or isinstance(value, bool)):
        raise InvalidModelError(
            pointer,
            f'expected a string, number, boolean, null or {{"float": ...}}, found {found(value)}',
        )
    return value


def _decode_indicator(state: dict, est, n_features: int):
    pointer = "/state/indicator_features"
    if not est.add_indicator:
        if "indicator_features" in state:
            raise InvalidModelError(pointer, "expected only with add_indicator true")
        return None
    if "indicator_features" not in state:
        raise InvalidModelError(
            "/state", 'missing key "indicator_features" (add_indicator is true)'
        )
    features = decode_ints(state["indicator_features"], pointer)
    bad = (features < 0) | (features >= n_features)
    if features.size > 1:
        bad[1:] |= np.diff(features) <= 0
    if bad.any():
        raise InvalidModelError(
            pointer_join(pointer, int(np.argmax(bad))),
            f"expected increasing feature indices in [0, {n_features})",
        )
    return _compat.missing_indicator(est.missing_values, n_features, features.astype(np.intp))
