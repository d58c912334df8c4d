"""What every decoder shares while rebuilding one estimator: below the envelope (``_format``)
and the codecs alike, so neither layer reaches into the other."""

from __future__ import annotations


class Decoding:
    """What codecs share while decoding one document: the estimator being rebuilt (constructed
    with the document's parameters), the attributes the document did not store, and, for
    estimators made of estimators (a pipeline), :meth:`model` to rebuild one of them."""

    def __init__(self, estimator, keep_runtime_params: bool = False, decode_model=None):
        self.estimator = estimator
        self.missing: set[str] = set()
        self.keep_runtime_params = keep_runtime_params
        self.pointer = ""  # where the document being decoded sits in the whole one
        self.depth = 0  # documents around it
        self._decode_model = decode_model

    def model(self, doc: dict, pointer: str):
        """The estimator of the document ``doc`` found at ``pointer`` (relative to the document
        being decoded); errors name places from the whole document's root."""
        self.depth += 1
        try:
            return self._decode_model(doc, self, self.pointer + pointer)
        finally:
            self.depth -= 1


def set_fitted(est, attributes: dict):
    """Give ``est`` its fitted attributes; return it."""
    for key, value in attributes.items():
        setattr(est, key, value)
    return est
