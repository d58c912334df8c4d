"""Families `scaler` and `polynomial`: what the zoo's generic tests do not say.

Round trips with float32 X (scikit-learn keeps float32 statistics for some scalers), sparse X,
memory layouts and pandas output; hand-written invalid documents refused at their JSON Pointer;
and the JavaScript Normalizer against numpy's summation orders on thousands of random rows.
"""

from __future__ import annotations

import json
import warnings

import cases
import jsnode
import numpy as np
import pytest
import scipy.sparse as sp
from conftest import assert_bitwise_equal
from sklearn.preprocessing import (
    MaxAbsScaler,
    MinMaxScaler,
    Normalizer,
    PolynomialFeatures,
    RobustScaler,
    StandardScaler,
)

import json_models
from json_models import InvalidModelError, UnsupportedModelError

IDS = [i for i in cases.CASE_IDS if i.startswith(("scaler-", "polynomial-"))]


def _fit(est, X):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # (all-NaN or constant columns)
        return est.fit(X)


def _fitted_attributes(est) -> dict:
    names = [k for k in vars(est) if k.endswith("_") and not k.startswith("__")]
    return {k: getattr(est, k) for k in names}


def assert_same_estimator(original, loaded, inputs) -> None:
    """Same class, parameters, fitted attributes (type and dtype), feature names out, and
    transform of every input bit for bit (dtype, layout, sparse format included)."""
    assert type(loaded) is type(original)
    assert loaded.get_params() == original.get_params()
    theirs, ours = _fitted_attributes(original), _fitted_attributes(loaded)
    assert theirs.keys() == ours.keys()
    for name, value in theirs.items():
        assert type(ours[name]) is type(value), name
        if isinstance(value, (np.ndarray, np.generic)):
            assert ours[name].dtype == value.dtype, name
            assert_bitwise_equal(ours[name], value, name)
        else:
            assert ours[name] == value, name
    assert list(loaded.get_feature_names_out()) == list(original.get_feature_names_out())
    for i, X in enumerate(inputs):
        expected, actual = original.transform(X), loaded.transform(X)
        assert_bitwise_equal(actual, expected, f"input {i}")
        if isinstance(expected, np.ndarray):
            assert actual.flags.c_contiguous == expected.flags.c_contiguous
            assert actual.flags.f_contiguous == expected.flags.f_contiguous


def _round_trips(est, inputs) -> None:
    for arrays in ("list", "base64"):
        loaded = json_models.loads(json_models.dumps(est, arrays=arrays))
        assert_same_estimator(est, loaded, inputs)


def _inputs(X):
    X = np.asarray(X, dtype=np.float64)
    return [X, X.astype(np.float32), np.asfortranarray(X)]


@pytest.mark.parametrize("case_id", IDS)
@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_round_trip_is_bit_identical(case_id, dtype):
    case = cases.CASES[cases.CASE_IDS.index(case_id)]
    data = cases.dataset(case.data)
    est = _fit(case.make(), data.X_train.astype(dtype))
    _round_trips(est, _inputs(data.X_test))


def test_float32_statistics_keep_their_dtype():
    X = cases.dataset("wine").X_train.astype(np.float32)
    for est in (MinMaxScaler(), MaxAbsScaler(), RobustScaler()):
        _fit(est, X)
        doc = json_models.to_dict(est)
        loaded = json_models.from_dict(doc)
        for field in doc["state"].get("dtypes", {}):
            if field != "n_samples_seen":
                assert getattr(loaded, field + "_").dtype == np.float32
        assert loaded.scale_.dtype == est.scale_.dtype


def test_counts_per_feature_and_weighted_fit():
    data = cases.dataset("iris_nan")
    weights = np.random.RandomState(0).rand(len(data.X_train))
    for X in (data.X_train, data.X_train.astype(np.float32)):
        est = StandardScaler().fit(X, sample_weight=weights)
        _round_trips(est, _inputs(data.X_test))
        est = _fit(StandardScaler(with_mean=False, with_std=False), X)
        assert np.ndim(est.n_samples_seen_) == 1
        _round_trips(est, _inputs(data.X_test))


def test_sparse_input_round_trips():
    data = cases.dataset("digits")
    X, Z = sp.csr_matrix(data.X_train), data.X_test
    inputs = [sp.csr_matrix(Z), sp.csc_matrix(Z), Z]
    _round_trips(_fit(MaxAbsScaler(), X), inputs)
    _round_trips(_fit(StandardScaler(with_mean=False), sp.csc_matrix(X)), inputs)
    _round_trips(_fit(RobustScaler(with_centering=False), sp.csc_matrix(X)), inputs)
    _round_trips(_fit(Normalizer(norm="l1"), X), [sp.csr_matrix(Z), Z])
    _round_trips(_fit(PolynomialFeatures(), X[:, 10:16]), [sp.csr_matrix(Z[:, 10:16])])


def test_pandas_output_and_names_round_trip():
    pd = pytest.importorskip("pandas")
    data = cases.dataset("wine")
    frame = pd.DataFrame(data.X_train[:, :4], columns=["a", "b", "c", "d"])
    test = pd.DataFrame(data.X_test[:, :4], columns=["a", "b", "c", "d"])
    for est in (StandardScaler(), PolynomialFeatures(degree=(1, 2))):
        est.set_output(transform="pandas")
        _round_trips(_fit(est, frame), [test])


@pytest.mark.parametrize(
    "kw",
    [
        {"degree": 0},
        {"degree": (3, 3), "interaction_only": True},
        {"order": "F"},
        {"degree": (2, 4)},
    ],
)
def test_polynomial_options_round_trip(kw):
    X = cases.dataset("iris").X_train
    _round_trips(_fit(PolynomialFeatures(**kw), X), _inputs(X[:9]))


def test_maxabs_clip_is_refused_where_scikit_learn_cannot_clip():
    """MaxAbsScaler's clip is new in 1.8: an older version, which would drop the parameter and
    not clip, refuses the document instead."""
    est = _fit(MaxAbsScaler(), cases.dataset("wine").X_train)
    doc = json_models.to_dict(est)
    doc["params"]["clip"] = True
    doc["state"]["clip"] = True  # (what the writer records with clip=True)
    if "clip" in MaxAbsScaler().get_params():
        assert json.loads(json_models.dumps(json_models.from_dict(doc)))["state"]["clip"] is True
    else:
        with pytest.warns(UserWarning, match="no parameter clip"):
            with pytest.raises(UnsupportedModelError, match="clip"):
                json_models.from_dict(doc)


# ---------------------------------------------------------------- invalid documents


def _doc(est, X=None):
    X = cases.dataset("wine").X_train if X is None else X
    return json.loads(json_models.dumps(_fit(est, X)))


def _refused(doc, pointer, error=InvalidModelError):
    with pytest.raises(error) as info:
        json_models.from_dict(doc)
    if error is InvalidModelError:
        assert info.value.pointer == pointer, str(info.value)
    return info.value


def test_invalid_scaler_documents_name_the_place():
    doc = _doc(StandardScaler())
    doc["state"]["scale"] = doc["state"]["scale"][:-1]
    _refused(doc, "/state/scale")
    doc = _doc(StandardScaler())
    doc["state"]["mean"][3] = "NaN"
    _refused(doc, "/state/mean/3")
    doc = _doc(StandardScaler())
    doc["state"]["mean"] = None  # with_mean is true: transform needs it
    _refused(doc, "/state/mean")
    doc = _doc(StandardScaler())
    doc["state"]["dtypes"] = {"mean": "float16"}
    _refused(doc, "/state/dtypes/mean")
    doc = _doc(MaxAbsScaler(), cases.dataset("wine").X_train.astype(np.float32))
    doc["state"]["scale"][2] = 0.1  # not a float32
    _refused(doc, "/state/scale")
    doc = _doc(StandardScaler())
    doc["state"]["n_samples_seen"] = [1, 2]
    _refused(doc, "/state/n_samples_seen")
    doc = _doc(MinMaxScaler())
    doc["state"]["min"][0] = "Infinity"
    _refused(doc, "/state/min/0")
    doc = _doc(RobustScaler(with_centering=False))
    doc["params"]["with_centering"] = True
    _refused(doc, "/state/center")
    doc = _doc(MaxAbsScaler())
    doc["state"]["scale"] = {"dtype": "float64", "shape": [2], "base64": "AAAAAAAA+H8AAAAAAADwPw=="}
    _refused(doc, "/state/scale")


def test_invalid_polynomial_documents_name_the_place():
    doc = _doc(PolynomialFeatures())
    doc["state"]["n_output_features"] += 1
    _refused(doc, "/state/n_output_features")
    doc = _doc(PolynomialFeatures(degree=(2, 3)))
    doc["params"]["degree"] = {"tuple": [3, 2]}
    _refused(doc, "/params/degree")
    # Huge degrees are counted without computing huge binomials: refused at once.
    for degree in (10**18, {"tuple": [10**18 - 2, 10**18]}):
        doc = _doc(PolynomialFeatures(), cases.dataset("wine").X_train[:, :1])
        doc["params"]["degree"] = degree
        _refused(doc, "/state/n_output_features")
    doc = _doc(PolynomialFeatures(degree=1), cases.dataset("wine").X_train[:, :1])
    doc["state"]["n_features_in"] = 2**31 - 1  # (no memory is taken for so many columns)
    _refused(doc, "/state/n_output_features")
    doc = _doc(PolynomialFeatures(interaction_only=True))
    doc["params"]["degree"] = 10**18  # interaction_only: no degree beyond n_features adds a column
    doc["state"]["n_output_features"] = 2**13  # the bias and every subset of 13 features
    json_models.from_dict(doc)


def test_unexportable_statistics_are_refused():
    X = cases.dataset("wine").X_train.copy()
    X[:, 2] = np.nan  # an all-missing column: NaN statistics
    with pytest.raises(UnsupportedModelError):
        json_models.dumps(_fit(MinMaxScaler(), X))


# ---------------------------------------------------------------- JavaScript: Normalizer


NORMALIZER_CHECK = """
import { ESTIMATORS } from "./src/models/scaler.js";
let text = "";
for await (const chunk of process.stdin) text += chunk;
const { norm, sets } = JSON.parse(text);
const read = ESTIMATORS["sklearn.preprocessing.Normalizer"];
const outs = sets.map((rows) => {
  const m = rows[0].length;
  const t = read({}, { norm }, { nFeatures: m, estimator: "" });
  return t.transform({ data: rows.flat(), n: rows.length, m, missing: null }).data;
});
console.log(JSON.stringify(outs));
"""


@pytest.mark.parametrize("norm", ["l1", "l2", "max"])
def test_javascript_normalizer_is_bit_identical(norm, tmp_path):
    """numpy's pairwise sum (l1) and einsum's two-lane order (l2, x86-64 numpy) reproduced:
    2,800 random rows of 3 to 30 columns (zeros, tiny and huge values among them), every value
    equal."""
    rng = np.random.RandomState(7)
    sets = []
    for m in range(3, 31):
        X = rng.randn(100, m) * np.exp(4 * rng.randn(100, m))
        X[rng.rand(*X.shape) < 0.1] = 0.0
        X[0], X[1] = 0.0, 1e-17
        sets.append(X)
    script = tmp_path / "normalize.mjs"
    script.write_text(NORMALIZER_CHECK.replace("./src/", (jsnode.JS / "src").as_uri() + "/"))
    payload = json.dumps({"norm": norm, "sets": [X.tolist() for X in sets]})
    out = jsnode.run_node(script, input_text=payload)
    assert out.returncode == 0, out.stderr
    results = json.loads(out.stdout)
    for X, got in zip(sets, results, strict=True):
        expected = Normalizer(norm=norm).fit(X).transform(X)
        assert_bitwise_equal(np.asarray(got).reshape(X.shape), expected, f"{X.shape[1]} columns")
    assert sum(X.size for X in sets) == 46_200
