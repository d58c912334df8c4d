"""Families `linear` (its cross-validated, SGD, robust, Bayesian and SVM regressors) and `glm`:
what the zoo's generic tests do not say.

``predict(return_std=True)`` of the Bayesian regressors after a round trip; what compact
documents leave out; partial_fit continuing from a loaded averaged SGD regressor; parameters
written by another scikit-learn version; hand-written invalid documents refused at their JSON
Pointer, in Python (schema and codec) and in Node.
"""

from __future__ import annotations

import copy
import json
import warnings

import cases
import numpy as np
import pytest
from conftest import assert_bitwise_equal
from jsnode import JS, run_node
from sklearn import linear_model as lm
from sklearn.svm import LinearSVR

import json_models as jm
from json_models import InvalidModelError
from json_models._validate import schema_validator
from json_models.codecs import linear


def _fit(est, data="diabetes"):
    d = cases.dataset(data)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return est.fit(d.X_train, d.y_train)


def _load(doc):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", jm.CompactModelWarning)
        return jm.from_dict(doc)


@pytest.mark.parametrize("cls", [lm.BayesianRidge, lm.ARDRegression])
@pytest.mark.parametrize("compact", [False, True])
def test_bayesian_standard_deviations_round_trip(cls, compact):
    for data in ("diabetes", "wine"):
        est = _fit(cls(compute_score=True, max_iter=50), data)
        loaded = _load(jm.to_dict(est, compact=compact))
        X = cases.dataset(data).X_test
        for got, want in zip(loaded.predict(X, return_std=True), est.predict(X, return_std=True)):
            assert_bitwise_equal(got, want)
    if cls is lm.ARDRegression:  # (features pruned: sigma_ covers the others only)
        assert est.sigma_.shape[0] < est.n_features_in_


def test_compact_documents_leave_out_training_traces():
    store = {"store_cv_results" if "store_cv_results" in lm.RidgeCV().get_params() else
             "store_cv_values": True}  # fmt: skip
    traces = {
        lm.RidgeCV(**store): ["cv_results_" if "store_cv_results" in store else "cv_values_"],
        lm.ElasticNetCV(cv=3): ["alphas_", "mse_path_"],
        lm.BayesianRidge(compute_score=True): ["scores_"],
        lm.HuberRegressor(): ["outliers_"],
        lm.SGDRegressor(average=True, max_iter=20): [],  # (private weights only)
    }
    X = cases.dataset("diabetes").X_test
    for est, names in traces.items():
        _fit(est)
        full, compact = jm.to_dict(est), jm.to_dict(est, compact=True)
        assert len(json.dumps(compact)) < len(json.dumps(full))
        with pytest.warns(jm.CompactModelWarning) as record:
            loaded = jm.from_dict(compact)
        for name in names:
            assert hasattr(est, name) and not hasattr(loaded, name), name
            assert name in str(record[0].message)
        assert_bitwise_equal(loaded.predict(X), est.predict(X))


def test_mse_path_keeps_its_memory_layout():
    for l1_ratio in (0.5, [0.2, 0.8]):
        est = _fit(lm.ElasticNetCV(cv=3, l1_ratio=l1_ratio))
        loaded = jm.loads(jm.dumps(est, arrays="base64"))
        assert loaded.mse_path_.strides == est.mse_path_.strides
        assert_bitwise_equal(loaded.mse_path_, est.mse_path_)


@pytest.mark.parametrize(
    "make",
    [
        lambda: lm.RidgeCV(alpha_per_target=True),
        lambda: lm.ElasticNetCV(cv=3, l1_ratio=[0.3, 0.7]),
        lambda: lm.SGDRegressor(average=True, max_iter=20),
        lambda: lm.BayesianRidge(compute_score=True),
        lambda: lm.ARDRegression(compute_score=True, max_iter=30),
        lambda: lm.PoissonRegressor(),
        lambda: lm.Lasso(),
    ],
)
def test_float32_fits_keep_their_dtype(make):
    """A fit on float32 X keeps float32 coefficients (and statistics): restored as float32,
    so that predict gives the same bits and dtype, on float32 and float64 rows alike."""
    d = cases.dataset("multi_regression" if "alpha_per_target" in str(make()) else "diabetes")
    X, y = d.X_train.astype(np.float32), d.y_train.astype(np.float32)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        est = make().fit(X, y)
    for arrays in ("list", "base64"):
        loaded = jm.loads(jm.dumps(est, arrays=arrays))
        for Z in (d.X_test.astype(np.float32), d.X_test):
            assert_bitwise_equal(loaded.predict(Z), est.predict(Z))
            if hasattr(est, "sigma_"):
                assert_bitwise_equal(loaded.predict(Z, True)[1], est.predict(Z, True)[1])
        for name, value in vars(est).items():
            if name.endswith("_") and not name.startswith("_"):
                assert np.asarray(getattr(loaded, name)).dtype == np.asarray(value).dtype, name


@pytest.mark.parametrize("average", [False, True, 5])
def test_sgd_partial_fit_continues_after_loading(average):
    d = cases.dataset("diabetes")
    est = _fit(lm.SGDRegressor(average=average, max_iter=20, random_state=0))
    loaded = jm.loads(jm.dumps(est))
    for model in (est, loaded):
        model.partial_fit(d.X_test, d.y_test)
    assert_bitwise_equal(loaded.coef_, est.coef_)
    assert_bitwise_equal(loaded.intercept_, est.intercept_)


@pytest.mark.parametrize(
    "cls, written, expected",
    [
        # LassoCV, ElasticNetCV: n_alphas (alphas=None) up to 1.6, alphas from 1.7.
        (lm.LassoCV, {"alphas": None, "n_alphas": 50}, {"n_alphas": 50}),
        (lm.LassoCV, {"alphas": 50}, {"n_alphas": 50}),
        (lm.ElasticNetCV, {"alphas": "warn", "n_alphas": "deprecated"}, {"n_alphas": 100}),
        (lm.LassoCV, {"alphas": [0.1, 1.0], "n_alphas": 100}, {"alphas": [0.1, 1.0]}),
        # BayesianRidge, ARDRegression: max_iter=None (1.4) is n_iter, 300 by default.
        (lm.BayesianRidge, {"max_iter": None, "n_iter": "deprecated"}, {"max_iter": 300}),
        (lm.ARDRegression, {"max_iter": None, "n_iter": 40}, {"max_iter": 40}),
        # RidgeCV: store_cv_values up to 1.4, store_cv_results from 1.5.
        (lm.RidgeCV, {"store_cv_values": True}, {"stored": True}),
        (
            lm.RidgeCV,
            {"store_cv_results": None, "store_cv_values": "deprecated"},
            {"stored": False},
        ),
        (lm.RidgeCV, {"store_cv_results": True}, {"stored": True}),
    ],
)
def test_parameters_of_other_versions_keep_their_meaning(cls, written, expected):
    params = linear.translate_params(cls, written)
    est = cls(**params)
    est._validate_params()  # (taken by this version)
    got = est.get_params()
    if "n_alphas" in expected:  # the same number of alphas, in this version's words
        n = got.get("n_alphas") if got["alphas"] in (None, "warn") else got["alphas"]
        n = 100 if n == "deprecated" else n  # (1.7, 1.8: their default, 100 alphas)
        assert n == expected["n_alphas"]
    if "alphas" in expected:
        assert list(got["alphas"]) == expected["alphas"]
    if "max_iter" in expected:  # (1.4: None means n_iter, 300 by default)
        n_iter = got.get("n_iter") if isinstance(got.get("n_iter"), int) else 300
        assert (n_iter if got["max_iter"] is None else got["max_iter"]) == expected["max_iter"]
    if "stored" in expected:
        stored = got.get("store_cv_results")
        stored = stored if isinstance(stored, bool) else got.get("store_cv_values") is True
        assert stored is expected["stored"]
    assert linear.translate_params(cls, params) == params  # (this version's: unchanged)


def test_glm_links():
    X = cases.dataset("diabetes").X_test
    for est, link in (
        (lm.PoissonRegressor(), "log"),
        (lm.GammaRegressor(), "log"),
        (lm.TweedieRegressor(power=0), "identity"),
        (lm.TweedieRegressor(power=1.5), "log"),
        (lm.TweedieRegressor(power=-1, link="log"), "log"),
        (lm.TweedieRegressor(power=3, link="identity", max_iter=5), "identity"),
    ):
        doc = jm.to_dict(_fit(est))
        assert doc["state"]["link"] == link
        assert_bitwise_equal(jm.from_dict(doc).predict(X), est.predict(X))


# ---------------------------------------------------------------- invalid documents

NODE_LOAD = """
import { loadModel } from "./src/index.js";
let text = "";
for await (const chunk of process.stdin) text += chunk;
const out = JSON.parse(text).map((doc) => {
  try { loadModel(doc); return null; } catch (e) { return e.pointer ?? String(e); }
});
console.log(JSON.stringify(out));
"""


def _doc(make, data="diabetes"):
    return json.loads(jm.dumps(_fit(make(), data)))


def _set(path, value):
    def edit(doc):
        *parents, last = path.strip("/").split("/")
        node = doc
        for key in parents:
            node = node[int(key)] if isinstance(node, list) else node[key]
        if value is DELETE:
            del node[last]
        elif isinstance(node, list):
            node[int(last)] = value
        else:
            node[last] = value

    return edit


DELETE = object()
SGD = lambda: lm.SGDRegressor(average=True, max_iter=20, random_state=0)  # noqa: E731
RIDGE_CV = lambda: lm.RidgeCV(alpha_per_target=True)  # noqa: E731
TWEEDIE = lambda: lm.TweedieRegressor(power=1.5)  # noqa: E731
# (estimator, dataset, edit, pointer, whether the JavaScript reader reads the field)
INVALID = [
    # A single-target regressor with a 2-D coef, a GLM with an array intercept.
    (lm.HuberRegressor, "diabetes", lambda d: d["state"].update(coef=[d["state"]["coef"]]),
     "/state/coef", True),
    (LinearSVR, "diabetes", _set("/state/intercept", [1.0, 2.0]), "/state/intercept", True),
    (lm.PoissonRegressor, "diabetes", _set("/state/intercept", [1.0]), "/state/intercept", True),
    (lm.GammaRegressor, "diabetes", _set("/state/coef/3", "NaN"), "/state/coef/3", True),
    # Links: the state's must be the parameters'.
    (lm.PoissonRegressor, "diabetes", _set("/state/link", "identity"), "/state/link", True),
    (TWEEDIE, "diabetes", _set("/state/link", "logit"), "/state/link", True),
    (TWEEDIE, "diabetes", _set("/params/power", 0), "/state/link", True),
    (TWEEDIE, "diabetes", _set("/params/link", "identity"), "/state/link", True),
    (TWEEDIE, "diabetes", _set("/params/link", "inverse"), "/params/link", True),
    (TWEEDIE, "diabetes", _set("/params/power", "1.5"), "/params/power", True),
    (TWEEDIE, "diabetes", _set("/state/link", DELETE), "/state", True),
    # Fields the JavaScript reader does not read: the schema and the codec refuse them.
    (lm.BayesianRidge, "diabetes", _set("/state/sigma", DELETE), "/state", False),
    (lm.BayesianRidge, "diabetes", _set("/state/sigma", [[1.0, 0.0], [0.0, 1.0]]), "/state/sigma",
     False),
    (lm.BayesianRidge, "diabetes", _set("/state/lambda", [1.0]), "/state/lambda", False),
    (lm.ARDRegression, "wine", _set("/state/lambda/0", 1e9), "/state/sigma", False),
    (lm.ARDRegression, "wine", _set("/state/X_offset", [0.0]), "/state/X_offset", False),
    (RIDGE_CV, "multi_regression", _set("/state/alpha", [1.0, 2.0]), "/state/alpha", False),
    (RIDGE_CV, "multi_regression", _set("/state/best_score/1", True), "/state/best_score/1", False),
    (lambda: lm.ElasticNetCV(cv=3), "diabetes", _set("/state/mse_path_axes", [0, 2]),
     "/state/mse_path_axes", False),
    (lambda: lm.ElasticNetCV(cv=3), "diabetes", _set("/state/l1_ratio", "0.5"), "/state/l1_ratio",
     False),
    (lm.HuberRegressor, "diabetes", _set("/state/outliers/2", 2), "/state/outliers/2", False),
    (SGD, "diabetes", _set("/state/sgd_weights/1", [0.0, 1.0]), "/state/sgd_weights/1", False),
    (SGD, "diabetes", _set("/state/sgd_weights", [[0.0]]), "/state/sgd_weights", False),
    (SGD, "diabetes", _set("/state/t", "Infinity"), "/state/t", False),
    (lm.Lasso, "diabetes", _set("/state/dtypes", {"coef": "float16"}), "/state/dtypes/coef", False),
    (lm.Lasso, "diabetes", _set("/state/dtypes", {"coef": "float32"}), "/state/coef", False),
    (lm.PoissonRegressor, "diabetes", _set("/state/dtypes", {"coef": "float32"}), "/state/coef",
     False),
    (lm.PoissonRegressor, "diabetes", _set("/state/dtypes", {"link": "float32"}), "/state/dtypes",
     False),
]  # fmt: skip


def test_invalid_documents_name_the_place():
    docs = []
    for make, data, edit, pointer, _ in INVALID:
        doc = copy.deepcopy(_doc(make, data))
        edit(doc)
        docs.append(doc)
        with pytest.raises(InvalidModelError) as info:
            _load(doc)
        assert info.value.pointer == pointer, (pointer, str(info.value))
    # The schema alone refuses those it can say (all but the consistency checks).
    consistency = {"/state/link", "/state/sigma", "/state/lambda", "/state/alpha", "/state/coef",
                   "/state/intercept", "/state/X_offset", "/state/mse_path_axes",
                   "/state/sgd_weights/1"}  # fmt: skip
    validator = schema_validator()
    for doc, (_, _, _, pointer, _) in zip(docs, INVALID):
        if pointer not in consistency:
            assert list(validator.iter_errors(doc)), pointer
    # Node refuses those its readers read, at the same place.
    script = NODE_LOAD.replace("./src/", (JS / "src").as_uri() + "/")
    read = [(doc, pointer) for doc, (*_, pointer, js) in zip(docs, INVALID) if js]
    result = run_node(
        "--input-type=module", "-e", script, input_text=json.dumps([d for d, _ in read])
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == [pointer for _, pointer in read]
