"""Numeric arrays and labels in documents: the numeric contract, written down once.

- float64 values are written as JSON numbers that parse back to the same bits (orjson and
  Python's ``repr`` both write the shortest round-trip form);
- non-finite floats are written as the strings ``"Infinity"``, ``"-Infinity"``, ``"NaN"``, and
  only in fields that allow them (tree thresholds);
- with ``arrays="base64"`` a numeric array is written as ``{"dtype", "shape", "base64"}``
  holding its little-endian C-order bytes: float fields as ``float64``, integer fields as
  ``int32``, 0/1 flags as ``uint8``. Readers accept both forms everywhere.

Decoding checks whole arrays with numpy (never element by element in Python) and reports the
first bad element by its JSON Pointer.
"""

from __future__ import annotations

import binascii
import itertools
import math
import re

import numpy as np

try:  # SIMD base64, 5-13x faster than the standard library's on large arrays
    import pybase64 as base64

    _b64_text = base64.b64encode_as_string  # no bytes object to copy into a str
except ImportError:  # pragma: no cover - same results, slower
    import base64

    def _b64_text(data: bytes) -> str:
        return base64.b64encode(data).decode("ascii")


from .errors import (
    NUMBER_OR_NONFINITE,
    InvalidModelError,
    UnsupportedModelError,
    found,
    pointer_join,
)

# A number in a parsed document: Python's, or numpy's where the parser (``_parse``) read a long
# array of numbers straight into numpy (rows of a 2-D array are then numpy arrays).
NUMBER_TYPES = (int, float, np.int64, np.float64)

NONFINITE_NAMES = {"Infinity": math.inf, "-Infinity": -math.inf, "NaN": math.nan}
# The one dtype each kind of field is written with in base64 mode.
BINARY_DTYPES = {"float64": np.dtype("<f8"), "int32": np.dtype("<i4"), "uint8": np.dtype("u1")}
_INT32 = np.iinfo(np.int32)


class Encoder:
    """Writes arrays as plain lists, as base64 binary arrays, or (``native``) as numpy arrays
    left for orjson to serialise, which is the same JSON text, written faster."""

    def __init__(self, arrays: str = "list", compact: bool = False, native: bool = False):
        if arrays not in ("list", "base64"):
            raise ValueError(f'arrays must be "list" or "base64", not {arrays!r}')
        self.base64 = arrays == "base64"
        self.compact = bool(compact)
        self.native = native
        # ``_format.encode_model``, for the codecs of estimators made of estimators (pipelines):
        # the envelope sets it; codecs cannot import the envelope.
        self.encode_model = None
        self.depth = 0  # documents around the one being written

    def floats(self, values, where: str, nonfinite: bool = False):
        """A float64 array; ``nonfinite`` allows +-inf and NaN (as strings in list mode)."""
        a = np.ascontiguousarray(values, dtype=np.float64)
        finite = bool(np.isfinite(a).all())
        if not finite and not nonfinite:
            raise UnsupportedModelError(f"{where} holds non-finite values; they cannot be exported")
        if self.base64:
            return _binary(a, "float64")
        if finite:
            return a if self.native else a.tolist()
        out = a.astype(object)
        out[np.isposinf(a)] = "Infinity"
        out[np.isneginf(a)] = "-Infinity"
        out[np.isnan(a)] = "NaN"
        return out.tolist()

    def ints(self, values, where: str):
        """An integer array (int32 in base64 mode, so every language can view it directly)."""
        a = np.asarray(values)
        if self.base64:
            if a.size and (a.min() < _INT32.min or a.max() > _INT32.max):
                raise UnsupportedModelError(f"{where} does not fit in int32")
            return _binary(a, "int32")
        a = np.ascontiguousarray(a, dtype=np.int64)
        return a if self.native else a.tolist()

    def flags(self, values, where: str):
        """A 0/1 array."""
        a = np.ascontiguousarray(values, dtype=np.uint8)
        if self.base64:
            return _binary(a, "uint8")
        return a if self.native else a.tolist()


def _binary(a: np.ndarray, dtype: str) -> dict:
    data = np.ascontiguousarray(a, dtype=BINARY_DTYPES[dtype])  # one copy, to little-endian C
    return {"dtype": dtype, "shape": list(a.shape), "base64": _b64_text(memoryview(data))}


def memory_order(a: np.ndarray) -> str:
    """ "F" where the first axis is the contiguous one, else "C": which of the two layouts BLAS
    sees, and so the order in which it sums (the last bits of a matrix product)."""
    return "F" if a.ndim > 1 and a.strides[0] == a.itemsize and a.shape[0] > 1 else "C"


def in_memory_order(a: np.ndarray, order, pointer: str) -> np.ndarray:
    """``a`` laid out in ``order`` ("C" or "F"), as :func:`memory_order` recorded it."""
    if order not in ("C", "F"):
        raise InvalidModelError(pointer, 'expected "C" or "F"')
    return np.asfortranarray(a) if order == "F" else np.ascontiguousarray(a)


def encode_float(value, where: str) -> float:
    """A finite float scalar."""
    value = float(value)
    if not math.isfinite(value):
        raise UnsupportedModelError(f"{where} is not finite; it cannot be exported")
    return value


def encode_labels(classes, where: str = "classes_") -> list:
    """Class labels as plain JSON scalars (numbers, strings or booleans), refused where another
    reader could not hold them exactly (see :func:`label_problem`)."""
    labels = np.asarray(classes).tolist()
    kinds = {_label_kind(label) for label in labels}
    if None in kinds or len(kinds) > 1:
        raise UnsupportedModelError(
            f"{where} must be all numbers, all strings or all booleans to be exported"
        )
    problem = label_problem(labels, kinds.pop())
    if problem:
        index, reason = problem
        subject = "its labels" if index < 0 else f"label {labels[index]!r}"[:80]
        raise UnsupportedModelError(f"{where} cannot be exported: {subject} {reason}")
    return labels


# The rules on labels every reader applies (the README's security model): JavaScript holds
# numbers as float64; numpy drops a trailing NUL and keeps strings fixed-width, each as long as
# the longest (4 bytes a character): a few long labels among many must not cost gigabytes.
MAX_EXACT_INTEGER = 2**53  # (labels and every integer array: see decode_ints)
MAX_LABEL_CHARACTERS = 2**24  # number of labels x longest label


LONE_SURROGATE = re.compile(
    "[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]"
)


def text_problem(text: str) -> str | None:
    """Why a label or feature name is not text every reader holds exactly, or None: numpy drops
    a trailing NUL; a lone surrogate is not Unicode (UTF-8 cannot encode it)."""
    if "\0" in text:
        return "holds the character U+0000, which numpy drops"
    found = LONE_SURROGATE.search(text)
    if found:
        return f"is not Unicode text: it holds a lone surrogate (U+{ord(found.group()):04X})"
    return None


def label_problem(labels: list, kind: str) -> tuple[int, str] | None:
    """``(index, reason)`` of the first label no reader can hold exactly (index -1: all of
    them together), or None; the reason completes "this label ..." / "these labels ..."."""
    if kind == "number":
        for i, x in enumerate(labels):
            if isinstance(x, float) and not math.isfinite(x):
                return i, "is not a finite number"
            if abs(x) >= MAX_EXACT_INTEGER:
                return i, "is 2**53 or more in magnitude, beyond what JavaScript holds exactly"
    elif kind == "str":
        for i, x in enumerate(labels):
            problem = text_problem(x)
            if problem:
                return i, problem
        longest = max(map(len, labels), default=0)
        if longest * len(labels) > MAX_LABEL_CHARACTERS:
            return -1, (
                f"are {len(labels)} of up to {longest} characters: more than "
                f"{MAX_LABEL_CHARACTERS} characters padded to the longest, as numpy holds them"
            )
    return None


def _label_kind(label):
    if isinstance(label, bool):
        return "bool"
    if isinstance(label, (int, float)):
        return "number"
    if isinstance(label, str):
        return "str"
    return None


def _label_error(labels: list, kind: str, pointer: str) -> InvalidModelError | None:
    problem = label_problem(labels, kind)
    if problem is None:
        return None
    index, reason = problem
    if index < 0:
        return InvalidModelError(pointer, f"these labels {reason}")
    return InvalidModelError(pointer_join(pointer, index), f"this label {reason}")


# ---------------------------------------------------------------- decoding


def _check_numbers(node, a: np.ndarray, pointer: str, expected: str) -> None:
    flat = node
    for _ in range(a.ndim - 1):
        flat = list(itertools.chain.from_iterable(flat))
    if not set(map(type, flat)) <= set(NUMBER_TYPES):
        _bad_elements(node, pointer, expected)


def _fail(pointer: str, a: np.ndarray, bad: np.ndarray, expected: str):
    index = np.unravel_index(int(np.argmax(bad)), a.shape) if a.ndim else ()
    raise InvalidModelError(pointer_join(pointer, *map(int, index)), expected)


def refuse_where(bad: np.ndarray, pointer: str, expected: str) -> None:
    """InvalidModelError at the first element of the array at ``pointer`` where ``bad`` is
    set (a codec's own check of values the numeric contract lets through)."""
    if np.any(bad):
        _fail(pointer, np.asarray(bad), bad, expected)


def _from_binary(node: dict, pointer: str, dtype: str) -> np.ndarray:
    if node.get("dtype") != dtype:
        raise InvalidModelError(pointer_join(pointer, "dtype"), f'expected "{dtype}" here')
    shape = node.get("shape")
    if isinstance(shape, list):  # (2.0 is the integer 2, as in decode_count)
        shape = [_integral(n) for n in shape]
    if not isinstance(shape, list) or not all(type(n) is int and 0 <= n < 2**40 for n in shape):
        raise InvalidModelError(pointer_join(pointer, "shape"), "expected a list of sizes")
    if math.prod(n for n in shape if n) >= 2**40:  # (numpy refuses such a shape even if empty)
        raise InvalidModelError(pointer_join(pointer, "shape"), "expected fewer than 2**40 entries")
    try:
        data = base64.b64decode(node.get("base64", ""), validate=True)
    except (binascii.Error, TypeError, ValueError) as exc:
        raise InvalidModelError(pointer_join(pointer, "base64"), f"not base64: {exc}") from None
    needed = math.prod(shape) * BINARY_DTYPES[dtype].itemsize
    if len(data) != needed:
        raise InvalidModelError(
            pointer_join(pointer, "base64"),
            f"holds {len(data)} bytes; shape {shape} of {dtype} needs {needed}",
        )
    return np.frombuffer(data, dtype=BINARY_DTYPES[dtype]).reshape(shape)


def _from_list(node, pointer: str, what: str) -> np.ndarray:
    if isinstance(node, np.ndarray):  # read by the parser straight from the JSON text
        return node
    if isinstance(node, (int, float)) and not isinstance(node, bool):
        return np.asarray(node)  # a scalar; the caller's ndim says whether one is allowed
    if not isinstance(node, list):
        raise InvalidModelError(pointer, f"expected {what}")
    try:
        a = np.asarray(node)
    except (ValueError, TypeError, OverflowError):
        a = None
    if a is None or a.dtype == object:
        _refuse_ragged(node, pointer)
    if a is None:
        raise InvalidModelError(pointer, f"expected {what} (rectangular)")
    return a  # (of objects where it holds no numbers: refused by the caller, element by element)


def _refuse_ragged(node: list, pointer: str) -> None:
    """Raise for the first row whose length differs from the first row's at its level (what
    the JavaScript runtime names too), level by level."""
    level = [((), node)]
    while True:
        rows = [
            ((*path, i), x.tolist() if isinstance(x, np.ndarray) else x)  # (rows the parser read)
            for path, row in level
            for i, x in enumerate(row)
        ]
        if not rows or not any(isinstance(x, list) for _, x in rows):
            return
        width = len(rows[0][1]) if isinstance(rows[0][1], list) else None
        for path, row in rows:
            if width is None and isinstance(row, list):
                raise InvalidModelError(
                    pointer_join(pointer, *path), "expected a number, found an array"
                )
            if width is not None and not (isinstance(row, list) and len(row) == width):
                got = f"{len(row)} entries" if isinstance(row, list) else found(row)
                raise InvalidModelError(
                    pointer_join(pointer, *path), f"expected {width} entries, found {got}"
                )
        level = rows


def _check_shape(a: np.ndarray, pointer: str, ndim, shape) -> None:
    if ndim is not None and a.ndim not in ((ndim,) if isinstance(ndim, int) else ndim):
        raise InvalidModelError(pointer, f"expected {ndim} dimension(s), found {a.ndim}")
    if shape is not None:
        for axis, size in enumerate(shape):
            if size is not None and a.shape[axis] != size:
                raise InvalidModelError(
                    pointer, f"expected {size} entries along axis {axis}, found {a.shape[axis]}"
                )


def decode_floats(node, pointer: str, *, ndim=1, shape=None, nonfinite=False) -> np.ndarray:
    """A float64 array from a list or a binary array; ``nonfinite`` allows +-inf and NaN."""
    if isinstance(node, dict):
        a = _from_binary(node, pointer, "float64")
    else:
        a = _from_list(node, pointer, "an array of numbers")
        if a.dtype == object and a.ndim:
            a = _wide_integers(a)
        if a.dtype.kind in "US" and nonfinite:
            a = _nonfinite_list(node, pointer)
        elif a.dtype.kind not in "iuf":
            return _bad_elements(node, pointer, "a number")
        elif isinstance(node, list):  # (numpy would take a boolean among them as 0 or 1)
            _check_numbers(node, a, pointer, "a number")
        a = a.astype(np.float64, copy=False)
    _check_shape(a, pointer, ndim, shape)
    if not nonfinite:
        bad = ~np.isfinite(a)
        if bad.any():
            _fail(pointer, a, bad, "expected a finite number")
    return a if a.ndim else a[()]


def _wide_integers(a: np.ndarray) -> np.ndarray:
    """Numbers numpy keeps as objects because an integer among them is beyond 64 bits (a
    document built in Python: a text's are read as floats already) as the nearest floats, as
    ``JSON.parse`` reads them (beyond float64: infinite); anything else as it is."""
    flat = a.ravel().tolist()
    if not all(type(x) in (int, float) for x in flat):
        return a
    near = [x if type(x) is float or abs(x) < 2**1024 else math.copysign(math.inf, x) for x in flat]
    return np.asarray(near, dtype=np.float64).reshape(a.shape)


def _nonfinite_list(node: list, pointer: str) -> np.ndarray:
    # Rare path (a tree split learned with missing values): strings among numbers.
    out = []
    for i, x in enumerate(node):
        if isinstance(x, str):
            if x not in NONFINITE_NAMES:
                raise InvalidModelError(
                    pointer_join(pointer, i), f"expected {NUMBER_OR_NONFINITE}, found {found(x)}"
                )
            x = NONFINITE_NAMES[x]
        elif isinstance(x, bool) or not isinstance(x, (int, float)):
            raise InvalidModelError(
                pointer_join(pointer, i), f"expected {NUMBER_OR_NONFINITE}, found {found(x)}"
            )
        out.append(x)
    return np.asarray(out, dtype=np.float64)


def _bad_elements(node, pointer: str, expected: str):
    """Raise for the first element of nested lists ``node`` that is not a number (a boolean is
    not one), found iteratively, depth first."""
    stack = [((), node)]
    while stack:
        path, value = stack.pop()
        if isinstance(value, list):
            stack.extend((path + (i,), x) for i, x in reversed(list(enumerate(value))))
        elif isinstance(value, bool) or not isinstance(value, NUMBER_TYPES):
            raise InvalidModelError(
                pointer_join(pointer, *path), f"expected {expected}, found {found(value)}"
            )
    raise InvalidModelError(pointer, f"expected {expected} in every place of a rectangular array")


def decode_ints(node, pointer: str, *, ndim=1, shape=None) -> np.ndarray:
    """An int64 array from a list or an int32 binary array."""
    if isinstance(node, dict):
        a = _from_binary(node, pointer, "int32").astype(np.int64)
    else:
        a = _from_list(node, pointer, "an array of integers")
        if a.dtype.kind == "f":
            bad = a != np.floor(a)
            if bad.any():
                _fail(pointer, a, bad, "expected an integer")
        elif a.dtype.kind not in "iu":
            return _bad_elements(node, pointer, "an integer")
        # Beyond 2**53 JavaScript reads an integer as a neighbour (and numpy's uint64 would wrap).
        inexact = (a >= MAX_EXACT_INTEGER) | (a <= -MAX_EXACT_INTEGER)
        if inexact.any():
            _fail(pointer, a, inexact, "expected an integer below 2**53 in magnitude")
        if isinstance(node, list):
            _check_numbers(node, a, pointer, "an integer")
        a = a.astype(np.int64)
    _check_shape(a, pointer, ndim, shape)
    return a if a.ndim else a[()]


def _integral(value):
    """``2.0`` as the integer 2 (JSON Schema's reading; JavaScript cannot tell them apart)."""
    return int(value) if isinstance(value, float) and value.is_integer() else value


def decode_count(node, pointer: str, low: int = 1, high: int = 2**31 - 1) -> int:
    """An integer scalar in ``[low, high]``. ``1.0`` is the integer 1: JSON Schema counts it
    as one, and JavaScript cannot tell the two apart."""
    node = _integral(node)
    if not (isinstance(node, int) and not isinstance(node, bool) and low <= node <= high):
        raise InvalidModelError(
            pointer, f"expected an integer in [{low}, {high}], found {found(node)}"
        )
    return node


def decode_flags(node, pointer: str, *, shape=None) -> np.ndarray:
    """A uint8 array of 0/1 from a list or a uint8 binary array."""
    if isinstance(node, dict):
        a = _from_binary(node, pointer, "uint8")
    else:
        a = decode_ints(node, pointer, shape=shape)
    _check_shape(a, pointer, 1, shape)
    bad = (a != 0) & (a != 1)
    if bad.any():
        _fail(pointer, a, bad, "expected 0 or 1")
    return a.astype(np.uint8)


# A fixed-width string dtype may be wider than the longest label (multi-output labels share the
# width of y's array), but not without bound: each label costs 4 bytes per character of it.
MAX_LABEL_PADDING = 256
_LABEL_DTYPE = re.compile(r"[<>|=]?(b1|[iu][1248]|f[48]|U[1-9][0-9]{0,8}|O)\Z")


def label_dtype(classes) -> str:
    """The numpy dtype of ``classes_`` (one array, or one per output: they share y's dtype)."""
    first = classes[0] if isinstance(classes, list) else classes
    return np.asarray(first).dtype.str


DTYPE_POINTER = "/state/classes_dtype"


def decode_label_dtype(node, pointer: str = DTYPE_POINTER) -> np.dtype:
    if not (isinstance(node, str) and _LABEL_DTYPE.match(node)):
        raise InvalidModelError(
            pointer, 'expected a numpy dtype of labels, e.g. "<i8", "<U5", "|b1" or "|O"'
        )
    return np.dtype(node)


def _with_dtype(labels: list, dtype: np.dtype) -> np.ndarray:
    """Labels as an array of ``dtype``, refused where that dtype would change one of them
    (the dtype is what is wrong then: the JavaScript runtime, which ignores it, reads them)."""
    pointer = DTYPE_POINTER
    kind = dtype.kind
    if kind == "U":
        if not all(isinstance(x, str) for x in labels):
            raise InvalidModelError(pointer, f"expected string labels for dtype {dtype.str}")
        longest, width = max(map(len, labels)), dtype.itemsize // 4
        if not longest <= width <= max(longest, MAX_LABEL_PADDING):
            raise InvalidModelError(
                pointer, f"dtype {dtype.str} does not fit labels of up to {longest} characters"
            )
    elif kind != "O" and any(isinstance(x, bool) for x in labels) != (kind == "b"):
        raise InvalidModelError(pointer, f"labels of another type than dtype {dtype.str}")
    try:
        with np.errstate(all="ignore"):
            out = np.asarray(labels, dtype=dtype)
    except (ValueError, OverflowError):
        out = None
    if out is None or (kind not in "UO" and out.tolist() != labels):
        raise InvalidModelError(pointer, f"labels that dtype {dtype.str} cannot hold exactly")
    return out


def decode_labels(node, pointer: str, dtype: np.dtype | None = None) -> np.ndarray:
    """Class labels: all numbers, all strings or all booleans, unique, within the rules of
    :func:`label_problem`; of ``dtype`` where the document records the one they had (else
    numpy's choice for them)."""
    if isinstance(node, np.ndarray):  # many numeric labels, read by the parser as an array
        node = node.tolist()
    if not isinstance(node, list) or not node:
        raise InvalidModelError(pointer, "expected a non-empty array of labels")
    kinds = {_label_kind(x) for x in node}
    if None in kinds or len(kinds) > 1:
        raise InvalidModelError(
            pointer, "expected labels that are all numbers, strings or booleans"
        )
    error = _label_error(node, next(iter(kinds)), pointer)
    if error:
        raise error
    if len(set(node)) != len(node):  # (before numpy copies them)
        raise InvalidModelError(pointer, "expected unique labels")
    return np.asarray(node) if dtype is None else _with_dtype(node, dtype)
