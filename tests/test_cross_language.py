"""Every supported estimator, on every dataset, in every document mode, predicts in Node what it
predicts in scikit-learn, under SPEC's fidelity rules:

- trees and tree ensembles: bit-for-bit, except values that pass through ``exp`` (boosting
  probabilities), which agree within 4 ulp;
- linear models: decision values within ``1e-12 * (1 + |intercept| + sum_j |coef_j * x_j|)``,
  probabilities within 1e-12, identical labels except exact ties.
"""

from __future__ import annotations

import json

import numpy as np
import pytest
from cases import CASE_IDS, CASES, fitted, json_values, outputs, probe_rows
from conftest import assert_bitwise_equal
from jsnode import predict

import json_models as jm

FAMILY = {case.id: case.family for case in CASES}
ULP = 2.0**-52


@pytest.mark.parametrize("case_id", CASE_IDS)
def test_node_predicts_like_scikit_learn(case_id, mode, tmp_path):
    _, options = mode
    est, data = fitted(case_id)
    X = probe_rows(est, data)
    model, rows = tmp_path / "model.json", tmp_path / "X.json"
    jm.dump(est, model, **options)
    rows.write_text(json.dumps(json_values(X)))
    got = predict(model, rows)
    want = outputs(est, X)
    want.pop("apply", None)
    assert sorted(got) == sorted(want)
    check = LINEAR_RULES if FAMILY[case_id] in ("linear", "logistic") else TREE_RULES
    check(est, X, got, want)


def _floats(values):
    if (
        isinstance(values, list)
        and values
        and isinstance(values[0], list)
        and values[0]
        and isinstance(values[0][0], list)
    ):
        return [_floats(v) for v in values]
    return np.asarray(values, dtype=np.float64)


def TREE_RULES(est, X, got, want):  # noqa: N802
    for method, expected in want.items():
        if method == "predict" and np.asarray(expected).dtype.kind not in "f":
            np.testing.assert_array_equal(np.asarray(got[method]), expected, err_msg=method)
        elif method == "predict_proba" and type(est).__name__.startswith("GradientBoosting"):
            actual = _floats(got[method])
            bound = 4 * ULP * np.maximum(1.0, np.abs(expected))
            assert np.all(np.abs(actual - expected) <= bound), method
        else:
            actual = _floats(got[method])
            if isinstance(expected, list):
                assert_bitwise_equal(
                    actual, [np.asarray(e, dtype=np.float64) for e in expected], method
                )
            else:
                assert_bitwise_equal(actual, np.asarray(expected, dtype=np.float64), method)


def LINEAR_RULES(est, X, got, want):  # noqa: N802
    coef = np.atleast_2d(est.coef_)
    scale = (
        1 + np.abs(np.asarray(est.intercept_)).max() + np.abs(X @ coef.T).max(axis=1, keepdims=True)
    )
    bound = 1e-12 * scale
    decision = "decision_function" if "decision_function" in want else "predict"
    expected_d = np.asarray(want[decision], dtype=np.float64).reshape(len(X), -1)
    actual_d = np.asarray(got[decision], dtype=np.float64).reshape(len(X), -1)
    assert np.all(np.abs(actual_d - expected_d) <= bound), decision
    if "predict_proba" in want:
        assert np.abs(np.asarray(got["predict_proba"]) - want["predict_proba"]).max() <= 1e-12
    if decision == "decision_function":
        labels, expected_labels = np.asarray(got["predict"]), want["predict"]
        differ = labels != expected_labels
        if differ.any():
            # only exact ties may differ: the best two decision values within the bound
            top = np.sort(expected_d, axis=1)
            gap = np.abs(top[:, -1]) if top.shape[1] == 1 else top[:, -1] - top[:, -2]
            assert np.all(gap[differ] <= 2 * bound[differ, 0]), "labels differ beyond ties"
