"""Family `mlp`: what the zoo's generic tests do not say.

Networks the zoo's datasets cannot give (a multilabel indicator y, float32 training data, a
partial fit, a DataFrame): Python round trips bit for bit on float64 and float32 input, Node
within SPEC's rule for networks on both; compact documents; the poisson output where the
running scikit-learn lacks it; hand-written invalid documents refused at their JSON Pointer by
Python and Node alike, and by the schema (jsonschema and ajv) where a schema can tell.
"""

from __future__ import annotations

import copy
import functools
import json
import warnings

import cases
import numpy as np
import pytest
from conftest import assert_like_scikit_learn, assert_same_outputs
from jsnode import JS, predict, run_node
from sklearn.neural_network import MLPClassifier, MLPRegressor
from test_roundtrip import assert_same_fitted_state, assert_same_params

import json_models as jm
from json_models import InvalidModelError, UnsupportedModelError
from json_models._fidelity import predictions
from json_models._validate import schema_validator

METHODS = ("predict", "predict_proba", "predict_log_proba")


def _multilabel(y, X):
    return np.c_[y == 0, y == 2, X[:, 0] > 5.8].astype(int)


# name -> (estimator, dataset, how y is made from the dataset's, X's dtype)
NETWORKS = {
    "multilabel": (
        MLPClassifier(hidden_layer_sizes=(6,), max_iter=60),
        "iris",
        _multilabel,
        np.float64,
    ),
    "multilabel-float32-sgd": (
        MLPClassifier(hidden_layer_sizes=(5, 4), solver="sgd", activation="tanh", max_iter=40),
        "iris",
        _multilabel,
        np.float32,
    ),
    "float32-multiclass": (
        MLPClassifier(hidden_layer_sizes=(16, 8), activation="tanh", max_iter=15),
        "digits",
        None,
        np.float32,
    ),
    "float32-binary-bool-early": (
        MLPClassifier(
            hidden_layer_sizes=(8,), activation="logistic", early_stopping=True, max_iter=30
        ),
        "breast_cancer",
        lambda y, X: y == 1,  # (str labels and early stopping: not in 1.6 to 1.8)
        np.float32,
    ),
    "float32-regressor-2-outputs": (
        MLPRegressor(hidden_layer_sizes=(8, 4), max_iter=60),
        "multi_regression",
        lambda y, X: y[:, :2],
        np.float32,
    ),
    "float32-lbfgs": (  # (lbfgs fits in float64 whatever X is)
        MLPRegressor(hidden_layer_sizes=(6,), solver="lbfgs", max_iter=50),
        "diabetes",
        None,
        np.float32,
    ),
    "int-layers": (
        MLPRegressor(hidden_layer_sizes=5, activation="identity", max_iter=50),
        "diabetes",
        None,
        None,
    ),
}


@functools.cache
def _fitted(name):
    est, data_name, make_y, dtype = NETWORKS[name]
    est = copy.deepcopy(est).set_params(random_state=0)
    data = cases.dataset(data_name)
    X = data.X_train if dtype is None else data.X_train.astype(dtype)
    y = data.y_train if make_y is None else make_y(data.y_train, data.X_train)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # (convergence)
        est.fit(X, y)
    return est, np.asarray(data.X_test, dtype=np.float64)


def _outputs(est, X):
    return {m: getattr(est, m)(X) for m in METHODS if hasattr(est, m)}


@pytest.mark.parametrize("name", list(NETWORKS))
def test_round_trip_is_bit_identical(name):
    est, X = _fitted(name)
    for options in ({}, {"arrays": "base64"}, {"compact": True, "arrays": "base64"}):
        text = jm.dumps(est, **options)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            rebuilt = jm.loads(text)
        assert type(rebuilt) is type(est)
        assert_same_params(rebuilt, est)
        for rows in (X, X.astype(np.float32), np.asfortranarray(X)):
            assert_same_outputs(_outputs(rebuilt, rows), _outputs(est, rows))
        if not options.get("compact"):
            assert_same_fitted_state(rebuilt, est, compact=False)
        elif est.solver != "lbfgs":  # the training traces are what compact leaves out
            said = " ".join(str(w.message) for w in caught)
            assert "loss_curve_" in said and "validation_scores_" in said
            assert not hasattr(rebuilt, "loss_curve_")


def test_documents_say_the_architecture_and_dtype():
    doc = jm.to_dict(_fitted("multilabel-float32-sgd")[0])["state"]
    assert doc["layer_sizes"] == [4, 5, 4, 3]
    assert (doc["activation"], doc["out_activation"], doc["dtype"]) == (
        "tanh",
        "logistic",
        "float32",
    )
    assert doc["classes"] == [0, 1, 2]
    assert all(np.float32(v) == v for row in doc["coefs"][0] for v in row)
    assert jm.to_dict(_fitted("float32-lbfgs")[0])["state"]["dtype"] == "float64"
    assert jm.loads(jm.dumps(_fitted("float32-multiclass")[0])).coefs_[1].dtype == np.float32


@pytest.mark.parametrize("name", list(NETWORKS))
def test_node_predicts_like_scikit_learn(name, tmp_path):
    """On float64 rows and on the same rows as float32 (what a float32 network computes in,
    in scikit-learn and in the runtime)."""
    est, X = _fitted(name)
    model = tmp_path / "model.json"
    jm.dump(est, model)
    for rows in (X, X.astype(np.float32)):
        path = tmp_path / "X.json"
        path.write_text(json.dumps(rows.astype(np.float64).tolist()))
        assert_like_scikit_learn(est, rows, predict(model, path), predictions(est, rows))


def test_partial_fit_and_frames_round_trip():
    pd = pytest.importorskip("pandas")
    data = cases.dataset("wine")
    est = MLPClassifier(hidden_layer_sizes=(5,), random_state=0)
    for _ in range(3):
        est.partial_fit(data.X_train, data.y_train, classes=[0, 1, 2])
    frame = pd.DataFrame(data.X_train, columns=[f"f{j}" for j in range(13)])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        named = MLPRegressor(hidden_layer_sizes=(4,), max_iter=20, random_state=0).fit(
            frame, data.y_train * 1.0
        )
    for fitted, X in ((est, data.X_test), (named, frame)):
        rebuilt = jm.loads(jm.dumps(fitted))
        assert_same_outputs(_outputs(rebuilt, X), _outputs(fitted, X))
        assert_same_fitted_state(rebuilt, fitted, compact=False)


def test_poisson_needs_scikit_learn_1_7():
    """An exp output (loss='poisson', new in 1.7) is computed where the running scikit-learn
    has it, and refused by name where it has not."""
    doc = jm.to_dict(_fitted("int-layers")[0])
    doc["params"]["loss"] = "poisson"
    doc["state"]["out_activation"] = "exp"
    if "loss" in MLPRegressor().get_params():
        est = jm.from_dict(doc)
        X = cases.dataset("diabetes").X_test
        linear = X @ est.coefs_[0] @ est.coefs_[1] + est.intercepts_[0] @ est.coefs_[1]
        np.testing.assert_allclose(est.predict(X), np.exp(linear.ravel() + est.intercepts_[1]))
    else:
        with pytest.warns(UserWarning, match="no parameter loss"):
            with pytest.raises(UnsupportedModelError, match="1.7"):
                jm.from_dict(doc)


def test_unexportable_networks_are_refused():
    est = copy.deepcopy(_fitted("int-layers")[0])
    est.coefs_[0][1, 2] = np.nan
    with pytest.raises(UnsupportedModelError, match=r"coefs_\[0\]"):
        jm.dumps(est)
    est = copy.deepcopy(_fitted("int-layers")[0])
    est.coefs_ = [w.astype(np.float16) for w in est.coefs_]
    with pytest.raises(UnsupportedModelError, match="float16"):
        jm.dumps(est)


# ---------------------------------------------------------------- invalid documents


def _doc(name):
    return json.loads(jm.dumps(_fitted(name)[0]))


def _set(path, value):
    def edit(doc):
        *parents, last = path
        node = doc
        for key in parents:
            node = node[key]
        node[last] = value(node[last]) if callable(value) else value

    return edit


# name -> (network, edit, pointer; schema: whether the schema refuses it too)
INVALID = {
    "a matrix that does not chain": (
        "int-layers",
        _set(("state", "coefs", 1), [[1.0]] * 4),
        "/state/coefs/1",
        False,
    ),
    "layer_sizes disagreeing with coefs": (
        "multilabel",
        _set(("state", "layer_sizes", 1), 7),
        "/state/coefs/0",
        False,
    ),
    "layer_sizes not starting at n_features_in": (
        "multilabel",
        _set(("state", "layer_sizes", 0), 5),
        "/state/layer_sizes/0",
        False,
    ),
    "a layer of 0 units": ("multilabel", _set(("state", "layer_sizes", 1), 0), None, True),
    "an intercept too long": (
        "float32-multiclass",
        _set(("state", "intercepts", 1), lambda b: b + [0.0]),
        "/state/intercepts/1",
        False,
    ),
    "intercepts for fewer layers": (
        "float32-multiclass",
        _set(("state", "intercepts"), lambda b: b[:2]),
        "/state/intercepts",
        False,
    ),
    "a non-finite weight": ("multilabel", _set(("state", "coefs", 1, 2, 0), "NaN"), None, True),
    "an unknown activation": (
        "multilabel",
        lambda d: d["state"].update(activation="gelu") or d["params"].update(activation="gelu"),
        None,
        True,
    ),
    "activation unlike the parameter": (
        "multilabel",
        _set(("state", "activation"), "tanh"),
        "/state/activation",
        False,
    ),
    "a float32 network with a float64 weight": (
        "float32-multiclass",
        _set(("state", "coefs", 0, 3, 2), 0.1),
        "/state/coefs/0/3/2",
        False,
    ),
    "binary network ending in softmax": (
        "float32-binary-bool-early",
        _set(("state", "out_activation"), "softmax"),
        "/state/out_activation",
        False,
    ),
    "classes unlike output units": (
        "float32-multiclass",
        _set(("state", "classes"), lambda c: c[:-1]),
        "/state/classes",
        False,
    ),
    "multilabel labels not 0 .. n-1": (
        "multilabel",
        _set(("state", "classes"), [1, 2, 3]),
        "/state/classes",
        False,
    ),
    "a regressor ending in softmax": (
        "int-layers",
        _set(("state", "out_activation"), "softmax"),
        None,
        True,
    ),
    "an unknown dtype": ("int-layers", _set(("state", "dtype"), "float16"), None, True),
}
# Where the schema refuses a document first, each reader's own checks still name the place.
READER_POINTERS = {
    "a layer of 0 units": "/state/layer_sizes/1",
    "a non-finite weight": "/state/coefs/1/2/0",
    "an unknown activation": "/state/activation",
    "a regressor ending in softmax": "/state/out_activation",
    "an unknown dtype": "/state/dtype",
}


def _invalid(case):
    network, edit, _, _ = INVALID[case]
    doc = _doc(network)
    edit(doc)
    return doc


@pytest.mark.parametrize("case", list(INVALID))
def test_invalid_documents_are_refused_with_the_pointer(case):
    _, _, pointer, schema = INVALID[case]
    doc = _invalid(case)
    errors = list(schema_validator().iter_errors(doc))
    assert bool(errors) == schema, [e.message[:100] for e in errors]
    with pytest.raises(InvalidModelError) as info:
        jm.from_dict(doc)
    if pointer is not None:
        assert info.value.pointer == pointer, str(info.value)
    else:
        assert info.value.pointer.startswith("/state") or info.value.pointer == "", str(info.value)


NODE_SCRIPT = """
import { loadModel } from "./src/index.js";
let text = "";
for await (const chunk of process.stdin) text += chunk;
const out = JSON.parse(text).map((doc) => {
  try { loadModel(doc); return null; } catch (e) { return e.pointer ?? `${e.name}: ${e.message}`; }
});
process.stdout.write(JSON.stringify(out));
"""


def test_node_refuses_the_same_documents_at_the_same_place():
    names = list(INVALID)
    docs = [_invalid(name) for name in names]
    result = run_node("--input-type=module", "-e", NODE_SCRIPT, input_text=json.dumps(docs), cwd=JS)
    assert result.returncode == 0, result.stderr
    got = dict(zip(names, json.loads(result.stdout)))
    want = {name: INVALID[name][2] or READER_POINTERS[name] for name in names}
    assert got == want


def test_ajv_refuses_what_jsonschema_refuses(tmp_path):
    paths = []
    for name in INVALID:
        path = tmp_path / f"{len(paths)}.json"
        path.write_text(json.dumps(_invalid(name)))
        paths.append(path)
    result = run_node(JS / "test" / "ajv-validate.mjs", *paths, timeout=300)
    assert result.returncode == 0, result.stderr
    verdicts = [json.loads(line)["valid"] for line in result.stdout.splitlines()]
    assert verdicts == [not schema for _, _, _, schema in INVALID.values()]
