"""Shared test helpers: the fidelity rules as assertions, and the document modes as a fixture."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from json_models import _compat, _fidelity
from json_models._modes import MODES


def assert_bitwise_equal(actual, expected, where: str = "") -> None:
    """Equal values *and* bit patterns, of the same dtype (so 0.0 != -0.0, and NaN == NaN of
    the same payload): the rule of a Python round trip, from ``json_models._fidelity``."""
    problems = _fidelity.bit_mismatches(expected, actual, where)
    assert not problems, problems


def rows_this_version_takes(est, X: np.ndarray) -> np.ndarray:
    """The mask of the rows of ``X`` this scikit-learn lets ``est`` predict: every row, or
    those without missing values where this version refuses them for ``est`` (extra trees
    take them only from scikit-learn 1.6): a document written by a newer version keeps
    routing missing values, but an older scikit-learn will not be given any."""
    numeric = isinstance(X, np.ndarray) and X.dtype.kind == "f"
    if _compat.allows_nan(est) or not numeric:  # (a table of mixed types: its own rules)
        return np.ones(len(X), dtype=bool)
    return ~np.isnan(X).any(axis=1)


def select_rows(outputs, rows: np.ndarray):
    """``outputs`` (an array, a list of per-output arrays, or a dict of either) at ``rows``
    (a sparse matrix or a DataFrame only whole: ``rows`` all true)."""
    if rows.all():
        return outputs
    if isinstance(outputs, dict):
        return {k: select_rows(v, rows) for k, v in outputs.items()}
    if isinstance(outputs, list):
        return [np.asarray(v)[rows] for v in outputs]
    return np.asarray(outputs)[rows]


def assert_same_outputs(actual: dict, expected: dict) -> None:
    """Every output of a Python round trip identical to the original's, bit for bit."""
    problems = _fidelity.roundtrip_mismatches(expected, actual)
    assert not problems, problems


class NearTie(UserWarning):
    """Rows whose label the fidelity rules let differ (two best scores within the family's
    bound): SPEC asks the tests to say how many there were."""


def assert_like_scikit_learn(est, X, actual: dict, expected: dict) -> None:
    """Another runtime's outputs for the rows ``X`` agree with scikit-learn's under SPEC's
    fidelity rules for ``est``'s family (``json_models._fidelity``); rows near a tie are
    reported as a :class:`NearTie` warning."""
    ties = []
    problems = _fidelity.mismatches(est, X, expected, actual, ties)
    assert not problems, problems
    for line in ties:
        warnings.warn(line, NearTie, stacklevel=2)


@pytest.fixture(params=list(MODES), ids=list(MODES))
def mode(request):
    """Each way of writing a document: ``(name, keyword options)``."""
    return request.param, MODES[request.param]
