"""JSON text to a document, with the model's numeric arrays read straight into numpy.

Any parser that builds Python objects makes one ``float`` per number, and turning millions of
those into arrays costs more than the parse itself. simdjson parses into its own compact
tape; a long array of numbers under ``/state`` is copied from that tape into a numpy array in
C, and everything else becomes the dicts, lists and scalars an ``orjson.loads`` would give.
The decoders (``_arrays``) take either form.

simdjson's copy flattens whatever arrays it meets, so a malformed array such as
``[1, [], [2, 3]]`` would pass for ``[1, 2, 3]``. Two checks keep that out: the lengths of the
rows at every level of a nested array, and a count of arrays. Every ``[`` in the text opens an
array or sits in a string, so the text holds at least as many ``[`` as the arrays read (each
numeric array counted as the rows its shape gives it), and exactly as many only when no array
hides among the numbers (and no string holds a ``[``). Otherwise the text is read again the
plain way, with every array a list. A key given twice in one object keeps its last value, as
``JSON.parse``, ``json.loads`` and orjson keep it.
"""

from __future__ import annotations

import itertools
import json
import math
import operator

import numpy as np
import orjson
import simdjson

from ._arrays import LONE_SURROGATE
from ._validate import MAX_LISTED, MAX_NESTING, property_names
from .errors import InvalidModelError, pointer_join

_FIRST = operator.itemgetter(0)
MIN_ARRAY = 16  # shorter arrays of numbers stay lists: not worth it, and easier to read


def parse(data: str | bytes):
    """The document in ``data`` (JSON text, UTF-8)."""
    try:
        root = simdjson.Parser().parse(data)
    except (ValueError, RuntimeError, TypeError) as exc:  # simdjson's say what, not where
        if str(exc).startswith(JAVASCRIPT_READS) and len(data) <= MAX_LOCATED:
            return _parse_as_javascript(data)
        raise InvalidModelError("", syntax_error(data)) from None
    fast = _Reader(numbers=True, size=len(data))
    doc = fast.read(root)
    bracket, escaped = ("[", "\\u005") if isinstance(data, str) else (b"[", b"\\u005")
    # (a \u005b escape is a "[" in the text _convert counts, not in this one: then no proof)
    if fast.numeric_arrays and (fast.arrays != data.count(bracket) or escaped in data):
        doc = _Reader(numbers=False, size=len(data)).read(root)
    return doc


# simdjson's errors for what JSON.parse reads: a number beyond float64 or an integer beyond 64
# bits, a lone surrogate. (Read again by Python's parser, whose objects cost up to 25 times
# the text: only in texts of at most MAX_LOCATED bytes; larger ones are refused.)
JAVASCRIPT_READS = ("NUMBER_ERROR", "BIGINT_ERROR", "STRING_ERROR")


def _parse_as_javascript(data: str | bytes):
    """A text simdjson refuses but ``JSON.parse`` reads (a number beyond float64's range, an
    integer beyond 64 bits, a lone surrogate), read as ``JSON.parse`` reads it, so that both
    runtimes judge the same values: ``1e400`` is infinity, a long integer the nearest float;
    then a string holding a lone surrogate is refused at its place. Anything else is a
    syntax error, said where."""
    try:
        text = data.decode("utf-8") if isinstance(data, bytes) else data
        doc = json.loads(text, parse_constant=_no_constant, parse_int=_javascript_integer)
    except (ValueError, RecursionError):  # (UnicodeDecodeError and JSONDecodeError among them)
        raise InvalidModelError("", syntax_error(data)) from None
    _refuse_lone_surrogates(doc)
    return doc


def _no_constant(name: str):
    raise ValueError(f"{name} is not JSON")


def _javascript_integer(digits: str):
    value = int(digits)
    return value if -(2**63) <= value < 2**64 else float(digits)


def _refuse_lone_surrogates(doc) -> None:
    stack = [(doc, "", 0)]
    while stack:
        node, pointer, depth = stack.pop()
        if depth > MAX_NESTING:
            raise InvalidModelError(pointer, f"nested more than {MAX_NESTING} levels deep")
        items = node.items() if isinstance(node, dict) else enumerate(node)
        for key, value in items:
            place = pointer_join(pointer, key)
            for text in (key, value):
                if isinstance(text, str) and (found := LONE_SURROGATE.search(text)):
                    code = ord(found.group())
                    raise InvalidModelError(
                        place, f"expected Unicode text, found a lone surrogate (U+{code:04X})"
                    )
            if isinstance(value, (dict, list)):
                stack.append((value, place, depth + 1))


# Files people mistake for a JSON document, by their first bytes (compressed JSON is read
# before it gets here: ``_api``).
NOT_JSON = {
    b"\x80": "a pickle file, not JSON: json-models reads only JSON documents "
    "(write one with json_models.dump)",
    **{
        b"\x78" + second: "zlib-compressed data (a joblib file?), not JSON"
        for second in (b"\x01", b"\x5e", b"\x9c", b"\xda")
    },
}
# Texts longer than this get no line and column (a second parse), and are not read again the
# way JSON.parse reads them (see JAVASCRIPT_READS): Python's parser costs up to 25x the text.
MAX_LOCATED = 1 << 24


def syntax_error(data: str | bytes) -> str:
    """Why ``data`` is not a JSON text, and where: "not valid JSON at line L, column C (byte B):
    <reason>", as the JavaScript runtime says it. simdjson names no place, so the text is
    parsed again by the standard library's parser, which does."""
    head = data[:2] if isinstance(data, bytes) else b""
    for magic, message in NOT_JSON.items():
        if head.startswith(magic):
            return message
    if not data.strip():
        return "not valid JSON: the document is empty"
    if len(data) > MAX_LOCATED:
        return "not valid JSON"
    try:
        text = data.decode("utf-8") if isinstance(data, bytes) else data
        json.loads(text)
    except UnicodeDecodeError as exc:
        bad = data[exc.start]
        return f"not valid UTF-8 at byte {exc.start} (0x{bad:x}): a JSON document is UTF-8 text"
    except json.JSONDecodeError as exc:
        pos, reason = exc.pos, exc.msg
        if pos >= len(text.rstrip()) or reason.startswith("Unterminated string"):
            pos, reason = len(text), "the document ends early (is the file truncated?)"
        line = text.count("\n", 0, pos) + 1
        column = pos - (text.rfind("\n", 0, pos) + 1) + 1
        return f"not valid JSON at line {line}, column {column} (byte {pos}): {reason}"
    except (ValueError, RecursionError):
        pass
    return "not valid JSON"


MANY_KEYS = 64  # simdjson finds a key by a scan: an object with more is converted whole
# A model's objects (a tree, its entry, a binary array) take 60 bytes of text or more: a text
# of empty objects ({}, 3 bytes; 64 in memory, and a microsecond each to read) is no model.
BYTES_PER_OBJECT = 16
# What a document holds outside its model's fields (parameters, keys no schema names) is small:
# as Python objects, JSON text costs up to 25 times its size (an empty object: 3 bytes, 72 in
# memory), so all of it together may not be more than this.
MAX_CONVERTED = 2**24


class _Reader:
    """Converts simdjson's proxies; with ``numbers``, long arrays of numbers under ``/state``
    become numpy arrays. Counts the arrays it reads."""

    def __init__(self, numbers: bool, size: int):
        self.numbers = numbers
        self.arrays = 0
        self.numeric_arrays = 0
        self.converted = 0  # bytes of JSON converted whole (see MAX_CONVERTED)
        self.objects_left = size // BYTES_PER_OBJECT + 4096

    def read(self, node, in_state: bool = False, depth: int = 0, pointer: str = ""):
        if depth > MAX_NESTING:
            raise InvalidModelError(pointer, f"nested more than {MAX_NESTING} levels deep")
        if isinstance(node, simdjson.Object):
            self.objects_left -= 1
            if self.objects_left < 0:
                raise InvalidModelError(pointer, "expected fewer objects for a text this long")
            keys = list(node.keys())
            if len(keys) > MANY_KEYS or len(set(keys)) != len(keys):
                # A key given twice keeps its last value, as JSON.parse, json.loads and orjson
                # keep it.
                return self._convert(node, pointer)
            if depth == 0:  # the envelope: only the state holds long arrays of numbers
                return {
                    key: self._read_child(node[key], True, depth, pointer, key)
                    if key == "state"
                    else self._convert(node[key], pointer_join(pointer, key))
                    for key in keys
                }
            # A key no schema names is converted whole, in C; so are the parameters of a
            # pipeline's steps (documents inside the state): plain values, never numpy arrays.
            known = property_names()
            return {
                key: self._read_child(node[key], in_state, depth, pointer, key)
                if key in known and key != "params"
                else self._convert(node[key], pointer_join(pointer, key))
                for key in keys
            }
        if isinstance(node, simdjson.Array):
            if in_state and self.numbers and len(node) >= MIN_ARRAY:
                array = _numbers(node)
                if array is not None:
                    self.numeric_arrays += 1
                    # The arrays of a rectangular array: 1 + n0 + n0 * n1 + ...
                    self.arrays += sum(
                        itertools.accumulate(array.shape[:-1], operator.mul, initial=1)
                    )
                    return array
            self.arrays += 1  # (a model's own array: as long as the model, its size the text's)
            return [
                self._read_child(value, in_state, depth, pointer, i) for i, value in enumerate(node)
            ]
        return node

    def _convert(self, node, pointer: str):
        """``node`` as Python values, converted in C: simdjson writes it as minified text,
        orjson reads that (pysimdjson's own ``as_list`` sizes its list by a count that stops at
        2**24 - 1 and writes past it)."""
        if not isinstance(node, (simdjson.Object, simdjson.Array)):
            return node
        if len(node) > MAX_LISTED:  # (before writing it out: a count, not a copy)
            raise InvalidModelError(pointer, f"expected at most {MAX_LISTED} entries")
        text = node.mini
        self.converted += len(text)
        if self.converted > MAX_CONVERTED:
            raise InvalidModelError(
                pointer,
                f"expected at most {MAX_CONVERTED} bytes of JSON outside the model's fields",
            )
        self.arrays += text.count(b"[")  # (see :func:`parse`: never fewer than the text's)
        return orjson.loads(text)

    def _read_child(self, node, in_state: bool, depth: int, pointer: str, key):
        if isinstance(node, (simdjson.Object, simdjson.Array)):  # (a scalar needs no place)
            return self.read(node, in_state, depth + 1, pointer_join(pointer, key))
        return node


def _numbers(node: simdjson.Array) -> np.ndarray | None:
    """A rectangular array of numbers (nested to any depth) as int64 if they are all integers,
    else float64; None for anything else (which then goes the plain way, to be refused or
    read there). Arrays nested deeper than the first row's are caught by the count of arrays
    in :func:`parse`."""
    shape = [len(node)]
    first = node[0]
    while isinstance(first, simdjson.Array) and len(shape) <= MAX_NESTING:
        shape.append(len(first))
        first = first[0] if len(first) else None
    for of_type, dtype in (("i", np.int64), ("d", np.float64)):
        try:
            flat = np.frombuffer(node.as_buffer(of_type=of_type), dtype=dtype)
            break
        except (TypeError, ValueError, RuntimeError):  # not all of this type, or not numbers
            continue
    else:
        return None
    if len(flat) != math.prod(shape) or not _rectangular(node, shape):
        return None
    return flat.reshape(shape)


def _rectangular(node: simdjson.Array, shape: list) -> bool:
    """Whether every array at each level of ``node`` has the length ``shape`` gives it. The
    levels are streamed, never held, so the parser's proxies are freed one by one (a list of
    a million of them would wake Python's cycle collector again and again)."""
    try:
        for depth, size in enumerate(shape[1:]):
            level = iter(node)
            for length in shape[1 : depth + 1]:  # (checked already)
                # Rows of one entry (a single-output tree's value): their first entries, one
                # proxy fewer per row than chaining them.
                level = map(_FIRST, level) if length == 1 else itertools.chain.from_iterable(level)
            if set(map(len, level)) != {size}:
                return False
    except TypeError:  # a number where an array should be
        return False
    return True
