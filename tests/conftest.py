"""Shared test helpers: bit-level comparison of outputs and of fitted state."""

from __future__ import annotations

import numpy as np
import pytest

from json_models import _compat

MODES = {
    "plain": {},
    "compact": {"compact": True},
    "base64": {"arrays": "base64"},
    "compact-base64": {"compact": True, "arrays": "base64"},
}


def assert_bitwise_equal(actual, expected, where: str = "") -> None:
    """Equal values *and* bit patterns (so 0.0 != -0.0, and NaN == NaN of the same payload)."""
    if isinstance(expected, list):  # per-output arrays (multi-output predict_proba)
        assert isinstance(actual, list) and len(actual) == len(expected), where
        for k, (a, e) in enumerate(zip(actual, expected)):
            assert_bitwise_equal(a, e, f"{where}[{k}]")
        return
    actual, expected = np.asarray(actual), np.asarray(expected)
    assert actual.shape == expected.shape, f"{where}: shape {actual.shape} != {expected.shape}"
    if expected.dtype.kind == "f":
        assert actual.dtype == expected.dtype, f"{where}: dtype {actual.dtype} != {expected.dtype}"
        bits = np.dtype(f"u{expected.dtype.itemsize}")
        n = int(
            (
                np.ascontiguousarray(actual).view(bits) != np.ascontiguousarray(expected).view(bits)
            ).sum()
        )
        assert n == 0, f"{where}: {n} values differ in their bits"
    else:
        np.testing.assert_array_equal(actual, expected, err_msg=where)


def rows_this_version_takes(est, X: np.ndarray) -> np.ndarray:
    """The mask of the rows of ``X`` this scikit-learn lets ``est`` predict: every row, or
    those without missing values where this version refuses them for ``est`` (extra trees
    take them only from scikit-learn 1.6): a document written by a newer version keeps
    routing missing values, but an older scikit-learn will not be given any."""
    if _compat.allows_nan(est):
        return np.ones(len(X), dtype=bool)
    return ~np.isnan(X).any(axis=1)


def select_rows(outputs, rows: np.ndarray):
    """``outputs`` (an array, a list of per-output arrays, or a dict of either) at ``rows``."""
    if isinstance(outputs, dict):
        return {k: select_rows(v, rows) for k, v in outputs.items()}
    if isinstance(outputs, list):
        return [np.asarray(v)[rows] for v in outputs]
    return np.asarray(outputs)[rows]


def assert_same_outputs(actual: dict, expected: dict) -> None:
    assert sorted(actual) == sorted(expected)
    for method in expected:
        assert_bitwise_equal(actual[method], expected[method], method)


@pytest.fixture(params=list(MODES), ids=list(MODES))
def mode(request):
    """Each way of writing a document: ``(name, keyword options)``."""
    return request.param, MODES[request.param]
