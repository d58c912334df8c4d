"""Helpers every codec shares: the state all estimators have."""

from __future__ import annotations

import numpy as np

from .. import _compat
from .._arrays import decode_count, decode_label_dtype, label_dtype, text_problem
from ..errors import InvalidModelError, UnsupportedModelError, pointer_join

MAX_FEATURES = 2**31 - 1  # feature indices are int32 in every reader


def encode_common(est) -> dict:
    """The state every estimator has: the number of features and, when fitted on a frame,
    their names; for classifiers, the numpy dtype of the labels (JSON keeps their values, not
    whether they were ``<U5`` or ``object``, ``int32`` or ``int64``: predict returns it)."""
    state = {"n_features_in": int(est.n_features_in_)}
    names = getattr(est, "feature_names_in_", None)
    if names is not None:
        state["feature_names_in"] = [str(n) for n in names]
        for name in state["feature_names_in"]:
            problem = text_problem(name)
            if problem:
                raise UnsupportedModelError(
                    f"feature_names_in_ cannot be exported: name {name!r} {problem}"
                )
    if hasattr(est, "classes_"):
        state["classes_dtype"] = label_dtype(est.classes_)
    output = _compat.output_config(est)
    if output:
        state["output_config"] = output
    return state


def labels_dtype(state: dict):
    """The recorded dtype of ``classes_``, or None (format 1.0 documents: numpy's choice)."""
    if "classes_dtype" not in state:
        return None
    return decode_label_dtype(state["classes_dtype"])


def decode_common(state: dict) -> dict:
    """``n_features_in_`` and ``feature_names_in_`` from the state."""
    n_features = decode_count(state["n_features_in"], "/state/n_features_in", 1, MAX_FEATURES)
    attributes = {"n_features_in_": n_features}
    if "feature_names_in" in state:
        names, pointer = state["feature_names_in"], "/state/feature_names_in"
        if not isinstance(names, list) or not all(isinstance(name, str) for name in names):
            raise InvalidModelError(pointer, "expected feature names as strings")
        if len(names) != n_features:
            raise InvalidModelError(pointer, f"expected {n_features} names, found {len(names)}")
        for i, name in enumerate(names):
            problem = text_problem(name)
            if problem:
                raise InvalidModelError(pointer_join(pointer, i), f"this name {problem}")
        if len(set(names)) != len(names):
            raise InvalidModelError(pointer, "expected unique entries")
        attributes["feature_names_in_"] = np.asarray(names, dtype=object)
    if "output_config" in state:  # (checked by the schema: {"transform": "pandas"}, ...)
        attributes[_compat.OUTPUT_CONFIG] = dict(state["output_config"])
    return attributes
