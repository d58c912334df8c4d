"""Pipelines and column transformers: what is refused, and where, on both sides.

The zoo (``tests/cases.py``, family ``pipeline``) checks what pipelines predict, everywhere;
here: an estimator json-models cannot export is refused naming its step by its path, and a
malformed pipeline document is refused at the JSON Pointer of the bad place, by Python and by
the JavaScript runtime alike.
"""

from __future__ import annotations

import copy
import json
import warnings

import numpy as np
import pytest
from cases import CASE_IDS, CASES, LABELS, fitted, json_values, outputs, probe_rows
from conftest import assert_like_scikit_learn, assert_same_outputs
from jsnode import ROOT, predict, run_node
from sklearn.base import clone
from sklearn.cluster import KMeans
from sklearn.compose import ColumnTransformer, make_column_selector
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer, MaxAbsScaler, StandardScaler

import json_models as jm
from json_models._fidelity import predictions

TRANSFORMER_FAMILIES = ("scaler", "polynomial", "imputer", "encoder")


class MyScaler(StandardScaler):
    pass


X = np.arange(40.0).reshape(10, 4) % 7
Y = np.arange(10) % 2


@pytest.mark.parametrize(
    ("make", "said"),
    [
        (
            lambda: make_pipeline(
                ColumnTransformer([("log", FunctionTransformer(np.log1p), [0, 1])]),
                LogisticRegression(),
            ),
            'steps[0] -> transformers["log"]: sklearn.preprocessing.FunctionTransformer is not '
            "supported by json-models: it runs a Python function",
        ),
        (
            lambda: make_pipeline(StandardScaler(), KMeans(n_clusters=2, n_init=1)),
            "steps[1]: sklearn.cluster.KMeans is not supported",
        ),
        (
            lambda: make_pipeline(make_pipeline(MyScaler()), LogisticRegression()),
            "steps[0] -> steps[0]: test_pipeline.MyScaler is not supported by json-models: it "
            "subclasses sklearn.preprocessing.StandardScaler",
        ),
        (
            lambda: _nested(StandardScaler(), 5),
            " -> ".join(["steps[0]"] * 5) + ": sklearn.preprocessing.StandardScaler: expected "
            "documents nested at most 4 deep",
        ),
    ],
    ids=["function", "final", "subclass", "too-deep"],
)
def test_what_cannot_be_exported_is_refused_naming_the_step(make, said):
    with pytest.raises(jm.UnsupportedModelError) as raised:
        jm.to_dict(make().fit(X, Y))
    assert str(raised.value).startswith(said), str(raised.value)


def test_a_column_selector_is_written_as_the_columns_it_chose():
    """``make_column_selector`` chose its columns at fit: the document names them (a
    selector is a callable, which no document holds), and the rebuilt transformer selects
    them by name."""
    import pandas as pd

    frame = pd.DataFrame(X, columns=["a", "b", "c", "d"])
    pattern = make_column_selector(pattern="[ab]")
    ct = ColumnTransformer([("ab", StandardScaler(), pattern)]).fit(frame)
    rebuilt = jm.loads(jm.dumps(ct))
    assert rebuilt.transformers[0][2] == ["a", "b"]
    assert np.array_equal(rebuilt.transform(frame), ct.transform(frame))


def _nested(est, depth: int):
    for _ in range(depth):
        est = make_pipeline(est)
    return est


def _wrapped(depth: int):
    """A pipeline document inside ``depth`` more, written by hand (``to_dict`` refuses it)."""

    def mutate(doc):
        for _ in range(depth):
            inner = copy.deepcopy(doc)
            doc["state"]["steps"] = [{"name": "again", "model": inner}]

    return mutate


def _columns_of_numbers():
    """A column transformer fitted on numbers, columns by index."""
    return ColumnTransformer([("scale", StandardScaler(), [0])], remainder="drop").fit(X)


def _set(path: str, value):
    def mutate(doc):
        *parents, last = path.strip("/").split("/")
        node = doc
        for key in parents:
            node = node[int(key)] if isinstance(node, list) else node[key]
        node[int(last) if isinstance(node, list) else last] = value

    return mutate


def _step_state(i: int) -> str:
    return f"/state/steps/0/model/state/transformers/{i}"


# (case, or a function giving a fitted estimator; mutation; pointer both runtimes name)
BROKEN = {
    "a negative column index": (
        "pipeline-Pipeline-LogisticRegression-mixed",
        _set(_step_state(1) + "/indices/0", -1),
        _step_state(1) + "/indices/0",
    ),
    "indices its columns do not select": (
        "pipeline-Pipeline-LogisticRegression-mixed",
        _set(_step_state(0) + "/indices", [1, 0]),
        _step_state(0) + "/indices",
    ),
    "a transformer fitted on other column names": (
        "pipeline-Pipeline-LogisticRegression-mixed",
        _set(_step_state(1) + "/model/state/feature_names_in", ["a", "b", "c"]),
        _step_state(1) + "/model/state/feature_names_in",
    ),
    "2**31 - 1 columns claimed by a small document": (
        _columns_of_numbers,
        _set("/state/n_features_in", 2**31 - 1),
        "/state/remainder/indices",
    ),
    "no output columns somewhere else than [0, 0]": (
        "pipeline-Pipeline-RandomForestClassifier-mixed-pandas-output",
        _set("/state/steps/0/model/state/remainder/outputs", [7, 7]),
        "/state/steps/0/model/state/remainder/outputs",
    ),
    "a step name scikit-learn refuses": (
        "pipeline-Pipeline-LogisticRegression-mixed",
        _set(_step_state(0) + "/name", "a__b"),
        _step_state(0) + "/name",
    ),
    "an entry named remainder": (
        "pipeline-Pipeline-LogisticRegression-mixed",
        _set(_step_state(0) + "/name", "remainder"),
        _step_state(0) + "/name",
    ),
    "documents nested five deep": (
        "pipeline-Pipeline-Ridge-diabetes",
        _wrapped(4),
        "/state/steps/0/model" * 5,
    ),
    "a step that is not a document": (
        "pipeline-Pipeline-LogisticRegression-mixed",
        _set("/state/steps/1/model", 42),
        "/state/steps/1/model",
    ),
    "a column index out of range": (
        "pipeline-Pipeline-LogisticRegression-mixed",
        _set(_step_state(1) + "/indices/1", 6),
        _step_state(1) + "/indices/1",
    ),
    "a classifier before the last step": (
        "pipeline-Pipeline-RandomForestClassifier-wine",
        lambda doc: doc["state"]["steps"].__setitem__(0, copy.deepcopy(doc["state"]["steps"][2])),
        "/state/steps/0/model/estimator",
    ),
    "a step's own bad value, deep inside": (
        "pipeline-Pipeline-Ridge-diabetes",
        _set("/state/steps/0/model/state/scale/3", "x"),
        "/state/steps/0/model/state/scale/3",
    ),
    "outputs that do not follow each other": (
        "pipeline-Pipeline-LogisticRegression-mixed",
        _set(_step_state(1) + "/outputs", [3, 3 + 16]),
        None,  # (each runtime names the first entry it finds wrong)
    ),
    "an encoder's drop index out of range": (
        "pipeline-Pipeline-GradientBoostingClassifier-mixed-impute-drop-first",
        _set(_step_state(1) + "/model/state/steps/1/model/state/drop_idx/2", 9),
        _step_state(1) + "/model/state/steps/1/model/state/drop_idx/2",
    ),
    "categories of the wrong type": (
        "pipeline-Pipeline-LogisticRegression-mixed",
        _set(_step_state(1) + "/model/state/categories/0", 7),
        _step_state(1) + "/model/state/categories/0",
    ),
}


@pytest.fixture(scope="module")
def broken_files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("broken")
    files = {}
    for name, (case, mutate, _) in BROKEN.items():
        est = case() if callable(case) else fitted(case)[0]
        doc = copy.deepcopy(jm.to_dict(est))
        mutate(doc)
        files[name] = folder / f"{len(files)}.json"
        files[name].write_text(json.dumps(doc))
    return files


@pytest.mark.parametrize("name", list(BROKEN))
def test_python_and_javascript_refuse_a_broken_pipeline_at_the_same_place(broken_files, name):
    pointer = BROKEN[name][2]
    with pytest.raises(jm.InvalidModelError) as raised:
        jm.load(broken_files[name])
    result = run_node(
        str(ROOT / "tests" / "node_load_files.mjs"), f"{broken_files[name]}:nopredict"
    )
    said = json.loads(result.stdout)
    assert said["ok"] is False and said["name"] == "InvalidModelError", said
    if pointer is None:
        assert raised.value.pointer.startswith(_step_state(0)[:-2]), raised.value
        assert said["pointer"].startswith(_step_state(0)[:-2]), said
    else:
        assert raised.value.pointer == pointer, raised.value
        assert said["pointer"] == pointer, said


def test_a_float32_output_into_a_scaler_is_refused_by_javascript_only(tmp_path):
    """scikit-learn computes a scaler after ``dtype=np.float32`` in float32: Python reproduces
    it (the same estimator), the JavaScript runtime, which computes in float64, refuses it
    where it would differ rather than answer otherwise."""
    from sklearn.preprocessing import OrdinalEncoder

    rows = np.array([["a", "x"], ["b", "y"], ["a", "y"], ["c", "x"]], dtype=object)
    pipe = make_pipeline(OrdinalEncoder(dtype=np.float32), StandardScaler()).fit(rows)
    rebuilt = jm.loads(jm.dumps(pipe))
    assert rebuilt.transform(rows).tobytes() == pipe.transform(rows).tobytes()
    path = tmp_path / "float32.json"
    jm.dump(pipe, path)
    result = run_node(str(ROOT / "tests" / "node_load_files.mjs"), f"{path}:nopredict")
    said = json.loads(result.stdout)
    assert said["pointer"] == "/state/steps/1/model/estimator", said


# One zoo case of every estimator that predicts (the first of its class), for the test below.
_LAST_STEPS = list(
    {
        type(case.make()): case.id
        for case in reversed(CASES)
        if case.family not in ("pipeline", *TRANSFORMER_FAMILIES)
    }.values()
)


@pytest.mark.parametrize("case_id", _LAST_STEPS)
def test_every_estimator_is_a_pipelines_last_step(case_id, tmp_path):
    """Every estimator that predicts, behind a scaler (MaxAbsScaler keeps signs and missing
    values, so counts stay counts), round-trips in Python bit for bit and predicts in Node
    like scikit-learn, by its own family's rule."""
    est, data = fitted(case_id)
    y = data.y_train if not hasattr(est, "classes_") else _labels_of(case_id, data.y_train)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # (convergence)
        pipe = make_pipeline(MaxAbsScaler(), clone(est)).fit(data.X_train, y)
    X = probe_rows(pipe, data)
    assert_same_outputs(outputs(jm.loads(jm.dumps(pipe)), X), outputs(pipe, X))
    model, rows = tmp_path / "model.json", tmp_path / "X.json"
    jm.dump(pipe, model)
    rows.write_text(json.dumps(json_values(X)))
    assert_like_scikit_learn(pipe, X, predict(model, rows), predictions(pipe, X))


def _labels_of(case_id: str, y):
    return LABELS[CASES[CASE_IDS.index(case_id)].labels](y)
