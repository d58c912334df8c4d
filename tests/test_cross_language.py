"""Every supported estimator, on every dataset, in every document mode, predicts in Node what it
predicts in scikit-learn, under SPEC's fidelity rules (``json_models._fidelity``): trees and tree
ensembles bit for bit, except values that pass through ``exp`` (boosting probabilities), within
4 ulp; linear models' decision values within ``1e-12 * (1 + |intercept| + sum_j |coef_j x_j|)``,
probabilities within 1e-12, identical labels except exact ties."""

from __future__ import annotations

import json

import pytest
from cases import CASE_IDS, fitted, fitted_data, json_objects, json_values, probe_rows
from conftest import assert_like_scikit_learn
from jsnode import predict

import json_models as jm
from json_models._fidelity import predictions


@pytest.mark.parametrize("case_id", CASE_IDS)
def test_node_predicts_like_scikit_learn(case_id, mode, tmp_path):
    _, options = mode
    est, data = fitted(case_id)
    X = probe_rows(est, data)
    model, rows = tmp_path / "model.json", tmp_path / "X.json"
    jm.dump(est, model, **options)
    rows.write_text(json.dumps(json_values(X)))
    assert_like_scikit_learn(est, X, predict(model, rows), predictions(est, X))


FRAME_CASES = [case_id for case_id in CASE_IDS if hasattr(fitted_data(case_id).X_test, "columns")]


@pytest.mark.parametrize("case_id", FRAME_CASES)
def test_node_takes_rows_keyed_by_column_name(case_id, tmp_path):
    """A model fitted on a DataFrame takes rows as objects keyed by its column names, as
    a database or a form gives them."""
    est, data = fitted(case_id)
    X = probe_rows(est, data)
    model, rows = tmp_path / "model.json", tmp_path / "X.json"
    jm.dump(est, model)
    rows.write_text(json.dumps(json_objects(X)))
    assert_like_scikit_learn(est, X, predict(model, rows), predictions(est, X))
