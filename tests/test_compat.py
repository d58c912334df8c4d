"""Documents cross scikit-learn versions: parameters a version lacks or adds, and trees rebuilt
through the running version's own node structure."""

from __future__ import annotations

import numpy as np
import pytest
from cases import fitted, outputs, probe_rows
from conftest import assert_same_outputs

import json_models as jm
from json_models import _compat

CASE = "forest-RandomForestClassifier-iris_nan-str"


def test_parameter_unknown_to_this_version_is_dropped_with_a_warning():
    est, data = fitted(CASE)
    doc = jm.to_dict(est)
    doc["params"]["a_parameter_from_the_future"] = 3
    with pytest.warns(UserWarning, match="a_parameter_from_the_future"):
        rebuilt = jm.from_dict(doc)
    X = probe_rows(est, data)
    assert_same_outputs(outputs(rebuilt, X), outputs(est, X))


def test_parameter_missing_from_an_older_document_takes_this_versions_default():
    est, data = fitted(CASE)
    doc = jm.to_dict(est)
    del doc["params"]["monotonic_cst"]  # added in scikit-learn 1.4
    rebuilt = jm.from_dict(doc)
    assert rebuilt.monotonic_cst is None
    X = probe_rows(est, data)
    assert_same_outputs(outputs(rebuilt, X), outputs(est, X))


def test_tree_is_rebuilt_through_the_running_node_dtype(monkeypatch):
    """A scikit-learn whose nodes lack a field the document has (missing_go_to_left before 1.3)
    gets the columns it knows; one whose nodes have a field the document lacks gets the
    documented default."""
    est, _ = fitted("tree-DecisionTreeRegressor-diabetes")
    tree = est.tree_
    columns = {
        "left_child": tree.children_left,
        "right_child": tree.children_right,
        "feature": tree.feature,
        "threshold": tree.threshold,
        "value": tree.value,
        "impurity": tree.impurity,
        "n_node_samples": tree.n_node_samples,
        "weighted_n_node_samples": tree.weighted_n_node_samples,
        "a_field_from_the_future": np.ones(tree.node_count),
    }
    rebuilt = _compat.build_tree(columns, est.n_features_in_, [1], 1, tree.max_depth)
    np.testing.assert_array_equal(rebuilt.missing_go_to_left, 0)  # the documented default
    X = np.random.RandomState(0).rand(50, est.n_features_in_).astype(np.float32)
    np.testing.assert_array_equal(rebuilt.apply(X), tree.apply(X))
