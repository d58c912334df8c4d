"""polynomial: PolynomialFeatures.

Fitting only counts the output columns: the state holds ``n_output_features``, which readers
check against the parameters (``degree``, ``interaction_only``, ``include_bias``) and the
number of input features. The transform is rebuilt from the parameters.
"""

from __future__ import annotations

from math import comb
from numbers import Integral

from sklearn.preprocessing import PolynomialFeatures

from .. import _compat
from .._arrays import Encoder, decode_count
from .._decoding import Decoding
from ..errors import InvalidModelError, UnsupportedModelError
from ._common import decode_common, encode_common

FAMILY = "polynomial"
ORDER = 11  # place in the README's table
ESTIMATORS = (PolynomialFeatures,)

# Most columns the dense transform may build (before dropping those below the smallest degree),
# in every reader: a document cannot make a reader hold more.
MAX_COLUMNS = 2**24


def encode(est, enc: Encoder) -> dict:
    state = encode_common(est)
    low, high = _degrees(est)
    if _count(est.n_features_in_, 0, high, est.interaction_only, est.include_bias) is None:
        raise UnsupportedModelError(
            f"PolynomialFeatures: more than {MAX_COLUMNS} output columns cannot be exported"
        )
    state["n_output_features"] = int(est.n_output_features_)
    return state


def decode(state: dict, ctx: Decoding) -> dict:
    attributes = decode_common(state)
    n = attributes["n_features_in_"]
    est = ctx.estimator
    low, high = _degrees(est)
    pointer = "/state/n_output_features"
    n_output = decode_count(state["n_output_features"], pointer, 1, MAX_COLUMNS)
    full = _count(n, 0, high, est.interaction_only, est.include_bias)
    expected = (
        None if full is None else _count(n, low, high, est.interaction_only, est.include_bias)
    )
    if full is None or expected != n_output:
        raise InvalidModelError(
            pointer,
            f"expected {expected} for {n} features and these parameters, found {n_output}"
            if full is not None
            else f"these parameters make more than {MAX_COLUMNS} columns of {n} features",
        )
    attributes["n_output_features_"] = n_output
    attributes.update(_compat.polynomial_degrees(low, high, full))
    return attributes


def _degrees(est) -> tuple[int, int]:
    """``(min_degree, max_degree)``, checked as ``fit`` checks them."""
    degree = est.degree
    if isinstance(degree, Integral) and not isinstance(degree, bool):
        low, high = 0, int(degree)
    elif isinstance(degree, (list, tuple)) and len(degree) == 2:
        low, high = degree
    else:
        raise InvalidModelError("/params/degree", "expected an integer or [min, max] degrees")
    if not all(isinstance(d, Integral) and not isinstance(d, bool) for d in (low, high)) or not (
        0 <= low <= high
    ):
        raise InvalidModelError("/params/degree", "expected degrees with 0 <= min <= max")
    if high == 0 and not est.include_bias:
        raise InvalidModelError("/params/degree", "degree 0 without include_bias: no columns")
    return int(low), int(high)


def _count(n: int, low: int, high: int, interaction_only: bool, include_bias: bool):
    """Number of output columns (scikit-learn's ``_num_combinations``), or None when more than
    :data:`MAX_COLUMNS`, found without computing any huge binomial coefficient."""
    if interaction_only:
        degrees = range(max(1, low), min(high, n) + 1)
        # C(n, i) > 2**64 wherever min(i, n - i) > 64: such a degree makes too many columns.
        if degrees and degrees[0] <= n - 65 and degrees[-1] >= 65:
            return None
        total = sum(comb(n, i) for i in degrees)
    else:
        if min(n, high) > 64:
            return None
        total = comb(n + high, high) - 1
        if low > 0:
            total -= comb(n + low - 1, low - 1) - 1
    total += bool(include_bias)
    return total if total <= MAX_COLUMNS else None
