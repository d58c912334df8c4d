"""The public functions: pickle's four verbs, the dict codecs and validation."""

from __future__ import annotations

import bz2
import gzip
import io
import lzma
import os
import zlib

import orjson

from . import _format, _parse
from ._arrays import Encoder, strict_types
from .errors import InvalidModelError

# name -> (module, default level); suffix -> name; magic bytes -> name
COMPRESSORS = {"gzip": (gzip, 6), "bz2": (bz2, 9), "lzma": (lzma, None)}
SUFFIXES = {".gz": "gzip", ".bz2": "bz2", ".xz": "lzma"}
MAGIC = {b"\x1f\x8b": "gzip", b"BZh": "bz2", b"\xfd7zXZ\x00": "lzma"}
MAX_DOCUMENT_BYTES = 2**31  # a decompressed document larger than this is refused, not read


_OPTIONS = """
    compact : bool, default False
        Leave out what prediction does not need (tree node statistics, and the values of
        split nodes, written as 0). The rebuilt estimator predicts identically and warns
        (``CompactModelWarning``) which attributes it cannot provide.
    arrays : {"list", "base64"}, default "list"
        ``"base64"`` writes each numeric array as ``{"dtype", "shape", "base64"}`` holding its
        little-endian bytes: still JSON and schema-validated, smaller and much faster to load
        for large models. Every reader reads both without being told."""


def to_dict(est, *, compact: bool = False, arrays: str = "list") -> dict:
    """A fitted estimator as a plain JSON-ready dict (str, int, float, bool, None, list, dict).

    Parameters
    ----------
    est : a fitted estimator of a supported class (``supported_estimators()``){options}

    Raises ``UnsupportedModelError`` for an estimator or configuration that is not supported
    and scikit-learn's ``NotFittedError`` for an unfitted one.
    """
    return _format.encode(est, Encoder(arrays, compact))


def from_dict(doc: dict):
    """Validate a document and rebuild its fitted scikit-learn estimator.

    Raises ``InvalidModelError`` (with the JSON Pointer of the bad place) for an invalid
    document and ``UnsupportedVersionError`` for a newer format major version.
    """
    est, missing = _format.decode(doc)
    _format.warn_missing(est, missing)
    return est


def validate(doc: dict) -> None:
    """Raise ``InvalidModelError`` unless ``doc`` is a valid document: the schema, the type of
    every array element, and the semantic checks loading makes (shapes, tree structure,
    finiteness). Fast on large models: array elements are checked with numpy, not one by one
    through the schema. For a file, ``json-models validate FILE`` on the command line, or
    ``validate(json.load(f))``."""
    if isinstance(doc, (str, bytes, os.PathLike)):
        raise TypeError(
            "validate takes a parsed document (a dict); for a file, run `json-models validate "
            "FILE`, or load it first: validate(json.load(open(path))), or json_models.load(path)"
        )
    with strict_types():
        _format.decode(doc)


def dumps(est, *, compact: bool = False, arrays: str = "list") -> str:
    """The estimator as JSON text (strict JSON: no NaN or Infinity tokens).

    Parameters
    ----------
    est : a fitted estimator of a supported class (``supported_estimators()``){options}
    """
    return _dumps_bytes(est, compact, arrays).decode()


def _dumps_bytes(est, compact: bool, arrays: str) -> bytes:
    # numpy arrays go straight to orjson: the same text as to_dict's lists, written faster.
    doc = _format.encode(est, Encoder(arrays, compact, native=True))
    return orjson.dumps(doc, option=orjson.OPT_SERIALIZE_NUMPY)


def loads(data: str | bytes):
    """Rebuild an estimator from JSON text (``str`` or ``bytes``, compressed or not)."""
    if isinstance(data, (bytes, bytearray, memoryview)):
        data = _decompress(bytes(data))
    elif not isinstance(data, str):
        raise TypeError(f"loads takes str or bytes, not {type(data).__name__}")
    return from_dict(_parse.parse(data))


def dump(est, file, compress=None, *, compact: bool = False, arrays: str = "list") -> None:
    """Write the estimator to ``file``, a path or a binary file object.

    Parameters
    ----------
    est : a fitted estimator of a supported class (``supported_estimators()``)
    file : str, os.PathLike or a file object opened for writing bytes (``"wb"``)
    compress : {{"gzip", "bz2", "lzma"}} or (name, level), optional
        By default chosen from a path's suffix (``.gz``, ``.bz2``, ``.xz``), else none. Give
        compressed files their suffix: other readers (the Node command line, the page) take
        ``.json`` for plain JSON and ``.json.gz`` for gzip.{options}
    """
    is_path = isinstance(file, (str, os.PathLike))
    if not is_path and (isinstance(file, io.TextIOBase) or "b" not in getattr(file, "mode", "b")):
        raise TypeError("dump needs a file opened in binary mode ('wb'), or a path")
    if compress is None and is_path:
        compress = SUFFIXES.get(os.path.splitext(os.fspath(file))[1].lower())
    data = _compress(_dumps_bytes(est, compact, arrays), compress)
    if is_path:
        with open(file, "wb") as f:
            f.write(data)
    else:
        file.write(data)


def load(file):
    """Read an estimator from ``file``, a path or a binary file object; compression (gzip, bz2,
    lzma) is detected from the first bytes."""
    if isinstance(file, (str, os.PathLike)):
        with open(file, "rb") as f:
            data = f.read()
    else:
        data = file.read()
    if isinstance(data, str):
        raise TypeError("load needs a file opened in binary mode ('rb')")
    return loads(data)


for _function in (to_dict, dumps, dump):
    if _function.__doc__:  # (python -OO strips docstrings)
        _function.__doc__ = _function.__doc__.format(options=_OPTIONS)


def _compress(data: bytes, compress) -> bytes:
    if compress is None:
        return data
    name, level = compress if isinstance(compress, tuple) else (compress, None)
    if name not in COMPRESSORS:
        raise ValueError(
            f"compress must be one of {sorted(COMPRESSORS)} or (name, level), not {compress!r}"
        )
    module, default = COMPRESSORS[name]
    level = default if level is None else level
    if module is lzma:
        return lzma.compress(data, preset=level)
    return module.compress(data, compresslevel=level)


def _decompress(data: bytes) -> bytes:
    name = next((n for magic, n in MAGIC.items() if data.startswith(magic)), None)
    if name is None:
        return data
    opener = {"gzip": gzip.open, "bz2": bz2.open, "lzma": lzma.open}[name]
    try:
        with opener(io.BytesIO(data), "rb") as stream:
            out = stream.read(MAX_DOCUMENT_BYTES + 1)
    except (OSError, EOFError, lzma.LZMAError, zlib.error, ValueError) as exc:
        raise InvalidModelError("", f"not a valid {name} stream: {exc}") from None
    if len(out) > MAX_DOCUMENT_BYTES:
        raise InvalidModelError("", f"decompresses to more than {MAX_DOCUMENT_BYTES} bytes")
    return out
