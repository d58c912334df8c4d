"""Kernel SVMs (family ``svm``): what the zoo's generic tests do not say.

libsvm reads raw C arrays, so a broken document must be refused, at the same JSON Pointer by
Python (schema, then the codec's checks) and JavaScript, before anything reaches it; a strange
but consistent one (a class without support vectors) predicts in both without a crash. Models
that cannot be written (sparse X, precomputed or callable kernels) are refused on export.
"""

from __future__ import annotations

import base64
import copy
import json
import subprocess
import sys
import warnings

import numpy as np
import pytest
import scipy.sparse as sp
from cases import dataset, fitted, json_values
from conftest import assert_like_scikit_learn
from jsnode import ROOT, predict, run_node
from sklearn.svm import SVC, SVR, NuSVC, OneClassSVM

import json_models as jm
from json_models._fidelity import predictions

MULTICLASS = "svm-SVC-iris-str"
PROBABILITY = "svm-NuSVC-wine-probability"
REGRESSOR = "svm-SVR-diabetes"
ONE_CLASS = "svm-OneClassSVM-iris"
AUTO = "svm-OneClassSVM-wine-auto"


# (case, edit, pointer): each edit breaks one thing, refused at ``pointer`` in both languages.
BROKEN = {
    "counts not summing to the vectors": (
        MULTICLASS,
        lambda s: s["n_support"].__setitem__(0, s["n_support"][0] + 1),
        "/state/n_support",
    ),
    "a negative count": (
        MULTICLASS,
        lambda s: s.update(
            n_support=[-1, s["n_support"][0] + s["n_support"][1] + 1, s["n_support"][2]]
        ),  # fmt: skip
        "/state/n_support/0",
    ),
    "a count missing": (MULTICLASS, lambda s: s["n_support"].pop(), "/state/n_support"),
    "a support vector missing": (
        MULTICLASS,
        lambda s: s["support"].pop(),
        "/state/support_vectors",
    ),
    "a support index beyond the training rows": (
        MULTICLASS,
        lambda s: s["support"].__setitem__(3, s["shape_fit"][0]),
        "/state/support/3",
    ),
    "a negative support index": (
        MULTICLASS,
        lambda s: s["support"].__setitem__(0, -1),
        "/state/support/0",
    ),
    "support vectors fewer than the indices": (
        MULTICLASS,
        lambda s: s["support_vectors"].pop(),
        "/state/support_vectors",
    ),
    "support vectors of another width": (
        MULTICLASS,
        lambda s: s.update(support_vectors=[row[:-1] for row in s["support_vectors"]]),
        "/state/support_vectors",
    ),
    "a ragged support vector": (
        MULTICLASS,
        lambda s: s["support_vectors"][5].pop(),
        "/state/support_vectors/5",
    ),
    "dual coefficients for fewer classes": (
        MULTICLASS,
        lambda s: s["dual_coef"].pop(),
        "/state/dual_coef",
    ),
    "dual coefficients for fewer vectors": (
        MULTICLASS,
        lambda s: s.update(dual_coef=[row[:-1] for row in s["dual_coef"]]),
        "/state/dual_coef",
    ),
    "an intercept missing": (MULTICLASS, lambda s: s["intercept"].pop(), "/state/intercept"),
    "an intercept too many": (REGRESSOR, lambda s: s["intercept"].append(0.0), "/state/intercept"),
    "a probability slope missing": (PROBABILITY, lambda s: s["prob_a"].pop(), "/state/prob_a"),
    "probability slopes without offsets": (PROBABILITY, lambda s: s.pop("prob_b"), "/state/prob_a"),
    "no probability model for probability=True": (
        PROBABILITY,
        lambda s: (s.pop("prob_a"), s.pop("prob_b")),
        "/state",
    ),
    "a negative gamma": (MULTICLASS, lambda s: s.update(gamma=-0.5), "/state/gamma"),
    "gamma not 1 / n_features for gamma='auto'": (
        AUTO,
        lambda s: s.update(gamma=s["gamma"] * 2),
        "/state/gamma",
    ),
    "training shape of another width": (
        MULTICLASS,
        lambda s: s["shape_fit"].__setitem__(1, 5),
        "/state/shape_fit/1",
    ),
    "a negative iteration count": (
        MULTICLASS,
        lambda s: s["n_iter"].__setitem__(1, -3),
        "/state/n_iter/1",
    ),
    "a fit status libsvm never gives": (
        MULTICLASS,
        lambda s: s.update(fit_status=2),
        "/state/fit_status",
    ),  # fmt: skip
    "one class": (
        MULTICLASS,
        lambda s: s.update(classes=s["classes"][:1]),
        "/state/classes",
    ),
    "classes on a regressor": (REGRESSOR, lambda s: s.update(classes=[0, 1]), "/state/classes"),
    "class weights on a one-class model": (
        ONE_CLASS,
        lambda s: s.update(class_weight=[1.0]),
        "/state/class_weight",
    ),
    "class weights missing": (MULTICLASS, lambda s: s.pop("class_weight"), "/state"),
}

# Parameters prediction reads: (case, params edit, pointer).
BROKEN_PARAMS = {
    "a precomputed kernel": (MULTICLASS, {"kernel": "precomputed"}, "/params/kernel"),
    "a degree beyond libsvm's int": (MULTICLASS, {"degree": 2**31}, "/params/degree"),
    "an infinite coef0": (MULTICLASS, {"coef0": {"float": "Infinity"}}, "/params/coef0"),
    "a numeric gamma the state does not hold": (MULTICLASS, {"gamma": 0.25}, "/state/gamma"),
    "a negative gamma parameter": (MULTICLASS, {"gamma": -1.0}, "/params/gamma"),
    "a gamma rule scikit-learn does not know": (MULTICLASS, {"gamma": "Scale"}, "/params/gamma"),
    "an unknown decision_function_shape": (
        MULTICLASS,
        {"decision_function_shape": "ovx"},
        "/params/decision_function_shape",
    ),
}


def _broken_documents():
    docs = {}
    for name, (case, edit, pointer) in BROKEN.items():
        doc = copy.deepcopy(jm.to_dict(fitted(case)[0]))
        edit(doc["state"])
        docs[name] = (doc, pointer)
    for name, (case, params, pointer) in BROKEN_PARAMS.items():
        doc = copy.deepcopy(jm.to_dict(fitted(case)[0]))
        doc["params"].update(params)
        docs[name] = (doc, pointer)
    doc = copy.deepcopy(jm.to_dict(fitted(MULTICLASS)[0], arrays="base64"))
    sv = np.frombuffer(base64.b64decode(doc["state"]["support_vectors"]["base64"]), "<f8").copy()
    sv[9] = np.nan
    doc["state"]["support_vectors"]["base64"] = base64.b64encode(sv.tobytes()).decode()
    docs["a NaN among the support vectors"] = (doc, None)  # (where: each reader its own way)
    return docs


@pytest.fixture(scope="module")
def broken(tmp_path_factory):
    """Each broken document, where it must be refused, and what Node said of it."""
    folder = tmp_path_factory.mktemp("svm")
    docs = _broken_documents()
    paths = []
    for n, (doc, _) in enumerate(docs.values()):
        path = folder / f"{n}.json"
        path.write_text(json.dumps(doc))
        paths.append(path)
    said = run_node(str(ROOT / "tests" / "node_load_files.mjs"), *paths)
    lines = [json.loads(line) for line in said.stdout.splitlines()]
    assert len(lines) == len(docs), said.stderr
    return {name: (path, pointer, line) for (name, (_, pointer)), path, line in
            zip(docs.items(), paths, lines)}  # fmt: skip


@pytest.mark.parametrize("name", [*BROKEN, *BROKEN_PARAMS, "a NaN among the support vectors"])
def test_python_and_javascript_refuse_a_broken_document_at_the_same_place(broken, name):
    path, pointer, node = broken[name]
    with pytest.raises(jm.InvalidModelError) as raised:
        jm.load(path)
    assert node["ok"] is False and node["name"] == "InvalidModelError", node
    if pointer is None:  # a NaN in a binary array: each reader names the array
        assert raised.value.pointer.startswith("/state/support_vectors"), raised.value
        assert node["pointer"].startswith("/state/support_vectors"), node
        return
    assert raised.value.pointer == pointer, raised.value
    assert node["pointer"] == pointer, node


def test_the_schema_refuses_what_it_can_say():
    """jsonschema alone: a precomputed kernel, classes on a regressor, a negative gamma, a
    classifier without its counts."""
    from json_models._validate import schema_validator

    validator = schema_validator()
    docs = _broken_documents()
    for name in (
        "a precomputed kernel",
        "classes on a regressor",
        "a negative gamma",
        "class weights missing",
        "a fit status libsvm never gives",
        "a degree beyond libsvm's int",
    ):
        doc, _ = docs[name]
        assert list(validator.iter_errors(doc)), name
    doc, _ = docs["classes on a regressor"]
    with pytest.raises(jm.InvalidModelError) as raised:
        jm.from_dict(doc)
    assert str(raised.value) == "/state/classes: unexpected key for this estimator"


# A document no fit writes but every count, shape and index is consistent in: libsvm may read
# it. It runs in a child process, so that a crash there fails this test instead of the session.
CHILD = """
import json, sys, numpy as np, json_models as jm
est = jm.load(sys.argv[1])
X = np.asarray(json.load(open(sys.argv[2])), dtype=float)
print(json.dumps({"predict": est.predict(X).tolist(),
                  "decision_function": est.decision_function(X).tolist()}))
"""


def test_a_class_without_support_vectors_predicts_alike_everywhere(tmp_path):
    est, data = fitted(MULTICLASS)
    doc = jm.to_dict(est)
    n = doc["state"]["n_support"]
    doc["state"]["n_support"] = [0, n[0] + n[1], n[2]]
    model, rows = tmp_path / "model.json", tmp_path / "X.json"
    model.write_text(json.dumps(doc))
    rows.write_text(json.dumps(json_values(data.X_test)))
    child = subprocess.run(
        [sys.executable, "-c", CHILD, str(model), str(rows)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert child.returncode == 0, child.stderr
    python = json.loads(child.stdout)
    node = predict(model, rows)
    assert node["predict"] == python["predict"]
    got, want = np.asarray(node["decision_function"]), np.asarray(python["decision_function"])
    assert np.abs(got - want).max() <= 1e-12 * (1 + np.abs(want).max())


WRAPPING = """
import base64, json, sys
import numpy as np
import json_models as jm
doc = json.load(open(sys.argv[1]))
K = 2049  # classes: enough counts below 2**53 for their int64 sum to wrap around to n_sv
b64 = lambda a, dt: {"dtype": dt, "shape": list(np.shape(a)),
                     "base64": base64.b64encode(np.ascontiguousarray(a, dt).tobytes()).decode()}
# As int32 (libsvm's type) the counts read [2**31-1, -(2**31-1), 0, ..., 1]: they sum to 1.
wanted = [2**31 - 1, -(2**31 - 1)] + [0] * (K - 3) + [1]
need, high = 2**32 - 1, []
for _ in range(K):
    high.append(min(2**21 - 1, need - sum(high)))
counts = [(c % 2**32) + 2**32 * h for c, h in zip(wanted, high)]
doc["state"].update(
    classes_dtype="<i8", classes=list(range(K)), n_support=counts,
    class_weight=b64(np.ones(K), "float64"), support=[0], support_vectors=[[5.0, 3.0, 1.0, 0.2]],
    dual_coef=b64(np.ones((K - 1, 1)), "float64"),
    intercept=b64(np.zeros(K * (K - 1) // 2), "float64"),
    n_iter=b64(np.ones(K * (K - 1) // 2), "int32"),
)
try:
    jm.loads(json.dumps(doc)).predict(np.array([[5.0, 3.0, 1.0, 0.2]]))
except jm.InvalidModelError as exc:
    print(exc.pointer)
"""


def test_counts_whose_sum_wraps_around_are_refused_before_libsvm(tmp_path):
    """Counts each below 2**53 whose int64 sum wraps around to the number of support vectors
    (and whose int32 casts sum to it too) sent libsvm 2**31 coefficients past the end: each
    count is bounded by the support vectors before the sum (in a child: a crash fails here)."""
    est, _ = fitted(MULTICLASS)
    model = tmp_path / "model.json"
    model.write_text(jm.dumps(est))
    child = subprocess.run(
        [sys.executable, "-c", WRAPPING, str(model)], capture_output=True, text=True, timeout=300
    )
    assert child.returncode == 0, child.stderr[-2000:]
    assert child.stdout.strip() == "/state/n_support/0"


def test_break_ties_with_ovo_predicts_nowhere(tmp_path):
    """scikit-learn's predict refuses break_ties with decision_function_shape="ovo"; so does
    the JavaScript runtime, naming the parameter."""
    data = dataset("iris")
    est = SVC(break_ties=True, decision_function_shape="ovo").fit(data.X_train, data.y_train)
    with pytest.raises(ValueError, match="break_ties"):
        est.predict(data.X_test)
    loaded = jm.loads(jm.dumps(est))
    with pytest.raises(ValueError, match="break_ties"):
        loaded.predict(data.X_test)
    path = tmp_path / "model.json"
    jm.dump(est, path)
    said = run_node(str(ROOT / "tests" / "node_load_files.mjs"), path)
    line = json.loads(said.stdout)
    assert line["ok"] is False and line["pointer"] == "/params/break_ties", line


def test_models_that_cannot_be_written_are_refused():
    data = dataset("iris")
    X, y = data.X_train, data.y_train
    with pytest.raises(jm.UnsupportedModelError, match="sparse"):
        jm.to_dict(SVC().fit(sp.csr_matrix(X), y))
    with pytest.raises(jm.UnsupportedModelError, match="precomputed"):
        jm.to_dict(SVR(kernel="precomputed").fit(X @ X.T, y))
    with pytest.raises(jm.UnsupportedModelError, match="kernel"):
        jm.to_dict(NuSVC(kernel=lambda a, b: a @ b.T).fit(X, y))
    with pytest.raises(jm.UnsupportedModelError, match="sparse"):
        jm.to_dict(OneClassSVM().fit(sp.csr_matrix(X)))


def test_probabilities_round_trip_in_python_and_are_left_out_in_javascript(tmp_path):
    """Platt scaling's probA_/probB_ come back (predict_proba and predict_log_proba bit for
    bit); the JavaScript runtime gives no predictProba (the README says so)."""
    est, data = fitted(PROBABILITY)
    loaded = jm.loads(jm.dumps(est, arrays="base64"))  # (read-only buffers: libsvm copies)
    for method in ("predict_proba", "predict_log_proba"):
        want, got = getattr(est, method)(data.X_test), getattr(loaded, method)(data.X_test)
        assert want.tobytes() == got.tobytes(), method
    model, rows = tmp_path / "model.json", tmp_path / "X.json"
    jm.dump(est, model)
    rows.write_text(json.dumps(json_values(data.X_test)))
    node = predict(model, rows)
    assert "predict_proba" not in node
    assert_like_scikit_learn(est, data.X_test, node, predictions(est, data.X_test))


def test_no_support_vectors_predict_the_intercept():
    """SVR with an epsilon wider than y's range keeps no support vector: predict gives the
    intercept, in Python after a round trip as in scikit-learn."""
    est, data = fitted("svm-SVR-diabetes-no_support")
    assert est.support_vectors_.shape == (0, data.X_train.shape[1])
    for arrays in ("list", "base64"):
        loaded = jm.loads(jm.dumps(est, arrays=arrays))
        assert loaded.support_vectors_.shape == est.support_vectors_.shape
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            assert loaded.predict(data.X_test).tobytes() == est.predict(data.X_test).tobytes()
