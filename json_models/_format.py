"""The document envelope: writing it, reading it, and the hyperparameters.

FORMAT_VERSION is ``MAJOR.MINOR`` (policy: ``schemas/README.md``; how to bump it, and every
file that changes with it: ``CONTRIBUTING.md``).
"""

from __future__ import annotations

import warnings

import numpy as np
from sklearn.utils.validation import check_is_fitted

from . import _compat, _registry, _validate
from ._arrays import Encoder, decode_labels
from ._decoding import Decoding, set_fitted
from ._version import __version__
from .errors import InvalidModelError, UnsupportedModelError, pointer_join

FORMAT_VERSION = "1.3"
# Documents inside documents (a pipeline's steps) nest at most this deep, in every reader: real
# pipelines nest two or three deep, and any document this deep stays within the JSON nesting
# every reader takes (``_validate.MAX_NESTING``).
MAX_DEPTH = 4
DEPTH_RULE = f"expected documents nested at most {MAX_DEPTH} deep"
PRODUCER = {"name": "json-models", "version": __version__}


class CompactModelWarning(UserWarning):
    """A compact document was loaded: the estimator predicts identically, but the named
    attributes, which prediction does not need, were not stored."""


# ---------------------------------------------------------------- writing


def encode(est, enc: Encoder) -> dict:
    """The whole document for a fitted estimator."""
    producer = {**PRODUCER, "sklearn_version": _compat.SKLEARN_VERSION}
    doc = encode_model(est, enc)
    return {"format": doc.pop("format"), "format_version": doc.pop("format_version"),
            "producer": producer, **doc}  # fmt: skip


def encode_model(est, enc: Encoder) -> dict:
    """The document of a fitted estimator, without ``producer``: what a pipeline holds for
    each of its steps (each a document that could be loaded on its own)."""
    name, codec = _registry.codec_for_class(type(est))
    if enc.depth > MAX_DEPTH:
        raise UnsupportedModelError(f"{name}: {DEPTH_RULE}, as every reader takes them")
    getattr(codec, "check_fitted", check_is_fitted)(est)
    enc.encode_model = encode_model  # (for the codecs of estimators made of estimators)
    state = codec.encode(est, enc)
    nested = getattr(codec, "NESTED_PARAMS", ())
    params = {k: v for k, v in est.get_params(deep=False).items() if k not in nested}
    return {
        "format": _validate.FORMAT_NAME,
        "format_version": FORMAT_VERSION,
        "estimator": name,
        "params": encode_params(est, params),
        "state": state,
    }


def encode_params(est, params: dict) -> dict:
    """``get_params(deep=False)`` as JSON values (:func:`_plain`); anything else is refused by
    name."""
    out = {}
    for key, value in params.items():
        if key == "class_weight":
            value = _encode_class_weight(value)
        if key == "memory":  # (a cache: a local path or an object; reset on loading anyway)
            value = None
        value = _plain(value)
        if not _is_json(value):
            raise UnsupportedModelError(
                f"{type(est).__name__}: parameter {key}={value!r} is not JSON-representable "
                "(only None, bool, int, float, str, lists, tuples and numpy dtypes are supported)"
            )
        out[key] = value
    return out


def _encode_class_weight(value):
    """A dict (or, for multi-output trees, a list of dicts) as ``[label, weight]`` pairs."""
    if isinstance(value, dict):
        return [[_plain(k), _plain(v)] for k, v in value.items()]
    if isinstance(value, list) and all(isinstance(v, dict) for v in value):
        return [_encode_class_weight(v) for v in value]
    return value


def _decode_class_weight(value, pointer: str):
    if not isinstance(value, list):
        return value
    if value and all(isinstance(v, list) and v and isinstance(v[0], list) for v in value):
        return [_decode_class_weight(v, pointer_join(pointer, k)) for k, v in enumerate(value)]
    for k, pair in enumerate(value):
        if not (isinstance(pair, list) and len(pair) == 2 and isinstance(pair[1], (int, float))):
            raise InvalidModelError(pointer_join(pointer, k), "expected a [label, weight] pair")
    labels = decode_labels([label for label, _ in value], pointer)
    return dict(zip(labels.tolist(), (weight for _, weight in value)))


# Parameter values JSON has no word for, written as an object of one tagged key (a parameter
# is never otherwise an object): a non-finite float (``missing_values=np.nan``), a tuple
# (``feature_range=(0, 1)``), a numpy scalar type (``dtype=np.float64``).
NONFINITE = {"NaN": float("nan"), "Infinity": float("inf"), "-Infinity": float("-inf")}
PARAM_DTYPES = ("float64", "float32", "float16", "int64", "int32", "int16", "int8", "uint8", "bool")


def _plain(value):
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not np.isfinite(value):
        return {"float": repr(value).replace("nan", "NaN").replace("inf", "Infinity")}
    if isinstance(value, tuple):
        return {"tuple": [_plain(v) for v in value]}
    if isinstance(value, type) and issubclass(value, np.generic):
        return {"dtype": np.dtype(value).name}
    if isinstance(value, (list, np.ndarray)):
        return [_plain(v) for v in value]
    return value


def _is_json(value) -> bool:
    if value is None or isinstance(value, (bool, int, str)):
        return True
    if isinstance(value, float):
        return bool(np.isfinite(value))
    if isinstance(value, list):
        return all(_is_json(v) for v in value)
    if isinstance(value, dict) and len(value) == 1:
        ((tag, inner),) = value.items()
        return (
            (tag == "float" and inner in NONFINITE)
            or (tag == "tuple" and _is_json(inner))
            or (tag == "dtype" and inner in PARAM_DTYPES)
        )
    return False


def _unplain(value, pointer: str):
    """A parameter value as written by :func:`_plain`, back to Python's."""
    if isinstance(value, list):
        return [_unplain(v, pointer_join(pointer, i)) for i, v in enumerate(value)]
    if not isinstance(value, dict):
        return value
    if len(value) == 1:
        ((tag, inner),) = value.items()
        if tag == "float" and inner in NONFINITE:
            return NONFINITE[inner]
        if tag == "tuple" and isinstance(inner, list):
            return tuple(_unplain(inner, pointer_join(pointer, "tuple")))
        if tag == "dtype" and inner in PARAM_DTYPES:
            return np.dtype(inner).type
    raise InvalidModelError(
        pointer,
        'expected a parameter value: JSON scalars and arrays, or {"float": "NaN" | "Infinity" | '
        '"-Infinity"}, {"tuple": [...]}, {"dtype": "float64" | ...}',
    )


# ---------------------------------------------------------------- reading


def decode(doc, keep_runtime_params: bool = False):
    """Validate a document and rebuild its estimator; return it with the names of the
    attributes the document did not store (compact documents)."""
    _validate.check_envelope(doc)
    _validate.check_schema(doc)
    ctx = Decoding(None, keep_runtime_params, decode_model)
    return decode_model(doc, ctx, ""), sorted(ctx.missing)


def decode_model(doc: dict, ctx: Decoding, pointer: str):
    """The estimator of a schema-checked document found at ``pointer`` in the whole one (""
    for the whole; a pipeline's steps are documents inside it). Errors raised on the way name
    places from the whole document's root."""
    outer = ctx.estimator, ctx.pointer
    try:
        if ctx.depth > MAX_DEPTH:
            raise InvalidModelError("", DEPTH_RULE)
        cls, codec = _registry.codec_for_name(doc["estimator"])
        params = decode_params(cls, doc["params"], ctx.keep_runtime_params)
        if hasattr(codec, "translate_params"):  # (parameters renamed across versions)
            params = codec.translate_params(cls, params)
        ctx.pointer = pointer
        if hasattr(codec, "decode_params"):  # estimators as parameters (a pipeline's steps)
            params.update(codec.decode_params(doc["state"], ctx))
        ctx.estimator = _compat.checked_estimator(cls, params)
        return set_fitted(ctx.estimator, codec.decode(doc["state"], ctx))
    except InvalidModelError as exc:
        if not pointer or getattr(exc, "rooted", False):
            raise
        rooted = type(exc)(pointer + exc.pointer, exc.detail)
        rooted.rooted = True
        raise rooted from None
    except UnsupportedModelError as exc:  # (a step this scikit-learn cannot rebuild: say which)
        if not pointer or getattr(exc, "rooted", False):
            raise
        rooted = UnsupportedModelError(f"{pointer}: {exc}")
        rooted.rooted = True
        raise rooted from None
    finally:
        ctx.estimator, ctx.pointer = outer


def warn_missing(est, missing: list) -> None:
    """Say which attributes a rebuilt estimator cannot provide."""
    if missing:
        warnings.warn(
            f"compact document: {', '.join(missing)} of this {type(est).__name__} were not "
            "stored (predictions are unaffected)",
            CompactModelWarning,
            stacklevel=4,
        )


# Parameters that choose the loading machine's resources or output, not what the model
# predicts: a document from a stranger must not start a million threads, print, or write.
RUNTIME_PARAMS = ("n_jobs", "verbose", "warm_start", "memory")


def decode_params(cls, params: dict, keep_runtime_params: bool = False) -> dict:
    """The hyperparameters of a document (checked by scikit-learn's own parameter rules when
    the estimator is built: ``_compat.checked_estimator``); the :data:`RUNTIME_PARAMS` as the
    class's defaults unless ``keep_runtime_params``."""
    params = {key: _unplain(value, pointer_join("/params", key)) for key, value in params.items()}
    if not keep_runtime_params:
        defaults = _compat.parameters(cls)
        params = {
            key: defaults[key].default if key in RUNTIME_PARAMS and key in defaults else value
            for key, value in params.items()
        }
    if "class_weight" in params:
        params = {
            **params,
            "class_weight": _decode_class_weight(params["class_weight"], "/params/class_weight"),
        }
    return params
