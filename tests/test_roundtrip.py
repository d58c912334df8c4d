"""Every supported estimator, on every dataset, in every document mode: the rebuilt estimator is
of the same class, has the same parameters and fitted state, and predicts bit for bit alike."""

from __future__ import annotations

import json
import math
import re
import warnings

import numpy as np
import orjson
import pytest
from cases import CASE_IDS, fitted, outputs, probe_rows
from conftest import assert_bitwise_equal, assert_same_outputs
from sklearn.base import BaseEstimator

import json_models as jm
from json_models._validate import schema_validator

STATISTICS = {"impurity", "n_node_samples", "weighted_n_node_samples"}
UNSTORED = re.compile(r"compact document: (.+) of this \w+ were not stored")


def _load_quietly(text):
    """The estimator, and the attributes its (compact) document says it cannot give back."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", jm.CompactModelWarning)
        est = jm.loads(text)
    said = [str(w.message) for w in caught if issubclass(w.category, jm.CompactModelWarning)]
    missing = {name for text in said for name in UNSTORED.match(text).group(1).split(", ")}
    return est, missing


@pytest.mark.parametrize("case_id", CASE_IDS)
def test_roundtrip_predicts_identically(case_id, mode):
    name, options = mode
    est, data = fitted(case_id)
    text = jm.dumps(est, **options)
    rebuilt, unstored = _load_quietly(text)

    assert type(rebuilt) is type(est)
    assert_same_params(rebuilt, est)
    X = probe_rows(est, data)
    assert_same_outputs(outputs(rebuilt, X), outputs(est, X))
    compact = Unstored(unstored) if "compact" in name else False
    assert_same_fitted_state(rebuilt, est, compact)
    if hasattr(est, "transform") and hasattr(est, "get_feature_names_out"):
        assert_same_value(rebuilt.get_feature_names_out(), est.get_feature_names_out(), "names")


@pytest.mark.parametrize("case_id", CASE_IDS)
def test_document_is_valid_strict_json(case_id, mode):
    _, options = mode
    est, _ = fitted(case_id)
    doc = jm.to_dict(est, **options)
    # The whole schema, element by element, with no skip; then the library's own checks.
    errors = [e.message[:200] for e in schema_validator().iter_errors(doc)]
    assert errors == []
    jm.validate(doc)
    # to_dict gives plain JSON values, and dumps writes the same document as strict JSON.
    text = jm.dumps(est, **options)
    assert json.loads(text, parse_constant=_refuse) == doc
    assert orjson.loads(orjson.dumps(doc)) == doc


def _refuse(token):
    raise AssertionError(f"non-strict JSON token {token}")


def test_floats_round_trip_to_the_same_bits():
    rng = np.random.RandomState(0)
    values = np.concatenate(
        [
            rng.standard_normal(1000) * 10.0 ** rng.randint(-300, 300, 1000),
            [5e-324, 2.2250738585072014e-308, 1.7976931348623157e308, 0.1, 1 / 3, -0.0],
        ]
    )
    doc = {"v": values.tolist()}
    back = np.asarray(orjson.loads(orjson.dumps(doc))["v"])
    assert_bitwise_equal(back, values)
    assert all(math.isfinite(v) for v in doc["v"])


def assert_same_params(rebuilt, est) -> None:
    """``get_params()`` equal, an estimator among them (a pipeline's steps) by its class and
    parameters."""
    assert _params(rebuilt) == _params(est)


def _params(value):
    if isinstance(value, float) and value != value:
        return "NaN"  # (missing_values=np.nan equals itself)
    if isinstance(value, BaseEstimator):
        return (type(value), _params(value.get_params(deep=False)))
    if isinstance(value, dict):
        return {k: _params(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(_params(v) for v in value)
    return value


class Unstored(frozenset):
    """The attributes a compact document's warnings named as not stored; true even when empty
    (it says: the document is compact)."""

    def __bool__(self) -> bool:
        return True


def assert_same_fitted_state(rebuilt, est, compact) -> None:
    """Every public fitted attribute (name ending in ``_``) is there and equal, bit for bit, of
    the same type, dtype and memory layout, recursively (a pipeline's steps, a column
    transformer's transformers); trees node by node. Compact documents (``compact``: an
    :class:`Unstored`) lack the node statistics and what their warnings name (training
    traces), by design."""
    for (_, a), (_, e) in zip(getattr(rebuilt, "steps", ()), getattr(est, "steps", ())):
        assert_same_value(a, e, "steps", compact)
    for key, value in vars(est).items():
        if not key.endswith("_") or key.startswith("_"):
            continue
        if compact and key in compact:
            assert not hasattr(rebuilt, key), key  # (not a wrong value)
            continue
        assert hasattr(rebuilt, key), key
        other = getattr(rebuilt, key)
        if key == "tree_":
            assert_same_tree(other, value, compact)
        elif key in ("estimators_", "estimator_", "init_"):
            assert_same_estimators(other, value, compact)
        else:
            assert_same_value(other, value, key, compact)


def assert_same_value(actual, expected, where: str, compact=False) -> None:
    """Equal bits, type, dtype and memory layout (C or Fortran order changes BLAS results).
    A scalar is compared by its dtype: ``0.0`` and ``np.float64(0.0)`` behave alike; an
    estimator by its class, parameters and fitted state."""
    if np.isscalar(expected) and not isinstance(expected, str):
        actual, expected = np.asarray(actual), np.asarray(expected)
    assert type(actual) is type(expected), f"{where}: {type(actual)} != {type(expected)}"
    if isinstance(expected, BaseEstimator):
        assert _params(actual) == _params(expected), where
        assert_same_fitted_state(actual, expected, compact)
    elif isinstance(expected, dict):
        assert list(actual) == list(expected) or set(actual) == set(expected), where
        for k in expected:
            assert_same_value(actual[k], expected[k], f"{where}[{k!r}]", compact)
    elif isinstance(expected, (list, tuple)):
        assert len(actual) == len(expected), where
        for k, (a, e) in enumerate(zip(actual, expected)):
            assert_same_value(a, e, f"{where}[{k}]", compact)
    elif isinstance(expected, np.ndarray):
        assert actual.dtype == expected.dtype, f"{where}: dtype {actual.dtype} != {expected.dtype}"
        assert _axes_by_stride(actual) == _axes_by_stride(expected), f"{where}: memory layout"
        if expected.dtype.kind == "f" or expected.dtype == object:
            assert_bitwise_equal(actual, expected, where)  # (objects: NaN among strings)
        else:
            np.testing.assert_array_equal(actual, expected, err_msg=where)
    else:
        assert actual == expected, where


def _axes_by_stride(a: np.ndarray) -> list:
    """The axes (of more than one entry) from the most to the least contiguous: what decides
    the path BLAS takes for an array, C order, Fortran order or a padded one alike."""
    strides = sorted((abs(s), axis) for axis, (n, s) in enumerate(zip(a.shape, a.strides)) if n > 1)
    return [axis for _, axis in strides]


def assert_same_estimators(actual, expected, compact) -> None:
    """Sub-estimators of an ensemble, one by one: same class, parameters and fitted state
    (boosting's stage trees had a RandomState as ``random_state``, which has no JSON form)."""
    actual, expected = np.ravel(actual), np.ravel(expected)
    assert actual.shape == expected.shape
    for a, e in zip(actual, expected):
        if isinstance(e, str):
            assert a == e
            continue
        assert type(a) is type(e)
        params = e.get_params()
        if isinstance(params.get("random_state"), np.random.RandomState):
            params["random_state"] = None
        assert a.get_params() == params
        assert_same_fitted_state(a, e, compact)


def assert_same_tree(actual, expected, compact: bool) -> None:
    a, e = actual.__getstate__(), expected.__getstate__()
    assert a["node_count"] == e["node_count"] and a["max_depth"] == e["max_depth"]
    leaves = e["nodes"]["left_child"] == -1
    values = (a["values"][leaves], e["values"][leaves]) if compact else (a["values"], e["values"])
    assert_bitwise_equal(*values, "tree_.value")
    for field in e["nodes"].dtype.names:
        if compact and field in STATISTICS:
            continue
        assert_bitwise_equal(a["nodes"][field], e["nodes"][field], f"tree_.{field}")
