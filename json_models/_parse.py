"""JSON text to a document, with the model's numeric arrays read straight into numpy.

Any parser that builds Python objects makes one ``float`` per number, and turning millions of
those into arrays costs more than the parse itself. simdjson parses into its own compact
tape; a long array of numbers under ``/state`` is copied from that tape into a numpy array in
C, and everything else becomes the dicts, lists and scalars an ``orjson.loads`` would give.
The decoders (``_arrays``) take either form.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import simdjson

from ._validate import MAX_NESTING
from .errors import InvalidModelError, pointer_join

MIN_ARRAY = 16  # shorter arrays of numbers stay lists: not worth it, and easier to read


def parse(data: str | bytes):
    """The document in ``data`` (JSON text, UTF-8)."""
    try:
        root = simdjson.Parser().parse(data)
    except (ValueError, RuntimeError, TypeError) as exc:  # simdjson's parse errors
        raise InvalidModelError("", f"not valid JSON: {exc}") from None
    if not isinstance(root, simdjson.Object):
        return _plain(root, False, 0, "")
    return {key: _plain(root[key], key == "state", 1, pointer_join("", key)) for key in root.keys()}


def _plain(node, arrays: bool, depth: int, pointer: str):
    """``node`` as plain Python; with ``arrays``, long arrays of numbers as numpy arrays."""
    if depth > MAX_NESTING:
        raise InvalidModelError(pointer, f"nested more than {MAX_NESTING} levels deep")
    if isinstance(node, simdjson.Object):
        return {
            key: _plain(node[key], arrays, depth + 1, pointer_join(pointer, key))
            for key in node.keys()  # (items() would convert the values)
        }
    if isinstance(node, simdjson.Array):
        if arrays and len(node) >= MIN_ARRAY:
            numbers = _numbers(node)
            if numbers is not None:
                return numbers
        return [
            _plain(value, arrays, depth + 1, pointer_join(pointer, i))
            for i, value in enumerate(node)
        ]
    return node


def _numbers(node: simdjson.Array) -> np.ndarray | None:
    """A rectangular array of numbers (nested to any depth) as int64 if they are all integers,
    else float64; None for anything else (which then goes the plain way, to be refused or
    read there)."""
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
    # The parser flattens nested arrays whatever their lengths: a ragged array must not be
    # read as a rectangular one with its numbers shifted.
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
            for _ in range(depth):
                level = itertools.chain.from_iterable(level)
            if set(map(len, level)) != {size}:
                return False
    except TypeError:  # a number where an array should be
        return False
    return True
