"""The exceptions json-models raises; all derive from :class:`JsonModelsError`."""

from __future__ import annotations

import json


class JsonModelsError(Exception):
    """Base class of every error json-models raises on purpose."""


class UnsupportedModelError(JsonModelsError, TypeError):
    """``to_dict`` was given an estimator or a configuration that cannot be exported."""


class InvalidModelError(JsonModelsError, ValueError):
    """A document is not valid.

    ``pointer`` is the JSON Pointer (RFC 6901) of the offending place, ``""`` for the whole
    document; the message starts with it.
    """

    def __init__(self, pointer: str, message: str):
        self.pointer = pointer
        self.detail = message
        super().__init__(f"{pointer or '/'}: {message}")


class UnsupportedVersionError(InvalidModelError):
    """A document whose format major version is newer than this library reads."""


def pointer_join(base: str, *parts: object) -> str:
    """Append reference tokens to a JSON Pointer, escaping ``~`` and ``/``."""
    for part in parts:
        base += "/" + str(part).replace("~", "~0").replace("/", "~1")
    return base


# ---------------------------------------------------------------- wording shared with JavaScript
# The JavaScript runtime (js_runtime/src/errors.js) words the same problems the same way:
# "expected <what>, found <value>", "unknown key; did you mean ...?", "missing key ...".

NUMBER_OR_NONFINITE = 'a number (or "Infinity", "-Infinity", "NaN")'  # where NaN may be written


def found(value) -> str:
    """How a message names a value it did not expect (``show`` in the JavaScript runtime)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        text = value if len(value) <= 60 else value[:57] + "..."
        return f"the string {json.dumps(text, ensure_ascii=False)}"
    if isinstance(value, (int, float)):
        return f"the number {_js_number(value)}"
    if isinstance(value, (list, tuple)):
        return "an array"
    if isinstance(value, dict):
        return "an object"
    return f"a {type(value).__name__}"


def _js_number(value) -> str:
    """A number as JavaScript writes it (``3`` for 3.0, ``1e+39``), so both runtimes quote it
    alike."""
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return {"nan": "NaN", "inf": "Infinity", "-inf": "-Infinity"}[repr(value)]
        if value.is_integer() and abs(value) < 1e21:
            return str(int(value))
        return repr(value).replace("e-0", "e-").replace("e+0", "e+")
    return str(value)


def closest(name: str, candidates) -> str | None:
    """The candidate nearest to ``name`` by edit distance, if it is near enough to be a typo of
    it: at most max(2, a third of the name's length) edits (the JavaScript runtime's rule)."""
    best, best_distance = None, max(2, len(name) // 3) + 1
    for candidate in candidates:
        distance = _edit_distance(name, candidate, best_distance)
        if distance < best_distance:
            best, best_distance = candidate, distance
    return best


def did_you_mean(name: str, candidates) -> str:
    """``'; did you mean "x"?'`` for the closest candidate, or ``""``."""
    match = closest(name, candidates)
    return f"; did you mean {json.dumps(match, ensure_ascii=False)}?" if match else ""


def _edit_distance(a: str, b: str, limit: int) -> int:
    """Levenshtein distance of ``a`` and ``b``, or ``limit`` once it is known to reach it."""
    if abs(len(a) - len(b)) >= limit:
        return limit
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        if min(current) >= limit:
            return limit
        previous = current
    return min(previous[-1], limit)
