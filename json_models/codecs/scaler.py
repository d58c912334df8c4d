"""scaler: StandardScaler, MinMaxScaler, MaxAbsScaler, RobustScaler, Normalizer.

Each fitted statistic is stored under its attribute's name without the trailing underscore,
with its numpy dtype in ``dtypes`` where it is not what a plain JSON number reads as (float32
statistics of a scaler fitted on float32 X; ``n_samples_seen_`` as np.int64 or np.float64
rather than a Python int). ``transform`` follows the parameters (``with_mean``, ``clip``, ...),
not which attributes happen to be there, as scikit-learn does.
"""

from __future__ import annotations

import numpy as np
from sklearn.preprocessing import (
    MaxAbsScaler,
    MinMaxScaler,
    Normalizer,
    RobustScaler,
    StandardScaler,
)

from .. import _compat
from .._arrays import Encoder, decode_floats, decode_ints
from .._decoding import Decoding
from ..errors import InvalidModelError, UnsupportedModelError
from ._common import decode_common, encode_common

FAMILY = "scaler"
ORDER = 10  # place in the README's table
ESTIMATORS = (StandardScaler, MinMaxScaler, MaxAbsScaler, RobustScaler, Normalizer)

# Per estimator: its fitted statistics (state field = attribute without "_"), each with the
# parameter that makes transform use it (None: always there).
STATISTICS = {
    StandardScaler: {"mean": "with_mean", "var": "with_std", "scale": "with_std"},
    MinMaxScaler: {f: None for f in ("scale", "min", "data_min", "data_max", "data_range")},
    MaxAbsScaler: {"max_abs": None, "scale": None},
    RobustScaler: {"center": "with_centering", "scale": "with_scaling"},
    Normalizer: {},
}
FLOAT_DTYPES = ("float64", "float32")
COUNT_DTYPES = ("int64", "float64", "float32")  # n_samples_seen_ (floats: fit with weights)


def encode(est, enc: Encoder) -> dict:
    state = encode_common(est)
    dtypes = {}
    for field in STATISTICS[type(est)]:
        value = getattr(est, field + "_")
        if value is None:
            state[field] = None
            continue
        state[field] = enc.floats(value, field + "_")
        if value.dtype != np.float64:
            dtypes[field] = _dtype_name(value, FLOAT_DTYPES, field + "_")
    if hasattr(est, "n_samples_seen_"):
        seen = est.n_samples_seen_
        if isinstance(seen, np.ndarray) and seen.ndim:  # one count per feature (NaN in X)
            kind = _dtype_name(seen, COUNT_DTYPES, "n_samples_seen_")
            floats = kind != "int64"
            state["n_samples_seen"] = (enc.floats if floats else enc.ints)(seen, "n_samples_seen_")
        else:
            kind = None if type(seen) is int else _dtype_name(seen, COUNT_DTYPES, "n_samples_seen_")
            state["n_samples_seen"] = int(seen) if kind in (None, "int64") else float(seen)
        if kind is not None and not (kind == "int64" and np.ndim(seen)):  # (the defaults)
            dtypes["n_samples_seen"] = kind
    if dtypes:
        state["dtypes"] = dtypes
    if _compat.maxabs_clips(est):  # (a version without the parameter would not clip: see decode)
        state["clip"] = True
    return state


def _dtype_name(value, allowed, where: str) -> str:
    name = np.asarray(value).dtype.name
    if name not in allowed:
        raise UnsupportedModelError(f"{where} of dtype {name} cannot be exported")
    return name


def decode(state: dict, ctx: Decoding) -> dict:
    attributes = decode_common(state)
    n = attributes["n_features_in_"]
    est = ctx.estimator
    dtypes = state.get("dtypes", {})
    for key in dtypes:
        allowed = COUNT_DTYPES if key == "n_samples_seen" else FLOAT_DTYPES
        if key not in state or dtypes[key] not in allowed:
            raise InvalidModelError(f"/state/dtypes/{key}", f"expected one of {allowed} here")
    for field, flag in STATISTICS[type(est)].items():
        pointer = f"/state/{field}"
        value = state.get(field)
        if value is None:
            if flag is None or getattr(est, flag):
                raise InvalidModelError(
                    pointer, f"expected {n} numbers" + (f" ({flag} is true)" if flag else "")
                )
        else:
            value = decode_floats(value, pointer, shape=(n,))
            narrow = value.astype(dtypes.get(field, "float64"))
            if (narrow != value).any():  # (other readers apply the values as written)
                raise InvalidModelError(pointer, f"expected values that {narrow.dtype} holds")
            value = narrow
        attributes[field + "_"] = value
    if "n_samples_seen" in state:
        attributes["n_samples_seen_"] = _decode_seen(state["n_samples_seen"], dtypes, n)
    if type(est) is MaxAbsScaler and state.get("clip") and not _compat.maxabs_clips(est):
        raise UnsupportedModelError(
            f"MaxAbsScaler: this document clips to [-1, 1] (clip=True), which scikit-learn "
            f"{_compat.SKLEARN_VERSION} cannot do (its MaxAbsScaler has no clip parameter); "
            "load it with scikit-learn 1.8 or later"
        )
    return attributes


def _decode_seen(node, dtypes: dict, n: int):
    pointer = "/state/n_samples_seen"
    dtype = dtypes.get("n_samples_seen")
    if dtype in ("float64", "float32"):
        seen = decode_floats(node, pointer, ndim=(0, 1))
    else:
        seen = decode_ints(node, pointer, ndim=(0, 1))
    seen = np.asarray(seen)
    if seen.ndim and seen.shape != (n,):
        raise InvalidModelError(pointer, f"expected a number or {n} counts")
    if (seen < 0).any():
        raise InvalidModelError(pointer, "expected counts >= 0")
    if seen.ndim:
        return seen.astype(dtype or "int64")
    return int(seen) if dtype is None else np.dtype(dtype).type(seen)
