"""Family `isolation` (IsolationForest): what the zoo's generic tests do not say.

Trees that read their own columns (``max_features`` < 1), probed at their thresholds in the
columns they read (the zoo's probes use a tree's own feature numbers); the page's tree view
(paths in input columns, path lengths at the leaves); what compact documents leave out;
hand-written invalid documents refused at their JSON Pointer by Python and JavaScript alike, and
by both schema validators where a schema can tell.
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
from sklearn.ensemble import IsolationForest

import json_models
from json_models import InvalidModelError, _fidelity
from json_models._validate import schema_validator


def _fit(X, sample_weight=None, **kw):
    params = {"n_estimators": 12, "random_state": 0, **kw}
    return IsolationForest(**params).fit(X, sample_weight=sample_weight)


def _wine(**kw):
    return _fit(cases.dataset("wine").X_train, **kw)


def _run_js(script: str, payload) -> object:
    out = jsnode.run_node(
        "--input-type=module",
        "-e",
        script.replace("./src/", (jsnode.JS / "src").as_uri() + "/"),
        input_text=json.dumps(payload),
    )
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


JS_OUTPUTS = """
import { loadModel } from "./src/index.js";
let text = "";
for await (const chunk of process.stdin) text += chunk;
const { doc, rows, paths } = JSON.parse(text);
const model = loadModel(doc);
const out = { predict: model.predict(rows), decision_function: model.decisionFunction(rows),
  score_samples: model.scoreSamples(rows) };
if (paths) {
  const each = (f) => Array.from({ length: model.trees.count }, (_, t) => f(t));
  out.paths = rows.slice(0, paths).map((row) => each((t) => model.trees.decisionPath(row, t)));
  out.trees = each((t) => {
    const tree = model.trees.tree(t);
    return { feature: Array.from(tree.feature), value: Array.from(tree.value) };
  });
}
console.log(JSON.stringify(out));
"""


def _threshold_rows(est, X, per_tree: int = 12, seed: int = 0) -> np.ndarray:
    """Rows of ``X`` with the input column a split reads set at its threshold, between
    float32(threshold) and it, and one ulp either side of both."""
    rng = np.random.RandomState(seed)
    rows = [X]
    for tree, features in zip(est.estimators_, est.estimators_features_):
        inner = np.flatnonzero(tree.tree_.children_left != -1)
        for node in rng.choice(inner, size=min(per_tree, len(inner)), replace=False):
            column = features[tree.tree_.feature[node]]
            t = tree.tree_.threshold[node]
            t32 = float(np.float32(t))
            for v in (t, t32, (t + t32) / 2, *np.nextafter([t, t, t32, t32], [-1e300, 1e300] * 2)):
                row = X[rng.randint(len(X))].copy()
                row[column] = v
                rows.append(row[None, :])
    return np.vstack(rows)


@pytest.mark.parametrize(
    "params",
    [
        {"max_features": 0.5, "contamination": 0.1},
        {"max_features": 3, "max_samples": 50, "bootstrap": True},
        {"max_samples": 0.5},  # (every column: the trees read rows as they are)
    ],
    ids=["half", "three-bootstrap", "all-columns"],
)
def test_trees_read_their_own_columns_exactly_at_their_thresholds(params):
    data = cases.dataset("breast_cancer")
    est = _fit(data.X_train, **params)
    X = _threshold_rows(est, data.X_test)
    assert len(X) > 1000
    loaded = json_models.loads(json_models.dumps(est))
    for method in ("score_samples", "decision_function", "predict"):
        assert_bitwise_equal(getattr(loaded, method)(X), getattr(est, method)(X), method)
    for arrays in ("list", "base64"):
        doc = json_models.to_dict(est, arrays=arrays)
        got = _run_js(JS_OUTPUTS, {"doc": doc, "rows": X.tolist()})
        expected = _fidelity.predictions(est, X)
        assert _fidelity.mismatches(est, X, expected, got) == []


def test_path_lengths_are_scikit_learns_and_the_tree_view_reads_input_columns():
    """The page's trees: node features as input columns, a path per row and tree ending at
    the leaf scikit-learn's tree finds, and at that leaf the path length scikit-learn adds,
    ``(depth + c) - 1``, bit for bit; summed in tree order, scikit-learn's score."""
    data = cases.dataset("wine")
    est = _wine(max_features=0.5)
    X = _threshold_rows(est, data.X_test, per_tree=2)
    got = _run_js(JS_OUTPUTS, {"doc": json_models.to_dict(est), "rows": X.tolist(), "paths": 60})
    private = json_models._compat.isolation_internals(est)
    sums = np.zeros(60)
    for t, (tree, features) in enumerate(zip(est.estimators_, est.estimators_features_)):
        view = got["trees"][t]
        inner = tree.tree_.children_left != -1
        assert (np.asarray(view["feature"])[inner] == features[tree.tree_.feature[inner]]).all()
        depths = tree.tree_.compute_node_depths()
        lengths = depths + private["path_lengths"][t] - 1.0  # (scikit-learn's own sum)
        leaves = tree.apply(X[:60, features].astype(np.float32))
        for i, leaf in enumerate(leaves):
            path = got["paths"][i][t]
            assert path[-1] == leaf and len(path) == depths[leaf]
            assert_bitwise_equal(np.float64(view["value"][leaf]), lengths[leaf], f"tree {t}")
        sums += np.asarray(view["value"])[leaves]
    denominator = len(est.estimators_) * private_c(est)
    assert_bitwise_equal(-(2 ** -(sums / denominator)), est.score_samples(X[:60]), "scores")


def private_c(est) -> float:
    return json_models._compat.isolation_average_path_length(est.max_samples_)


def test_compact_documents_say_what_they_leave_out():
    est = _wine(max_features=0.5, bootstrap=True)
    with pytest.warns(json_models.CompactModelWarning, match="estimators_samples_"):
        loaded = json_models.loads(json_models.dumps(est, compact=True))
    X = cases.dataset("wine").X_test
    assert_bitwise_equal(loaded.score_samples(X), est.score_samples(X), "score_samples")
    with pytest.raises(AttributeError):
        loaded.estimators_samples_  # noqa: B018
    full = json.loads(json_models.dumps(est))
    small = json.loads(json_models.dumps(est, compact=True))
    assert len(json.dumps(small)) < 0.6 * len(json.dumps(full))


@pytest.mark.parametrize("weighted", [False, True])
def test_full_documents_replay_the_rows_each_tree_drew(weighted):
    X = cases.dataset("wine").X_train
    weights = np.linspace(0.5, 2.0, len(X)) if weighted else None
    est = _fit(X, sample_weight=weights, max_samples=40, bootstrap=True)
    loaded = json_models.loads(json_models.dumps(est, arrays="base64"))
    for a, b in zip(loaded.estimators_samples_, est.estimators_samples_, strict=True):
        np.testing.assert_array_equal(a, b)
    for a, b in zip(loaded.estimators_features_, est.estimators_features_, strict=True):
        assert a.dtype == b.dtype
        np.testing.assert_array_equal(a, b)


def test_feature_names_and_object_rows():
    pd = pytest.importorskip("pandas")
    data = cases.dataset("wine")
    names = [f"f{i}" for i in range(data.X_train.shape[1])]
    est = _fit(pd.DataFrame(data.X_train, columns=names), max_features=0.5)
    X = pd.DataFrame(data.X_test, columns=names)
    loaded = json_models.loads(json_models.dumps(est))
    assert list(loaded.feature_names_in_) == names
    assert_bitwise_equal(loaded.decision_function(X), est.decision_function(X), "decision")
    rows = [dict(zip(names, row)) for row in data.X_test.tolist()]
    got = _run_js(JS_OUTPUTS, {"doc": json_models.to_dict(est), "rows": rows})
    assert got["predict"] == est.predict(X).tolist()
    assert _fidelity.ulp_mismatches(est.score_samples(X), got["score_samples"], "scores") == []


# ---------------------------------------------------------------- invalid documents


POP, DELETE = "pop", "delete"  # (edits: the last entry of a list, a key)
E = "/state/estimators"


def _edit(doc: dict, path: str, value) -> None:
    """Set the place at the JSON Pointer ``path`` to ``value`` (or pop, or delete it)."""
    *keys, last = [int(k) if k.isdigit() else k for k in path.split("/")[1:]]
    node = doc
    for key in keys:
        node = node[key]
    if value == POP:
        node[last].pop()
    elif value == DELETE:
        del node[last]
    else:
        node[last] = value


BASE = {}


def _base() -> dict:
    """IsolationForest on wine (13 columns), 4 trees of 6 columns each."""
    if not BASE:
        est = _fit(cases.dataset("wine").X_train, n_estimators=4, max_features=0.5)
        BASE["doc"] = json.loads(json_models.dumps(est))
    return copy.deepcopy(BASE["doc"])


# (name, place, new value, pointer of the error if not the place): refused by the codecs of
# both languages at the same place; the schema cannot tell (the indices and counts depend on
# other fields).
INVALID = [
    ("feature-column-too-large", f"{E}/2/features/1", 13, None),
    ("feature-column-negative", f"{E}/3/features/0", -1, None),
    ("features-short", f"{E}/1/features", POP, None),
    ("trees-fewer-than-n_estimators", E, POP, "/params/n_estimators"),
    ("n_estimators-more-than-trees", "/params/n_estimators", 5, None),
    ("max_features-above-n_features", "/state/max_features", 14, None),
    ("tree-reads-beyond-its-columns", f"{E}/1/tree/feature/0", 6, None),
    ("path-lengths-short", f"{E}/0/average_path_length", POP, None),
    ("path-length-negative", f"{E}/0/average_path_length/0", -1.0, None),
    ("c-of-max_samples-wrong", "/state/average_path_length_max_samples", 3.0, None),
    ("max_samples-not-c", "/state/max_samples", 7, "/state/average_path_length_max_samples"),
    ("tree-cycle", f"{E}/0/tree/children_left/1", 0, None),
]

# (name, place, new value, pointer, whether JavaScript reads it): refused by the schemas
# (jsonschema and ajv alike) and by Python at the place; JavaScript reads only what it
# predicts with, and refuses those it reads there too.
SCHEMA_INVALID = [
    ("no-features", f"{E}/0/features", DELETE, f"{E}/0", True),
    ("path-length-nan", f"{E}/0/average_path_length/3", "NaN", None, True),
    ("offset-nan", "/state/offset", "NaN", None, True),
    ("no-trees", E, [], None, True),
    ("max_features-zero", "/state/max_features", 0, None, True),
    ("c-negative", "/state/average_path_length_max_samples", -1.0, None, True),
    ("seed-negative", f"{E}/0/seed", -1, None, False),
    ("unknown-entry-field", f"{E}/0/depths", [1], None, False),
    ("contamination-too-large", "/params/contamination", 0.7, None, False),
]

JS_POINTERS = """
import { loadModel } from "./src/index.js";
let text = "";
for await (const chunk of process.stdin) text += chunk;
console.log(JSON.stringify(JSON.parse(text).map((doc) => {
  try { loadModel(doc); return null; } catch (e) { return e.pointer ?? String(e); }
})));
"""


def _broken(path, value) -> dict:
    doc = _base()
    _edit(doc, path, value)
    return doc


def _python_pointer(doc) -> str | None:
    try:
        json_models.from_dict(doc)
    except InvalidModelError as exc:
        return exc.pointer
    return None


def test_invalid_documents_are_refused_at_the_place_in_python_and_javascript():
    docs, pointers = [], []
    for name, path, value, pointer in INVALID:
        doc = _broken(path, value)
        assert schema_validator().is_valid(doc), name
        assert _python_pointer(doc) == (pointer or path), name
        docs.append(doc)
        pointers.append(pointer or path)
    for name, path, value, pointer, js in SCHEMA_INVALID:
        doc = _broken(path, value)
        assert not schema_validator().is_valid(doc), name
        assert _python_pointer(doc) == (pointer or path), name
        if js:
            docs.append(doc)
            pointers.append(pointer or path)
    assert _run_js(JS_POINTERS, docs) == pointers
    assert _run_js(JS_POINTERS, [_base()]) == [None]


def test_ajv_and_jsonschema_agree(tmp_path):
    if not jsnode.dev_dependencies_installed():
        pytest.fail("js_runtime dev dependencies are missing: run `npm ci` in js_runtime/")
    docs = [("valid", _base())]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        docs.append(("compact", json.loads(json_models.dumps(_wine(), compact=True))))
    docs += [(name, _broken(path, value)) for name, path, value, *_ in INVALID + SCHEMA_INVALID]
    paths, expected = [], {}
    for name, doc in docs:
        path = tmp_path / f"{name}.json"
        path.write_text(json.dumps(doc))
        paths.append(str(path))
        expected[str(path)] = schema_validator().is_valid(doc)
    result = jsnode.run_node(jsnode.JS / "test" / "ajv-validate.mjs", *paths, timeout=300)
    assert result.returncode == 0, result.stderr
    verdicts = {row["file"]: row["valid"] for row in map(json.loads, result.stdout.splitlines())}
    assert verdicts == expected
    assert sum(expected.values()) == 2 + len(INVALID)


def test_more_rows_per_tree_than_fit_was_given_is_refused():
    """``max_samples_`` rows drawn from ``n_samples``: a document claiming more is refused at
    load (scikit-learn would fail later, drawing ``estimators_samples_``); JavaScript reads
    neither count's relation (it predicts without ``n_samples``)."""
    doc = _base()
    doc["state"]["n_samples"] = doc["state"]["max_samples"] - 1
    assert _python_pointer(doc) == "/state/max_samples"
