"""Families `linear_classifier` and `logistic` (LogisticRegressionCV): what the zoo's generic
tests do not say.

Hand-written invalid documents refused at their JSON Pointer, in Python and in Node (where
the JavaScript runtime reads the field); what compact documents leave out of a
LogisticRegressionCV and a RidgeClassifierCV; SGDClassifier's probabilities on rows far
outside the data (modified_huber's rows of zeros, made uniform); the deprecated
``loss_function_`` of scikit-learn 1.4 and 1.5.
"""

from __future__ import annotations

import copy
import json
import warnings

import cases
import jsnode
import numpy as np
import pytest
from conftest import assert_bitwise_equal
from sklearn.linear_model import (
    LogisticRegressionCV,
    RidgeClassifier,
    RidgeClassifierCV,
    SGDClassifier,
)
from sklearn.svm import LinearSVC

import json_models
from json_models import CompactModelWarning, InvalidModelError


def _fit(est, data="iris", labels="str"):
    d = cases.dataset(data)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # (convergence)
        return est.fit(d.X_train, cases.LABELS[labels](d.y_train))


def _doc(est, data="iris", labels="str", **options):
    return json.loads(json_models.dumps(_fit(est, data, labels), **options))


SGD = SGDClassifier(loss="modified_huber", max_iter=5, random_state=0)
STORE = (  # RidgeClassifierCV's parameter (store_cv_values up to 1.4)
    "store_cv_results"
    if "store_cv_results" in RidgeClassifierCV().get_params()
    else "store_cv_values"
)
CV = LogisticRegressionCV(cv=3, Cs=3, max_iter=50)


def _set(path, value):
    """An edit that sets ``doc[path[0]][path[1]]... = value``."""

    def edit(doc):
        node = doc
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = value(node[path[-1]]) if callable(value) else value

    return edit


def _delete(path):
    def edit(doc):
        node = doc
        for key in path[:-1]:
            node = node[key]
        del node[path[-1]]

    return edit


# (estimator, dataset, edit, pointer, whether Node reads the field and names the same place)
INVALID = [
    (SGD, "iris", _set(["state", "coef"], lambda c: c[:-1]), "/state/coef", True),
    (SGD, "iris", _set(["state", "coef", 1], lambda r: r + [0.0]), "/state/coef/1", True),
    (SGD, "iris", _set(["state", "coef", 2, 1], "NaN"), "/state/coef/2/1", True),
    (SGD, "iris", _set(["state", "intercept"], [0.0, 1.0]), "/state/intercept", True),
    (SGD, "iris", _set(["state", "classes"], ["class_0"]), "/state/classes", True),
    (SGD, "iris", _delete(["state", "coef"]), "/state", True),
    (SGD, "iris", _set(["state", "t"], "many"), "/state/t", False),
    (SGD, "iris", _set(["state", "n_iter"], -1), "/state/n_iter", False),
    (SGD, "breast_cancer", _set(["state", "coef"], lambda c: c * 2), "/state/coef", True),
    (
        RidgeClassifier(solver="sag", max_iter=5),
        "iris",
        _set(["state", "n_iter"], [1.5]),
        "/state/n_iter/0",
        False,
    ),
    (RidgeClassifierCV(), "iris", _delete(["state", "alpha"]), "/state", False),
    (RidgeClassifierCV(), "iris", _set(["state", "best_score"], [1.0]), "/state/best_score", False),
    (
        RidgeClassifierCV(**{STORE: True}),
        "iris",
        _set(["state", "cv_results"], [[1.0]]),
        "/state/cv_results/0/0",
        False,
    ),
    (
        LinearSVC(max_iter=50),
        "iris",
        _set(["state", "coef_order"], "K"),
        "/state/coef_order",
        False,
    ),
    (CV, "iris", _set(["state", "multi_class"], "softmax"), "/state/multi_class", True),
    (CV, "iris", _set(["state", "Cs"], ["a"]), "/state/Cs/0", False),
    (CV, "iris", _set(["state", "C"], True), "/state/C", False),
    (CV, "iris", _delete(["state", "l1_ratio"]), "/state", False),
    (CV, "iris", _set(["state", "by_class"], "yes"), "/state/by_class", False),
    (CV, "iris", _set(["state", "coefs_paths"], lambda p: p[:2]), "/state/coefs_paths", False),
    (CV, "iris", _set(["state", "scores_axes", 0], [0, 0]), "/state/scores_axes/0/1", False),
    (CV, "iris", _set(["state", "scores_axes", 0], [1, 2]), "/state/scores_axes/0", False),
    (CV, "iris", _set(["state", "n_iter"], [[1, 2]]), "/state/n_iter", False),
    (
        CV,
        "iris",
        _set(["state", "coefs_paths", 0, 0, 0, 0], "x"),
        "/state/coefs_paths/0/0/0/0",
        False,
    ),
]


def _python_pointer(doc) -> str:
    with pytest.raises(InvalidModelError) as info:
        json_models.from_dict(doc)
    return info.value.pointer


def _node_pointers(docs, tmp_path) -> list:
    """The pointer Node's ``loadModel`` names for each document (null: loaded)."""
    script = tmp_path / "load.mjs"
    script.write_text(
        f'import {{ loadModel }} from "{(jsnode.JS / "src" / "index.js").as_uri()}";\n'
        'import { readFileSync } from "node:fs";\n'
        "const docs = JSON.parse(readFileSync(0, 'utf8'));\n"
        "console.log(JSON.stringify(docs.map((d) => { try { loadModel(d); return null; }"
        " catch (e) { return e.pointer ?? String(e); } })));\n"
    )
    out = jsnode.run_node(script, input_text=json.dumps(docs))
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


def test_invalid_documents_name_the_place_in_python_and_node(tmp_path):
    docs, expected = [], []
    for est, data, edit, pointer, node in INVALID:
        doc = copy.deepcopy(_doc(est, data))
        edit(doc)
        assert _python_pointer(doc) == pointer, (type(est).__name__, pointer)
        if node:
            docs.append(doc)
            expected.append(pointer)
    assert _node_pointers(docs, tmp_path) == expected


def test_compact_documents_leave_out_the_cross_validation_paths():
    est = _fit(LogisticRegressionCV(cv=3, Cs=3, max_iter=50))
    doc = json_models.to_dict(est, compact=True)
    assert not {"coefs_paths", "scores", "n_iter", "by_class"} & set(doc["state"])
    with pytest.warns(CompactModelWarning, match="coefs_paths_, n_iter_, scores_"):
        rebuilt = json_models.from_dict(doc)
    X = cases.dataset("iris").X_test
    assert_bitwise_equal(rebuilt.predict_proba(X), est.predict_proba(X))
    for name in ("C_", "Cs_", "l1_ratio_", "l1_ratios_"):
        assert type(getattr(rebuilt, name)) is type(getattr(est, name)), name
    full = json_models.from_dict(json_models.to_dict(est))
    assert list(full.scores_) == list(est.scores_) == list(est.classes_)  # keyed by label


def test_ridge_cv_results_are_left_out_of_compact_documents():
    est = _fit(RidgeClassifierCV(**{STORE: True}))
    name = json_models._compat.RIDGE_CV_RESULTS
    full = json_models.from_dict(json_models.to_dict(est))
    assert_bitwise_equal(getattr(full, name), getattr(est, name))
    with pytest.warns(CompactModelWarning, match=name):
        compact = json_models.from_dict(json_models.to_dict(est, compact=True))
    assert not hasattr(compact, name)


def test_sgd_probabilities_far_from_the_data(tmp_path):
    """Rows far outside the data: modified_huber's probabilities of all-zero rows (every
    decision value at most -1) become uniform, in Python and in Node alike; log_loss's are
    within 1e-12 wherever scikit-learn's are finite."""
    X = cases.dataset("wine").X_test
    rows = np.vstack([X, -50 * X, 50 * X, -1e6 * np.abs(X), 1e6 * np.abs(X), 0 * X[:1]])
    for loss in ("modified_huber", "log_loss"):
        est = _fit(SGDClassifier(loss=loss, max_iter=5, random_state=0), "wine", "int")
        est.intercept_ -= 1e7  # (the zero row: every decision value very negative)
        model, data = tmp_path / "m.json", tmp_path / "X.json"
        json_models.dump(est, model)
        data.write_text(json.dumps(rows.tolist()))
        got = np.asarray(jsnode.predict(model, data)["predict_proba"])
        want = est.predict_proba(rows)
        finite = np.isfinite(want).all(axis=1)  # (before 1.9: NaN where expit is 0 everywhere)
        assert np.abs(got[finite] - want[finite]).max() <= 1e-12, loss
        if loss == "modified_huber":
            assert (want == 1 / 3).all(axis=1).any()  # some rows are uniform
            assert_bitwise_equal(
                json_models.loads(json_models.dumps(est)).predict_proba(rows), want
            )


def test_deprecated_loss_function_survives_where_scikit_learn_has_it():
    est = _fit(SGDClassifier(loss="huber", epsilon=0.25, max_iter=5, random_state=0))
    rebuilt = json_models.loads(json_models.dumps(est))
    if not hasattr(SGDClassifier, "loss_function_"):  # (removed in 1.6)
        pytest.skip("no loss_function_ in this scikit-learn")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)
        # (same loss, same parameter: epsilon of the huber loss)
        assert rebuilt.loss_function_.__reduce__() == est.loss_function_.__reduce__()


def test_parameters_written_by_other_versions_load():
    """SGDClassifier's eta0=0.0 (the default up to 1.7, refused from 1.8) and
    RidgeClassifierCV's store_cv_values / store_cv_results=None (1.4 to 1.6) load anywhere."""
    est = _fit(SGDClassifier(max_iter=5, random_state=0))
    doc = json_models.to_dict(est)
    doc["params"]["eta0"] = 0.0
    X = cases.dataset("iris").X_test
    assert_bitwise_equal(json_models.from_dict(doc).decision_function(X), est.decision_function(X))
    est = _fit(RidgeClassifierCV(**{STORE: True}))
    doc = json_models.to_dict(est)
    doc["params"].pop(STORE)
    doc["params"].update(store_cv_results=None, store_cv_values=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # (a parameter this version does not know)
        rebuilt = json_models.from_dict(doc)
    params = rebuilt.get_params()  # (1.5 and 1.6 take both: as the document says them)
    assert params[STORE] is True or params.get("store_cv_values") is True
