"""Helpers every codec shares: the decoding context and the state all estimators have."""

from __future__ import annotations

import numpy as np

from ..errors import InvalidModelError


class Decoding:
    """What codecs share while decoding one document: where they are, and what was missing."""

    def __init__(self, params: dict):
        self.params = params
        self.missing: set[str] = set()


def encode_common(est) -> dict:
    """The state every estimator has: the number of features and, when fitted on a frame,
    their names."""
    state = {"n_features_in": int(est.n_features_in_)}
    names = getattr(est, "feature_names_in_", None)
    if names is not None:
        state["feature_names_in"] = [str(n) for n in names]
    return state


def decode_common(state: dict) -> dict:
    """``n_features_in_`` and ``feature_names_in_`` from the state."""
    attributes = {"n_features_in_": state["n_features_in"]}
    if "feature_names_in" in state:
        names = state["feature_names_in"]
        if len(names) != state["n_features_in"]:
            raise InvalidModelError(
                "/state/feature_names_in", f"expected {state['n_features_in']} names"
            )
        attributes["feature_names_in_"] = np.asarray(names, dtype=object)
    return attributes
