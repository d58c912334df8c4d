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
from ._arrays import Encoder
from .errors import InvalidModelError

# name -> (module, default level); suffix -> name; magic bytes -> name
COMPRESSORS = {"gzip": (gzip, 6), "bz2": (bz2, 9), "lzma": (lzma, None)}
SUFFIXES = {".gz": "gzip", ".bz2": "bz2", ".xz": "lzma"}
MAGIC = {b"\x1f\x8b": "gzip", b"BZh": "bz2", b"\xfd7zXZ\x00": "lzma"}
# A compressed document may hold at most this many bytes (256 MiB): one of a few kilobytes must
# not cost gigabytes. The same cap in the Node command line and the page (MAX_DOCUMENT_BYTES).
MAX_DOCUMENT_BYTES = 2**28
_CHUNK = 2**20


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


def from_dict(doc: dict, *, keep_runtime_params: bool = False):
    """Validate a document and rebuild its fitted scikit-learn estimator.

    Parameters
    ----------
    doc : a document, as ``json.load`` or ``to_dict`` gives it{load_options}

    Raises ``InvalidModelError`` (with the JSON Pointer of the bad place) for an invalid
    document and ``UnsupportedVersionError`` for a newer format major version.
    """
    est, missing = _format.decode(doc, keep_runtime_params)
    _format.warn_missing(est, missing)
    return est


def validate(doc: dict) -> None:
    """Raise ``InvalidModelError`` unless ``doc`` is a valid document: the schema, the type of
    every array element, and the semantic checks loading makes (shapes, tree structure,
    finiteness): exactly what loading checks. Fast on large models: array elements are
    checked with numpy, not one by one through the schema. For a file, ``json-models validate
    FILE`` on the command line, or ``validate(json.load(f))``."""
    if isinstance(doc, (str, bytes, os.PathLike)):
        raise TypeError(
            "validate takes a parsed document (a dict); for a file, run `json-models validate "
            "FILE`, or load it first: validate(json.load(open(path))), or json_models.load(path)"
        )
    _format.decode(doc, keep_runtime_params=True)  # (the document's own values are checked)


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


def loads(data: str | bytes, *, keep_runtime_params: bool = False):
    """Rebuild an estimator from JSON text (``str`` or ``bytes``, compressed or not).

    Parameters
    ----------
    data : str or bytes{load_options}
    """
    if isinstance(data, (bytes, bytearray, memoryview)):
        data = _decompress(bytes(data))
    elif not isinstance(data, str):
        raise TypeError(f"loads takes str or bytes, not {type(data).__name__}")
    return from_dict(_parse.parse(data), keep_runtime_params=keep_runtime_params)


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


def load(file, *, keep_runtime_params: bool = False):
    """Read an estimator from ``file``, a path or a binary file object; compression (gzip, bz2,
    lzma) is detected from the first bytes.

    Parameters
    ----------
    file : str, os.PathLike or a file object opened for reading bytes (``"rb"``){load_options}
    """
    if isinstance(file, (str, os.PathLike)):
        with open(file, "rb") as f:
            data = f.read()
    else:
        data = file.read()
    if isinstance(data, str):
        raise TypeError("load needs a file opened in binary mode ('rb')")
    return loads(data, keep_runtime_params=keep_runtime_params)


_LOAD_OPTIONS = """
    keep_runtime_params : bool, default False
        Keep the document's ``n_jobs``, ``verbose``, ``warm_start`` (and ``memory``): the
        parameters that choose this machine's threads, output or files rather than what the
        model predicts. By default they get scikit-learn's defaults, so that a document from
        anyone cannot start a thousand threads or print; pass True for documents you trust."""

for _function in (to_dict, dumps, dump, from_dict, loads, load):
    if _function.__doc__:  # (python -OO strips docstrings)
        _function.__doc__ = _function.__doc__.format(options=_OPTIONS, load_options=_LOAD_OPTIONS)


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
    too_large = InvalidModelError(
        "", f"decompresses to more than {MAX_DOCUMENT_BYTES} bytes, the most json-models reads"
    )
    # gzip's trailer says the size (modulo 2**32) of the last member: an honest bomb is refused
    # unread, a lying one when its output passes the cap.
    if (
        name == "gzip"
        and len(data) >= 18
        and int.from_bytes(data[-4:], "little") > MAX_DOCUMENT_BYTES
    ):
        raise too_large
    chunks, size = [], 0
    try:
        for chunk in _unxz(data) if name == "lzma" else _chunks(name, data):
            size += len(chunk)
            chunks.append(chunk)
            if size > MAX_DOCUMENT_BYTES:
                raise too_large
    except (OSError, EOFError, lzma.LZMAError, zlib.error) as exc:
        raise InvalidModelError("", f"not a valid {name} stream: {exc}") from None
    return b"".join(chunks)


def _chunks(name: str, data: bytes):
    with {"gzip": gzip.open, "bz2": bz2.open}[name](io.BytesIO(data), "rb") as stream:
        while chunk := stream.read(_CHUNK):
            yield chunk


# An xz header may ask for a dictionary of up to 4 GiB before one byte comes out; lzma.open
# takes no limit, so xz streams are read here, refused past this (xz -9 uses 64 MiB).
MAX_XZ_MEMORY = 2**28


def _unxz(data: bytes):
    while data:
        decompressor = lzma.LZMADecompressor(memlimit=MAX_XZ_MEMORY)
        chunk = decompressor.decompress(data, max_length=_CHUNK)
        while True:
            yield chunk
            if decompressor.eof:
                break
            if decompressor.needs_input:
                raise EOFError("compressed file ended before the end-of-stream marker")
            chunk = decompressor.decompress(b"", max_length=_CHUNK)
        data = decompressor.unused_data.lstrip(b"\0")  # (the next stream, after its padding)
