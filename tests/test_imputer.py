"""SimpleImputer beyond the zoo: every strategy on numbers, strings and both, missing values
marked by NaN, a number or a string, features without any observed value (dropped, or kept
with ``keep_empty_features``), the indicator; hand-written invalid documents refused with the
JSON Pointer; and the JavaScript runtime's transform bit for bit against scikit-learn's."""

from __future__ import annotations

import json
import struct
import warnings

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from jsnode import run_node
from sklearn.impute import MissingIndicator, SimpleImputer

import json_models as jm
from json_models import _compat
from json_models.errors import InvalidModelError


def _numbers():
    rng = np.random.RandomState(0)
    X = rng.normal(size=(40, 4))
    X[rng.rand(*X.shape) < 0.15] = np.nan
    X[:, 3] = np.nan  # no observed value
    return X


def _frame(n=40, seed=0):
    rng = np.random.RandomState(seed)
    city = rng.choice(["Paris", "Lyon", "Nice", "Brest"], n, p=[0.5, 0.3, 0.17, 0.03])
    frame = pd.DataFrame(
        {
            "age": np.where(rng.rand(n) < 0.2, np.nan, rng.uniform(18, 80, n).round(1)),
            "city": pd.Series(
                np.where(rng.rand(n) < 0.2, np.nan, city.astype(object)), dtype=object
            ),
            "n_children": rng.randint(0, 4, n),
            "member": pd.Series(
                np.where(rng.rand(n) < 0.2, np.nan, rng.choice(["yes", "no"], n).astype(object)),
                dtype=object,
            ),
        }
    )
    if seed:
        frame.loc[0, "city"] = "Dijon"  # unseen
    return frame


X_NUM = _numbers()
X_NUM_TEST = np.vstack([_numbers()[:10], np.full((1, 4), np.nan)])
FRAME, FRAME_TEST = _frame(), _frame(12, seed=1)
STRINGS = FRAME[["city", "member"]].to_numpy()
MARKED = np.where(pd.isna(STRINGS), "?", STRINGS).astype(object)
MINUS_ONE = np.where(np.isnan(X_NUM[:, :3]), -1.0, X_NUM[:, :3])


def _configs():
    """(id, make, X to fit, X to transform)."""
    for strategy in ("mean", "median", "most_frequent", "constant"):
        for kw in (
            {},
            {"add_indicator": True},
            {"keep_empty_features": True, "add_indicator": True},
        ):
            name = "-".join([strategy, *kw])
            make = lambda s=strategy, kw=kw: SimpleImputer(strategy=s, **kw)  # noqa: E731
            yield f"numbers-{name}", make, X_NUM, X_NUM_TEST
            yield (
                f"numbers-frame-{name}",
                make,
                FRAME[["age", "n_children"]],
                FRAME_TEST[["age", "n_children"]],
            )
            if strategy in ("most_frequent", "constant"):
                yield f"frame-{name}", make, FRAME, FRAME_TEST
                yield f"strings-{name}", make, STRINGS, FRAME_TEST[["city", "member"]].to_numpy()
    yield (
        "constant-number",
        lambda: SimpleImputer(strategy="constant", fill_value=-7.25, add_indicator=True),
        X_NUM,
        X_NUM_TEST,
    )
    yield (
        "constant-string",
        lambda: SimpleImputer(strategy="constant", fill_value="none", add_indicator=True),
        FRAME,
        FRAME_TEST,
    )
    yield (
        "constant-nan-keep",
        lambda: SimpleImputer(strategy="constant", fill_value=np.nan, keep_empty_features=True),
        X_NUM,
        X_NUM_TEST,
    )
    for strategy in ("mean", "median", "most_frequent", "constant"):
        make = lambda s=strategy: SimpleImputer(strategy=s, missing_values=-1, add_indicator=True)  # noqa: E731
        yield f"minus-one-{strategy}", make, MINUS_ONE, MINUS_ONE[:12]
        yield (
            f"minus-one-int-{strategy}",
            make,
            (MINUS_ONE * 3).astype(np.int64),
            (MINUS_ONE[:12] * 3).astype(np.int64),
        )
    for strategy in ("most_frequent", "constant"):
        make = lambda s=strategy: SimpleImputer(strategy=s, missing_values="?", add_indicator=True)  # noqa: E731
        yield f"question-mark-{strategy}", make, MARKED, MARKED[:12]
    yield (
        "sparse",
        lambda: SimpleImputer(add_indicator=True),
        sp.csc_matrix(np.nan_to_num(X_NUM, nan=0) + np.where(np.isnan(X_NUM), np.nan, 0)),
        sp.csr_matrix(X_NUM_TEST),
    )
    yield (
        "float32",
        lambda: SimpleImputer(strategy="median"),
        X_NUM.astype(np.float32),
        X_NUM_TEST.astype(np.float32),
    )
    pandas = SimpleImputer(strategy="most_frequent", add_indicator=True).set_output
    yield "pandas-out", lambda: pandas(transform="pandas"), FRAME, FRAME_TEST


CONFIGS = {name: rest for name, *rest in _configs()}


def _fit(name):
    make, X, X_test = CONFIGS[name]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # features without observed values
        return make().fit(X), X_test


def _transform(est, X):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return est.transform(X)


def assert_identical(a, b):
    """Equal values, bit for bit, of the same dtype, layout and container (object arrays: each
    element of the same type)."""
    assert type(a) is type(b)
    if isinstance(a, pd.DataFrame):
        assert list(a.columns) == list(b.columns) and list(a.dtypes) == list(b.dtypes)
        a, b = a.to_numpy(), b.to_numpy()
    if sp.issparse(a):
        assert a.format == b.format
        a, b = a.toarray(), b.toarray()
    assert a.dtype == b.dtype and a.shape == b.shape
    assert (
        a.flags.c_contiguous == b.flags.c_contiguous
        and a.flags.f_contiguous == b.flags.f_contiguous
    )
    if a.dtype.kind == "O":
        for x, y in zip(a.ravel().tolist(), b.ravel().tolist()):
            assert type(x) is type(y) and (x == y or (x != x and y != y)), (x, y)
    else:
        assert a.tobytes() == b.tobytes()


def assert_same_state(rebuilt, est):
    fitted = {k for k in vars(est) if k.endswith("_") and not k.startswith("_")}
    assert fitted == {k for k in vars(rebuilt) if k.endswith("_") and not k.startswith("_")}
    for key in fitted - {"indicator_"}:
        a, b = getattr(est, key), getattr(rebuilt, key)
        assert type(a) is type(b), key
        if isinstance(a, np.ndarray):
            assert_identical(a, b)
        else:
            assert a == b, key
    for key in ("_fit_dtype", "_fill_dtype"):
        assert getattr(rebuilt, key, None) == getattr(est, key, None)
    if est.indicator_ is None:
        assert rebuilt.indicator_ is None
        return
    a, b = est.indicator_, rebuilt.indicator_
    assert type(b) is MissingIndicator
    assert str(a.get_params()) == str(b.get_params())  # (NaN != NaN)
    assert vars(a).keys() == vars(b).keys()
    assert_identical(a.features_, b.features_)
    assert (a.n_features_in_, a._n_features, a._precomputed) == (
        b.n_features_in_,
        b._n_features,
        b._precomputed,
    )


@pytest.mark.parametrize("arrays", ["list", "base64"])
@pytest.mark.parametrize("name", list(CONFIGS))
def test_roundtrip_transforms_identically(name, arrays):
    est, X_test = _fit(name)
    rebuilt = jm.loads(jm.dumps(est, arrays=arrays))
    assert str(rebuilt.get_params()) == str(est.get_params())
    assert_same_state(rebuilt, est)
    assert_identical(_transform(rebuilt, X_test), _transform(est, X_test))
    assert list(rebuilt.get_feature_names_out()) == list(est.get_feature_names_out())
    out = _transform(est, X_test)
    if est.add_indicator and isinstance(out, np.ndarray) and out.dtype.kind == "f":
        assert_same_outcome(rebuilt.inverse_transform, est.inverse_transform, np.asarray(out))


def assert_same_outcome(ours, theirs, X):
    """The same result, or the same exception (scikit-learn's inverse_transform fails on some
    imputers)."""
    try:
        expected = theirs(X)
    except Exception as exc:  # noqa: BLE001
        with pytest.raises(type(exc)):
            ours(X)
        return
    assert_identical(ours(X), expected)


def test_transform_dtypes():
    """Object output for string columns, float64 for numbers, as scikit-learn's."""
    est, X_test = _fit("frame-most_frequent")
    assert jm.loads(jm.dumps(est)).transform(X_test).dtype == object
    est, X_test = _fit("numbers-mean")
    assert _transform(jm.loads(jm.dumps(est)), X_test).dtype == np.float64


def test_statistics_with_strings_and_nan():
    est, _ = _fit("frame-most_frequent")
    doc = jm.to_dict(est)
    assert doc["state"]["statistics_dtype"] == "object"
    assert [type(v) for v in doc["state"]["statistics"]] == [float, str, int, str]
    est, _ = _fit("numbers-mean")
    doc = jm.to_dict(est)
    assert doc["state"]["statistics"][3] == "NaN"  # no observed value
    rebuilt = jm.from_dict(doc)
    assert np.isnan(rebuilt.statistics_[3])
    assert list(rebuilt.get_feature_names_out()) == ["x0", "x1", "x2"]
    assert _transform(rebuilt, X_NUM_TEST).shape == (11, 3)  # the feature is dropped


def test_keep_empty_features_keeps_the_feature():
    est, _ = _fit("numbers-mean-keep_empty_features-add_indicator")
    rebuilt = jm.loads(jm.dumps(est))
    assert rebuilt.statistics_[3] == 0
    out = _transform(rebuilt, X_NUM_TEST)
    assert out.shape == (11, 8) and (out[:, 3] == 0).all()
    assert_identical(out, _transform(est, X_NUM_TEST))


def test_constant_nan_statistics_across_versions():
    """Strategy constant with a NaN statistic: before 1.8 the feature is kept (and filled with
    NaN), from 1.8 dropped. A document says which; a version that does the other refuses it."""
    est = SimpleImputer(strategy="constant", fill_value=np.nan).fit(X_NUM)
    doc = jm.to_dict(est)
    drops = _compat.constant_drops_empty()
    assert doc["state"].get("fills_nan", False) is not drops
    assert (_transform(jm.from_dict(doc), X_NUM_TEST).shape[1] == 0) is drops
    if drops:
        doc["state"]["fills_nan"] = True
    else:
        del doc["state"]["fills_nan"]
    with pytest.raises(jm.UnsupportedModelError, match="1.8"):
        jm.from_dict(doc)


def test_missing_values_markers():
    for name, X in (("minus-one-mean", MINUS_ONE[:12]), ("question-mark-constant", MARKED[:12])):
        est, _ = _fit(name)
        out = jm.loads(jm.dumps(est)).transform(X)
        assert not (out[:, : X.shape[1]] == est.missing_values).any()
    doc = jm.to_dict(_fit("numbers-mean")[0])
    assert doc["params"]["missing_values"] == {"float": "NaN"}


def test_none_as_missing_values():
    X = np.where(MARKED == "?", None, MARKED)
    est = SimpleImputer(strategy="most_frequent", missing_values=None).fit(X)
    rebuilt = jm.loads(jm.dumps(est))
    assert rebuilt.missing_values is None
    assert_identical(rebuilt.transform(X), est.transform(X))


# ---------------------------------------------------------------- invalid documents


def _doc(name="numbers-constant-add_indicator"):
    return jm.to_dict(_fit(name)[0])


INVALID = {
    "statistics too short": (lambda d: d["state"]["statistics"].pop(), "/state/statistics"),
    "statistic not a number": (
        lambda d: d["state"]["statistics"].__setitem__(1, "x"),
        "/state/statistics/1",
    ),
    "int statistic not integral": (
        lambda d: d["state"].update(statistics_dtype="int64", statistics=[1, 2, 2.5, 3]),
        "/state/statistics/2",
    ),
    "string statistic, numeric fit": (
        lambda d: d["state"].update(statistics_dtype="object", statistics=[1, "a", 2, 3]),
        "/state/statistics/1",
    ),
    "bad tag": (
        lambda d: d["state"].update(
            statistics_dtype="object", fit_dtype="object", statistics=[1, {"float": "nan"}, 2, 3]
        ),
        "/state/statistics/1/float",
    ),
    "unknown dtype": (lambda d: d["state"].update(fit_dtype="complex128"), "/state/fit_dtype"),
    "indicator out of range": (
        lambda d: d["state"].update(indicator_features=[0, 4]),
        "/state/indicator_features/1",
    ),
    "indicator not increasing": (
        lambda d: d["state"].update(indicator_features=[2, 1]),
        "/state/indicator_features/1",
    ),
    "indicator without add_indicator": (
        lambda d: d["params"].update(add_indicator=False),
        "/state/indicator_features",
    ),
    "no indicator with add_indicator": (lambda d: d["state"].pop("indicator_features"), "/state"),
    "fills_nan with mean": (
        lambda d: d["state"].update(fills_nan=True) or d["params"].update(strategy="mean"),
        "/state/fills_nan",
    ),
    "missing_values an object": (
        lambda d: d["params"].update(missing_values={"float": "nan"}),
        "/params/missing_values/float",
    ),
}


@pytest.mark.parametrize("case", list(INVALID))
def test_invalid_documents_are_refused_with_the_pointer(case):
    edit, pointer = INVALID[case]
    doc = _doc()
    edit(doc)
    with pytest.raises(InvalidModelError) as info:
        jm.from_dict(doc)
    assert info.value.pointer == pointer, str(info.value)


# ---------------------------------------------------------------- JavaScript, bit for bit

NODE_SCRIPT = """
import { loadModel } from "./src/index.js";
let text = "";
for await (const chunk of process.stdin) text += chunk;
const bits = (x) => new BigUint64Array(new Float64Array([x]).buffer)[0].toString(16);
const out = JSON.parse(text).map(({ doc, rows }) => {
  try {
    const out = loadModel(doc).transform(rows);
    return out.map((r) => r.map((x) => (typeof x === "number" ? bits(x) : { s: x })));
  } catch (e) { return { error: `${e.name}: ${e.message}` }; }
});
process.stdout.write(JSON.stringify(out));
"""


def _rows(X):
    X = X.to_numpy(dtype=object) if isinstance(X, pd.DataFrame) else np.asarray(X, dtype=object)
    return [
        [
            None
            if isinstance(v, float) and v != v
            else (v.item() if isinstance(v, np.generic) else v)
            for v in row
        ]
        for row in X
    ]


def _bits(x) -> str:
    return format(struct.unpack("<Q", struct.pack("<d", float(x)))[0], "x")


def test_javascript_transforms_bit_for_bit():
    names = [n for n in CONFIGS if not n.startswith(("sparse", "pandas", "float32"))]
    payload, expected = [], []
    for name in names:
        est, X_test = _fit(name)
        out = np.asarray(_transform(est, X_test), dtype=object)
        payload.append({"doc": jm.to_dict(est), "rows": _rows(X_test)})
        expected.append(
            [[{"s": v} if isinstance(v, str) else _bits(v) for v in row] for row in out.tolist()]
        )
    result = run_node("--input-type=module", "-e", NODE_SCRIPT, input_text=json.dumps(payload))
    assert result.returncode == 0, result.stderr
    got = json.loads(result.stdout)
    compared = 0
    for name, want, have in zip(names, expected, got):
        assert have == want, name
        compared += sum(map(len, want))
    assert compared > 2000  # (2,725 values)


def test_unsupported_imputers_are_refused():
    with pytest.raises(jm.UnsupportedModelError, match="float16"):
        jm.dumps(SimpleImputer().fit(X_NUM.astype(np.float16)))
    try:
        est = SimpleImputer(strategy=np.nanmax).fit(X_NUM[:, :3])
    except ValueError:  # (a callable strategy came in 1.5)
        return
    with pytest.raises(jm.UnsupportedModelError, match="strategy"):
        jm.dumps(est)
