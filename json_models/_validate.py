"""Validation: JSON Schema (``schemas/``) plus semantic checks, with JSON Pointers in errors.

The schema is the authority on structure. Running it element by element over a large model's
arrays would cost many times the JSON parse, so loading validates a *skeleton* of the document:
the state's long arrays of numbers cut to their first few entries, base64 data cut short, and
of a list of objects (the trees of a forest) only the entries whose structure (keys, kinds of
values, signs of numbers) differs from an earlier one's. Lists of strings (labels, feature
names) and everything outside the state (parameters) stay whole, so that every rule the schema
states on them (unique names, enums) is checked. Every element of the cut arrays is then
checked with numpy as the codecs decode them (JSON types, finiteness, ranges, shapes, tree
structure).
"""

from __future__ import annotations

import functools
import itertools
import json
import re

import numpy as np

from . import _resources
from ._registry import SUPPORTED
from .errors import (
    NUMBER_OR_NONFINITE,
    InvalidModelError,
    UnsupportedVersionError,
    did_you_mean,
    found,
    pointer_join,
)

FORMAT_NAME = "json-models"
FORMAT_MAJOR = 1
MAX_NESTING = 32  # real documents nest about 10 deep
SKELETON_KEEP = 4  # entries kept of a long array of scalars
SHORT_STRING = 64  # base64 data is cut to this
# A list of strings (labels, feature names), or any list outside the state (parameters), is
# given to the schema whole; one longer than this is no parameter or name list of a real model.
MAX_LISTED = 1_000_000
SCHEMA_DIR = _resources.schema_dir()
ENTRY_SCHEMA = "json-models.schema.json"
_VERSION = re.compile(r"^(0|[1-9][0-9]{0,5})\.(0|[1-9][0-9]{0,5})$")


@functools.cache
def schema_validator():
    """A draft 2020-12 validator for the entry schema, with every schema file registered by its
    ``$id`` so relative ``$ref``s resolve offline."""
    from jsonschema import Draft202012Validator
    from referencing import Registry, Resource

    resources = {}
    for path in sorted(SCHEMA_DIR.glob("*.schema.json")):
        contents = json.loads(path.read_text(encoding="utf-8"))
        resources[path.name] = Resource.from_contents(contents)
    registry = Registry().with_resources((r.id(), r) for r in resources.values())
    entry = resources[ENTRY_SCHEMA].contents
    return Draft202012Validator(entry, registry=registry)


def check_envelope(doc) -> None:
    """The checks that must come before the schema: a JSON object, of this format, of a major
    version this library reads."""
    if not isinstance(doc, dict):
        raise InvalidModelError("", f"expected a JSON object, found {type(doc).__name__}")
    if doc.get("format") != FORMAT_NAME:
        raise InvalidModelError("/format", f'expected "{FORMAT_NAME}"')
    version = doc.get("format_version")
    match = _VERSION.match(version) if isinstance(version, str) else None
    if not match:
        raise InvalidModelError("/format_version", 'expected a version "MAJOR.MINOR"')
    if int(match.group(1)) > FORMAT_MAJOR:
        raise UnsupportedVersionError(
            "/format_version",
            f"format {version} is newer than this json-models reads ({FORMAT_MAJOR}.x); "
            "upgrade json-models",
        )
    if int(match.group(1)) < FORMAT_MAJOR:
        raise UnsupportedVersionError("/format_version", f"no reader for format {version}")


def check_schema(doc) -> None:
    """Validate the skeleton of ``doc`` against the schema; raise with the best error's place
    (as a place in ``doc``), in the project's words (see :func:`explain`)."""
    from jsonschema.exceptions import best_match

    instance = skeleton(doc)
    errors = list(schema_validator().iter_errors(instance))
    if errors:
        path, message = explain(best_match(errors), errors)
        raise InvalidModelError(pointer_join("", *_original_path(instance, path)), message)


# What a validator's keyword means, in the words of a message; the rest keep jsonschema's text.
_TYPES = {
    "number": "a number",
    "integer": "an integer",
    "string": "a string",
    "array": "an array",
    "object": "an object",
    "boolean": "true or false",
    "null": "null",
}
_NONFINITE = "^(?:Infinity|-Infinity|NaN)"


def explain(error, errors: list) -> tuple[list, str]:
    """``(path, message)`` of a schema error as the project words it: "expected <what>,
    found <value>", and for a misspelt key or estimator the nearest valid name. A key that
    looks like a typo of a known one explains the other errors of its object ("required"), so
    it is reported first."""
    for other in errors:
        if other.validator in ("unevaluatedProperties", "additionalProperties"):
            for key in _unexpected_keys(other):
                suggestion = did_you_mean(key, property_names() - set(other.instance))
                if suggestion:
                    return [*other.absolute_path, key], "unknown key" + suggestion
    path, kind = list(error.absolute_path), error.validator
    value, instance = error.validator_value, error.instance
    if kind == "type":
        types = [value] if isinstance(value, str) else value
        if "number" in types and "string" in types and _NONFINITE in str(error.schema):
            return path, f"expected {NUMBER_OR_NONFINITE}, found {found(instance)}"
        what = " or ".join(_TYPES.get(t, t) for t in types)
        return path, f"expected {what}, found {found(instance)}"
    if kind == "pattern" and value.startswith(_NONFINITE):
        return path, f"expected {NUMBER_OR_NONFINITE}, found {found(instance)}"
    if kind == "enum" and path == ["estimator"]:
        name = json.dumps(instance) if isinstance(instance, str) else found(instance)
        hint = did_you_mean(str(instance), SUPPORTED) or (
            "; see the README's table of supported estimators"
        )
        return path, f"expected a supported estimator, found {name}{hint}"
    if kind in ("enum", "const"):
        options = value if kind == "enum" else [value]
        listed = ", ".join(json.dumps(v) for v in options[:8]) + (
            ", ..." if len(options) > 8 else ""
        )
        hint = did_you_mean(instance, map(str, options)) if isinstance(instance, str) else ""
        return path, f"expected one of {listed}, found {found(instance)}{hint}"
    if kind in ("unevaluatedProperties", "additionalProperties"):
        keys = _unexpected_keys(error)
        if keys:
            return [*path, keys[0]], "unknown key"
    if kind == "not" and value == {}:  # ("key": {"not": {}}: a key this estimator has not)
        return path, "unexpected key for this estimator"
    if kind == "required":
        missing = [key for key in value if key not in instance]
        if missing:
            return path, f"missing key {json.dumps(missing[0])}"
    if kind in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        sign = {"minimum": ">=", "maximum": "<=", "exclusiveMinimum": ">", "exclusiveMaximum": "<"}
        return path, f"expected a number {sign[kind]} {value}, found {found(instance)}"
    if kind in ("minItems", "maxItems") and isinstance(instance, list):
        bound = "at least" if kind == "minItems" else "at most"
        return path, f"expected {bound} {value} entries, found {len(instance)}"
    if kind == "uniqueItems":
        seen = set()
        for i, entry in enumerate(instance):
            key = json.dumps(entry, sort_keys=True)
            if key in seen:
                return [*path, i], f"expected unique entries, found {found(entry)} again"
            seen.add(key)
        return path, "expected unique entries"
    return path, _shorten(error.message)


def _unexpected_keys(error, first: int = 3) -> list:
    # jsonschema names the keys only in its message: "... ('a', 'b' were unexpected)". (The
    # first few: each is a search of a message that lists them all.)
    found = (key for key in error.instance if repr(key) in error.message)
    return list(itertools.islice(found, first))


@functools.cache
def property_names() -> frozenset:
    """Every key the schemas name: the candidates for a misspelt key, and the keys whose
    values the parser reads one by one (``_parse``)."""
    names, stack = set(), [json.loads(p.read_text()) for p in SCHEMA_DIR.glob("*.schema.json")]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            names.update(
                node.get("properties", {}) if isinstance(node.get("properties"), dict) else ()
            )
            names.update(k for k in node.get("required", []) if isinstance(k, str))
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return frozenset(names)


def _shorten(message: str, limit: int = 300) -> str:
    return message if len(message) <= limit else message[: limit - 3] + "..."


def skeleton(node, _depth: int = 0, _pointer: str = "", _in_state: bool = False, _shapes=None):
    """A copy of ``node`` cut down for the schema (see the module docstring); raises if the
    nesting is deeper than any document's, so the recursion here and in jsonschema stays
    bounded. (``_shapes``: each container's :func:`_shape`, computed once per call.)"""
    _shapes = {} if _shapes is None else _shapes
    if _depth > MAX_NESTING:
        raise InvalidModelError(_pointer, f"nested more than {MAX_NESTING} levels deep")
    if isinstance(node, dict):
        return {
            k: (
                v[:SHORT_STRING]  # (only binary arrays hold strings this long)
                if k == "base64" and isinstance(v, str)
                else skeleton(
                    v,
                    _depth + 1,
                    pointer_join(_pointer, k),
                    _in_state or (_depth == 0 and k == "state"),
                    _shapes,
                )
            )
            for k, v in node.items()
        }
    if isinstance(node, np.ndarray):  # numbers read straight from the text (``_parse``)
        head = node[(slice(SKELETON_KEEP),) * node.ndim]  # (the first few along every axis)
        return _Sampled(head.tolist(), range(len(head)))
    if isinstance(node, list):
        return _sampled_list(node, _depth, _pointer, _in_state, _shapes)
    return node


def _sampled_list(node: list, depth: int, pointer: str, in_state: bool, shapes: dict) -> _Sampled:
    indices = range(len(node))
    if len(node) > SKELETON_KEEP:
        if not _holds_scalars(node):
            indices = _distinct_shapes(node, shapes)
        elif in_state and not all(isinstance(x, str) for x in node):
            indices = range(SKELETON_KEEP)  # numbers: checked with numpy by the decoders
        elif len(node) > MAX_LISTED:
            raise InvalidModelError(pointer, f"expected at most {MAX_LISTED} entries")
    return _Sampled(
        (skeleton(node[i], depth + 1, pointer_join(pointer, i), in_state, shapes) for i in indices),
        indices,
    )


class _Sampled(list):
    """A list of some entries of a document's list; ``indices`` are their places in it."""

    def __init__(self, entries, indices: range | list):
        super().__init__(entries)
        self.indices = indices


def _original_path(sample, path) -> list:
    """A path into a skeleton, as a path into the document it was cut from."""
    out, node = [], sample
    for key in path:
        out.append(node.indices[key] if isinstance(node, _Sampled) else key)
        node = node[key]
    return out


def _holds_scalars(array: list) -> bool:
    first = array
    for _ in range(MAX_NESTING):
        if not isinstance(first, list) or not first:
            break
        first = first[0]
    return not isinstance(first, (dict, list))


def _distinct_shapes(entries: list, shapes: dict) -> list:
    """The places of the entries of a list of containers whose :func:`_shape` was not seen
    before."""
    seen, kept = set(), []
    for i, entry in enumerate(entries):
        shape = _shape(entry, 0, shapes)
        if shape not in seen:
            seen.add(shape)
            kept.append(i)
    return kept


def _shape(node, depth: int, shapes: dict):
    """What the schema can tell apart in ``node`` without reading its long arrays: keys, kinds
    of values, signs of numbers; arrays of numbers by their first entry. A large container's
    is kept in ``shapes`` (by identity): the skeleton asks again at every level below."""
    if isinstance(node, (dict, list)) and len(node) >= 16:  # (small ones cost less to redo)
        known = shapes.get(id(node))
        if known is None:
            known = shapes[id(node)] = (node, _container_shape(node, depth, shapes))
        return known[1]
    return _container_shape(node, depth, shapes)


def _container_shape(node, depth: int, shapes: dict):
    if depth > MAX_NESTING:
        return "deep"
    if isinstance(node, dict):
        return tuple((k, _shape(v, depth + 1, shapes)) for k, v in node.items())
    if isinstance(node, np.ndarray):  # as the same numbers in lists would be seen
        shape = _shape(node.flat[0].item(), depth + 1, shapes) if node.size else None
        for _ in range(node.ndim):
            shape = ("list", shape)
        return shape
    if isinstance(node, list):
        if _holds_scalars(node):  # numbers, checked one by one with numpy
            return ("list", _shape(node[0], depth + 1, shapes) if node else None)
        return ("list", frozenset(_shape(entry, depth + 1, shapes) for entry in node))
    if isinstance(node, str):
        # The strings inside repeated entries (dtype names, base64 data) are checked by the
        # decoders themselves; their values here would make every small tree unique.
        return "str"
    if isinstance(node, (bool, type(None))):
        return node
    return (type(node).__name__, node < 0)
