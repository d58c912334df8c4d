"""The exceptions json-models raises; all derive from :class:`JsonModelsError`."""

from __future__ import annotations


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
