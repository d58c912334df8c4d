"""What every decoder shares while rebuilding one estimator: below the envelope (``_format``)
and the codecs alike, so neither layer reaches into the other."""

from __future__ import annotations


class Decoding:
    """What codecs share while decoding one document: the estimator being rebuilt (constructed
    with the document's parameters) and the attributes the document did not store."""

    def __init__(self, estimator):
        self.estimator = estimator
        self.missing: set[str] = set()


def set_fitted(est, attributes: dict):
    """Give ``est`` its fitted attributes; return it."""
    for key, value in attributes.items():
        setattr(est, key, value)
    return est
