"""encoder: OneHotEncoder and OrdinalEncoder.

The state holds what the encoding means, not scikit-learn's private layout: each feature's
categories with their numpy dtype, the infrequent ones (by index) where min_frequency or
max_categories group them, and (one-hot) the dropped category of each feature. Decoding
rebuilds the running scikit-learn's private attributes from these (``_compat``), so a
document written under one version loads under another.

A feature's categories are ``{"dtype", "values", "nan"}``: the values in categories_'s order
(strings, numbers, and ``null`` for ``None`` in object columns), then a NaN category where
``nan`` is true (scikit-learn keeps it last). Numeric and fixed-width string columns are
sorted (scikit-learn finds categories by binary search there).
"""

from __future__ import annotations

import math
import re
import warnings

import numpy as np
from sklearn.preprocessing import OneHotEncoder, OrdinalEncoder

from .. import _compat
from .._arrays import MAX_EXACT_INTEGER, MAX_LABEL_CHARACTERS, decode_ints, text_problem
from .._decoding import Decoding
from ..errors import InvalidModelError, UnsupportedModelError, found, pointer_join
from ._common import decode_common, encode_common

FAMILY = "encoder"
ORDER = 13  # place in the README's table
ESTIMATORS = (OneHotEncoder, OrdinalEncoder)

# Category dtypes: object (strings, or numbers), fixed-width strings, integers, floats.
_DTYPE = re.compile(r"[<>|=]?([iu][1248]|f[48]|U[1-9][0-9]{0,8}|O)\Z")
MAX_STRING_PADDING = 256  # a "<U" dtype may be this much wider than its longest category


def _kind(value) -> str | None:
    if value is None:
        return "none"
    if isinstance(value, (bool, np.bool_)):
        return None
    if isinstance(value, str):
        return "str"
    if isinstance(value, (int, np.integer)):
        return "int"
    if isinstance(value, (float, np.floating)):
        return "float"
    return None


def _is_nan(value) -> bool:
    return isinstance(value, (float, np.floating)) and math.isnan(value)


# ---------------------------------------------------------------- writing


def _encode_categories(cats: np.ndarray, i: int) -> dict:
    where = f"categories_[{i}]"
    values = cats.tolist()
    nan = bool(values) and _is_nan(values[-1])
    if nan:
        values.pop()
    kind = cats.dtype.kind
    kinds = {_kind(v) for v in values}
    if kind == "O":
        allowed = ({"str", "none"}, {"int", "none"}, {"float", "none"})
    elif kind == "U":
        allowed = ({"str"},)
    elif kind in "iuf" and _DTYPE.match(cats.dtype.str):
        allowed = ({"int"} if kind in "iu" else {"float"},)
    else:
        raise UnsupportedModelError(
            f"{where} has dtype {cats.dtype}: only strings (object or fixed-width) and "
            "integer or float categories can be exported"
        )
    if not any(kinds <= a for a in allowed):
        raise UnsupportedModelError(
            f"{where} must be all strings, all integers or all floats (with None or NaN) "
            "to be exported"
        )
    for v in values:
        problem = None
        if isinstance(v, str):
            problem = text_problem(v)
        elif isinstance(v, float) and not math.isfinite(v):
            problem = "is not a finite number (only NaN is, as the last category)"
        elif isinstance(v, int) and abs(v) >= MAX_EXACT_INTEGER:
            problem = "is 2**53 or more in magnitude, beyond what JavaScript holds exactly"
        if problem:
            raise UnsupportedModelError(f"{where} cannot be exported: category {v!r} {problem}")
    entry = {"dtype": cats.dtype.str, "values": values}
    if nan:
        entry["nan"] = True
    return entry


def encode(est, enc) -> dict:
    state = encode_common(est)
    state["categories"] = [_encode_categories(c, i) for i, c in enumerate(est.categories_)]
    infrequent = _compat.encoder_infrequent(est)
    if infrequent is not None:
        state["infrequent"] = infrequent
    if isinstance(est, OneHotEncoder):
        drop = est.drop_idx_
        state["drop_idx"] = None if drop is None else [None if d is None else int(d) for d in drop]
        state["handle_unknown"] = _unknown_as(est.handle_unknown)
        if est.handle_unknown == "warn":
            state["warn_unknown"] = True
    return state


# ---------------------------------------------------------------- reading


def _decode_dtype(node, pointer: str) -> np.dtype:
    if not (isinstance(node, str) and _DTYPE.match(node)):
        raise InvalidModelError(
            pointer,
            'expected a numpy dtype of categories, e.g. "|O", "<U5", "<i8", "<f8", '
            f"found {found(node)}",
        )
    return np.dtype(node)


def _decode_categories(node, pointer: str) -> np.ndarray:
    if not isinstance(node, dict):
        raise InvalidModelError(pointer, f"expected an object, found {found(node)}")
    dtype = _decode_dtype(node.get("dtype"), pointer_join(pointer, "dtype"))
    values, vp = node.get("values"), pointer_join(pointer, "values")
    if isinstance(values, np.ndarray):  # (a long list of numbers, read by the parser)
        values = values.tolist()
    if not isinstance(values, list):
        raise InvalidModelError(vp, f"expected an array of categories, found {found(values)}")
    nan = node.get("nan", False)
    if not isinstance(nan, bool):
        raise InvalidModelError(
            pointer_join(pointer, "nan"), f"expected true or false, found {found(nan)}"
        )
    kind = dtype.kind
    if kind == "O":
        allowed, expected = {"str", "int", "float", "none"}, "a string, a number or null"
    elif kind == "U":
        allowed, expected = {"str"}, "a string"
    else:
        allowed, expected = {"int", "float"}, "a number"  # (2.0 is 2: see the check below)
    kinds = set()
    for k, v in enumerate(values):
        kv = _kind(v)
        problem = None
        if kv not in allowed:
            problem = f"expected {expected}, found {found(v)}"
        elif kv == "str":
            problem = text_problem(v)
            problem = problem and f"this category {problem}"
        elif kv == "int" and abs(v) >= MAX_EXACT_INTEGER:
            problem = "expected an integer below 2**53 in magnitude"
        if problem:
            raise InvalidModelError(pointer_join(vp, k), problem)
        kinds.add("num" if kv in ("int", "float") else kv)
    if "str" in kinds and "num" in kinds:
        raise InvalidModelError(vp, "expected categories that are all strings or all numbers")
    if nan and kind not in "Of":
        raise InvalidModelError(
            pointer_join(pointer, "nan"),
            f"a NaN category needs a float or object dtype, not {dtype.str}",
        )
    if not values and not nan:
        raise InvalidModelError(vp, "expected at least one category")
    if len(set(values)) != len(values):
        raise InvalidModelError(vp, "expected unique categories")
    if kind == "O":
        cats = np.empty(len(values) + nan, dtype=object)
        cats[: len(values)] = values
        if nan:
            cats[-1] = np.nan
        return cats
    if kind == "U":
        longest, width = max(map(len, values)), dtype.itemsize // 4
        if not longest <= width <= max(longest, MAX_STRING_PADDING):
            raise InvalidModelError(
                pointer_join(pointer, "dtype"),
                f"dtype {dtype.str} does not fit categories of up to {longest} characters",
            )
        if longest * len(values) > MAX_LABEL_CHARACTERS:
            raise InvalidModelError(
                vp, f"expected at most {MAX_LABEL_CHARACTERS} characters padded to the longest"
            )
    else:
        with np.errstate(all="ignore"):
            try:
                cats = np.asarray(values, dtype=dtype)
            except OverflowError:
                cats = None
        if cats is None or cats.tolist() != values:
            raise InvalidModelError(vp, f"expected categories that dtype {dtype.str} holds exactly")
    # Sorted, as scikit-learn finds them there by binary search.
    for k in range(1, len(values)):
        if not values[k - 1] < values[k]:
            raise InvalidModelError(pointer_join(vp, k), "expected categories in increasing order")
    return np.asarray(values + [np.nan] * nan, dtype=dtype)


def _decode_infrequent(node, categories: list, ordinal: bool) -> list:
    pointer = "/state/infrequent"
    if not isinstance(node, list) or len(node) != len(categories):
        raise InvalidModelError(pointer, f"expected an array of {len(categories)} entries")
    out = []
    for i, (entry, cats) in enumerate(zip(node, categories)):
        if entry is None:
            out.append(None)
            continue
        where = pointer_join(pointer, i)
        indices = decode_ints(entry, where)
        # OrdinalEncoder never groups a NaN category (it encodes missing values apart).
        n = len(cats) - (ordinal and _is_nan(cats[-1]))
        if not len(indices):
            raise InvalidModelError(where, "expected null or at least one index")
        for k, index in enumerate(indices.tolist()):
            if not 0 <= index < n or (k and index <= indices[k - 1]):
                raise InvalidModelError(
                    pointer_join(where, k),
                    f"expected increasing category indices in [0, {n - 1}], found {index}",
                )
        out.append(indices)
    return out


def _decode_drop(node, categories: list):
    pointer = "/state/drop_idx"
    if node is None:
        return None
    if not isinstance(node, list) or len(node) != len(categories):
        raise InvalidModelError(pointer, f"expected null or an array of {len(categories)} entries")
    for i, (d, cats) in enumerate(zip(node, categories)):
        if d is not None and not (
            isinstance(d, int) and not isinstance(d, bool) and 0 <= d < len(cats)
        ):
            raise InvalidModelError(
                pointer_join(pointer, i),
                f"expected null or a category index in [0, {len(cats) - 1}], found {found(d)}",
            )
    return node


def _unknown_as(handle_unknown: str) -> str:
    """How OneHotEncoder's handle_unknown encodes unknown categories here: "warn" warns, then
    encodes as "infrequent_if_exist" (from 1.8) or as "ignore" (1.6 and 1.7) does."""
    return _compat.onehot_warn_encodes_as() if handle_unknown == "warn" else handle_unknown


def _check_handle_unknown(est, written, warns, infrequent) -> None:
    """The document says how its writer encoded unknown categories; where that is what
    handle_unknown="warn" did there but not here (or "warn" does not exist here, before 1.6),
    the encoder is loaded with the handle_unknown that encodes as the writer's did."""
    here = _unknown_as(est.handle_unknown)
    alike = {here, written} == {"ignore", "infrequent_if_exist"} and not any(
        i is not None for i in infrequent or ()
    )  # (the same encoding where no feature has infrequent categories)
    if written == here or alike:
        return
    # (A version without "warn" has dropped it for its default.)
    was_warn = est.handle_unknown == ("warn" if _compat.onehot_takes_warn() else "error")
    if warns and was_warn and written in ("ignore", "infrequent_if_exist"):
        warnings.warn(
            f"OneHotEncoder: handle_unknown='warn' of the scikit-learn that wrote this document "
            f"encodes unknown categories as {written!r} does; scikit-learn "
            f"{_compat.SKLEARN_VERSION}'s does not, so it is loaded as "
            f"handle_unknown={written!r} (no warning on unknown categories)",
            UserWarning,
            stacklevel=6,
        )
        est.handle_unknown = written
        return
    raise InvalidModelError(
        "/state/handle_unknown",
        f"expected {here!r}, as /params/handle_unknown says, found {found(written)}",
    )


def decode(state: dict, ctx: Decoding) -> dict:
    attributes = decode_common(state)
    n_features = attributes["n_features_in_"]
    pointer = "/state/categories"
    nodes = state["categories"]
    if not isinstance(nodes, list) or len(nodes) != n_features:
        raise InvalidModelError(pointer, f"expected an array of {n_features} entries")
    categories = [_decode_categories(c, pointer_join(pointer, i)) for i, c in enumerate(nodes)]
    est = ctx.estimator
    ordinal = isinstance(est, OrdinalEncoder)
    grouping = _compat.encoder_groups_infrequent(est)
    if grouping and "infrequent" not in state:
        raise InvalidModelError(
            "/state", 'missing key "infrequent": min_frequency or max_categories is set'
        )
    if not grouping and "infrequent" in state:
        raise InvalidModelError(
            "/state/infrequent", "unexpected: neither min_frequency nor max_categories is set"
        )
    infrequent = _decode_infrequent(state["infrequent"], categories, ordinal) if grouping else None
    if not ordinal:
        warns = state.get("warn_unknown", False)
        if not isinstance(warns, bool):
            raise InvalidModelError(
                "/state/warn_unknown", f"expected true or false, found {found(warns)}"
            )
        _check_handle_unknown(est, state["handle_unknown"], warns, infrequent)
        drop = _decode_drop(state["drop_idx"], categories)
    try:
        attributes.update(_compat.encoder_fitted(est, categories, infrequent))
    except ValueError as exc:  # drop names a category these categories lack, or an infrequent one
        raise InvalidModelError("/params/drop", str(exc)) from None
    if not ordinal:
        computed = est.drop_idx_
        computed = None if computed is None else [None if d is None else int(d) for d in computed]
        if computed != drop:
            raise InvalidModelError(
                "/state/drop_idx",
                f"expected {computed}, the categories /params/drop drops, found {drop}"
                if computed is not None
                else "expected null: /params/drop drops nothing",
            )
    return attributes
