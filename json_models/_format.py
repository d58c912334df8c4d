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

FORMAT_VERSION = "1.1"
PRODUCER = {"name": "json-models", "version": __version__}


class CompactModelWarning(UserWarning):
    """A compact document was loaded: the estimator predicts identically, but the named
    attributes, which prediction does not need, were not stored."""


# ---------------------------------------------------------------- writing


def encode(est, enc: Encoder) -> dict:
    """The whole document for a fitted estimator."""
    name, codec = _registry.codec_for_class(type(est))
    check_is_fitted(est)
    return {
        "format": _validate.FORMAT_NAME,
        "format_version": FORMAT_VERSION,
        "producer": {**PRODUCER, "sklearn_version": _compat.SKLEARN_VERSION},
        "estimator": name,
        "params": encode_params(est),
        "state": codec.encode(est, enc),
    }


def encode_params(est) -> dict:
    """``get_params(deep=False)`` as JSON values; anything else is refused by name."""
    out = {}
    for key, value in est.get_params(deep=False).items():
        if key == "class_weight":
            value = _encode_class_weight(value)
        value = _plain(value)
        if not _is_json(value):
            raise UnsupportedModelError(
                f"{type(est).__name__}: parameter {key}={value!r} is not JSON-representable "
                "(only None, bool, int, float, str and lists of them are supported)"
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


def _plain(value):
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, (list, tuple, np.ndarray)):
        return [_plain(v) for v in value]
    return value


def _is_json(value) -> bool:
    if value is None or isinstance(value, (bool, int, str)):
        return True
    if isinstance(value, float):
        return bool(np.isfinite(value))
    if isinstance(value, list):
        return all(_is_json(v) for v in value)
    return False


# ---------------------------------------------------------------- reading


def decode(doc, keep_runtime_params: bool = False):
    """Validate a document and rebuild its estimator; return it with the names of the
    attributes the document did not store (compact documents)."""
    _validate.check_envelope(doc)
    _validate.check_schema(doc)
    cls, codec = _registry.codec_for_name(doc["estimator"])
    est = _compat.checked_estimator(cls, decode_params(cls, doc["params"], keep_runtime_params))
    ctx = Decoding(est)
    set_fitted(est, codec.decode(doc["state"], ctx))
    return est, sorted(ctx.missing)


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
