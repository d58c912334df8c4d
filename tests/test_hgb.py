"""HistGradientBoosting (family ``hgb``): documents that do not depend on scikit-learn's internal
encoding, broken ones refused at the same place by Python and JavaScript, and categories
training never saw routed as scikit-learn routes them."""

from __future__ import annotations

import copy
import json

import numpy as np
import pytest
from cases import dataset, fitted, json_values, outputs
from conftest import assert_like_scikit_learn, assert_same_outputs
from jsnode import ROOT, predict, run_node
from sklearn.ensemble import HistGradientBoostingClassifier

import json_models as jm
from json_models._fidelity import predictions

CATEGORICAL = "hgb-HistGradientBoostingClassifier-hgb_cat-index"
NAMES = "hgb-HistGradientBoostingClassifier-mixed-str-names"


def _first(doc, want):
    """``(iteration, tree index, node)`` of the first split node for which ``want(tree, node)``."""
    for i, iteration in enumerate(doc["state"]["predictors"]):
        for k, tree in enumerate(iteration):
            for node, left in enumerate(tree["children_left"]):
                if left != -1 and want(tree, node):
                    return i, k, node
    raise AssertionError("no such node")


def _categorical(tree, node):
    return tree["is_categorical"][node] == 1


def _numeric(tree, node):
    return tree["is_categorical"][node] == 0


def _longer_bitset(doc):
    i, k, node = _first(doc, _categorical)
    tree = doc["state"]["predictors"][i][k]
    b = tree["bitset_index"][node]
    f = doc["state"]["categorical_features"].index(tree["feature"][node])
    known = doc["state"]["categories"][f]
    tree["left_categories"][b] = known + known[:1]
    return f"/state/predictors/{i}/{k}/left_categories/{b}"


def _unknown_category(doc):
    i, k, node = _first(doc, _categorical)
    tree = doc["state"]["predictors"][i][k]
    b = tree["bitset_index"][node]
    tree["left_categories"][b] = [99.5]
    return f"/state/predictors/{i}/{k}/left_categories/{b}/0"


def _child_outside(doc):
    tree = doc["state"]["predictors"][1][0]
    tree["children_left"][0] = len(tree["children_left"])
    return "/state/predictors/1/0/children_left/0"


def _categorical_on_numeric(doc):
    i, k, node = _first(doc, _numeric)
    tree = doc["state"]["predictors"][i][k]
    tree["is_categorical"][node] = 1
    tree["bitset_index"][node] = 0
    return f"/state/predictors/{i}/{k}/is_categorical/{node}"


def _bitset_index_outside(doc):
    i, k, node = _first(doc, _categorical)
    doc["state"]["predictors"][i][k]["bitset_index"][node] = 99
    return f"/state/predictors/{i}/{k}/bitset_index/{node}"


def _bitset_index_shared(doc):
    i, k, node = _first(doc, _categorical)
    tree = doc["state"]["predictors"][i][k]
    other = next(j for j in range(node + 1, len(tree["is_categorical"])) if _categorical(tree, j))
    tree["bitset_index"][other] = tree["bitset_index"][node]
    return f"/state/predictors/{i}/{k}/bitset_index/{other}"


def _feature_outside(doc):
    doc["state"]["categorical_features"] = [0, 9]
    return "/state/categorical_features/1"


def _too_many_features(doc):
    doc["state"]["n_features_in"] = 10**8  # (a small document: no row that wide is made)
    return "/state/n_features_in"


def _too_many_categories(doc):
    doc["params"]["max_bins"] = 2
    return "/state/categories/0"


BROKEN = {
    "more features than any HistGradientBoosting bins": _too_many_features,
    "more categories than max_bins": _too_many_categories,
    "bitset longer than its categories": _longer_bitset,
    "a category the feature does not have": _unknown_category,
    "a node pointing outside its tree": _child_outside,
    "a categorical split on a numeric feature": _categorical_on_numeric,
    "a bitset index out of range": _bitset_index_outside,
    "a bitset index two splits share": _bitset_index_shared,
    "a categorical feature that does not exist": _feature_outside,
}


@pytest.fixture(scope="module")
def broken(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hgb")
    doc = jm.to_dict(fitted(CATEGORICAL)[0])
    files = {}
    for n, (name, mutate) in enumerate(BROKEN.items()):
        bad = copy.deepcopy(doc)
        pointer = mutate(bad)
        path = folder / f"{n}.json"
        path.write_text(json.dumps(bad))
        files[name] = (path, pointer)
    said = run_node(
        str(ROOT / "tests" / "node_load_files.mjs"), *(f"{p}:nopredict" for p, _ in files.values())
    )
    lines = [json.loads(line) for line in said.stdout.splitlines()]
    assert len(lines) == len(files), said.stderr
    return {name: (*files[name], line) for name, line in zip(files, lines)}


@pytest.mark.parametrize("name", list(BROKEN))
def test_python_and_javascript_refuse_a_broken_document_at_the_same_place(broken, name):
    path, pointer, node = broken[name]
    with pytest.raises(jm.InvalidModelError) as raised:
        jm.load(path)
    assert raised.value.pointer == pointer, raised.value
    assert node["ok"] is False and node["name"] == "InvalidModelError", node
    assert node["pointer"] == pointer, node


def test_unseen_negative_and_missing_categories_go_the_missing_way_as_in_scikit_learn():
    est, _ = fitted(CATEGORICAL)
    X = np.asarray(dataset("hgb_cat").X_test[7:27], dtype=np.float64)
    missing = X.copy()
    missing[:, 0] = np.nan
    expected = est.decision_function(missing)
    rebuilt = jm.loads(jm.dumps(est))
    for value in (7.0, -1.0, 2.5, 300.0, np.nan):
        rows = X.copy()
        rows[:, 0] = value
        assert est.decision_function(rows).tobytes() == expected.tobytes(), value
        assert rebuilt.decision_function(rows).tobytes() == expected.tobytes(), value


def test_documents_name_input_columns_and_raw_categories():
    """Feature indices are the input's columns and categorical splits list raw categories,
    whatever the internal encoder and column order of the version that wrote them."""
    est, data = fitted(NAMES)
    doc = jm.to_dict(est)
    state = doc["state"]
    names = state["feature_names_in"]
    categorical = [names[j] for j in state["categorical_features"]]
    assert categorical == [n for n in names if n in {"city", "color", "member", "n_children"}]
    seen = set()
    for iteration in state["predictors"]:
        for tree in iteration:
            for node, left in enumerate(tree["children_left"]):
                if left == -1:
                    continue
                f = tree["feature"][node]
                assert (tree["is_categorical"][node] == 1) == (f in state["categorical_features"])
                if tree["is_categorical"][node]:
                    known = state["categories"][state["categorical_features"].index(f)]
                    values = tree["left_categories"][tree["bitset_index"][node]]
                    assert set(values) <= set(known)
                    seen.add(names[f])
    assert "city" in seen or "member" in seen
    assert "Paris" in state["categories"][0]


def test_compact_documents_leave_out_node_statistics():
    est, _ = fitted(CATEGORICAL)
    tree = jm.to_dict(est, compact=True)["state"]["predictors"][0][0]
    assert not {"count", "gain", "bin_threshold"} & set(tree)
    assert "bin_thresholds" not in jm.to_dict(est, compact=True)["state"]


def test_a_split_sending_only_missing_values_left_is_written_and_read_everywhere(tmp_path):
    """scikit-learn may split a categorical feature on missingness alone: no category goes
    left, only NaN and unseen values (an empty set in the document)."""
    rng = np.random.RandomState(0)
    X = np.c_[rng.choice([0, 1, 2, np.nan], 400), rng.rand(400)]
    y = np.isnan(X[:, 0]).astype(int)
    est = HistGradientBoostingClassifier(max_iter=3, categorical_features=[0]).fit(X, y)
    doc = jm.to_dict(est)
    trees = [t for iteration in doc["state"]["predictors"] for t in iteration]
    assert [] in [c for t in trees for c in t["left_categories"]]
    rows = np.r_[X[:20], [[np.nan, 0.5], [7.0, 0.5], [-1.0, 0.5]]]
    assert_same_outputs(outputs(jm.from_dict(doc), rows), outputs(est, rows))
    model, path = tmp_path / "model.json", tmp_path / "X.json"
    jm.dump(est, model)
    path.write_text(json.dumps(json_values(rows)))
    assert_like_scikit_learn(est, rows, predict(model, path), predictions(est, rows))
