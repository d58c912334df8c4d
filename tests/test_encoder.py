"""OneHotEncoder and OrdinalEncoder: what the zoo's generic tests cannot say. Round trips on
numpy arrays of each kind (object with None and NaN, fixed-width strings, integers, floats),
unknown categories under each handle_unknown, every fitted attribute, and hand-written
invalid documents refused at their JSON Pointer (in Python, and in Node from the same
documents)."""

from __future__ import annotations

import copy
import json
import warnings

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.preprocessing import OneHotEncoder, OrdinalEncoder

import json_models
from json_models import InvalidModelError, UnsupportedModelError, _compat

OBJECTS = np.array(
    [["a", None, 1], [None, np.nan, 2], [np.nan, "x", 2], ["a", "x", 3], ["b", "x", 3]],
    dtype=object,
)
OBJECTS_NEW = np.array([["a", "y", 1], ["c", np.nan, 9], [np.nan, None, 2]], dtype=object)
FLOATS = np.array([[1.5, 2.0], [np.nan, 3.0], [2.5, 2.0], [1.5, 2.0], [-0.0, 7.0]])
INTS = np.array([[1, 2], [3, 3], [2, 2], [1, 7]], dtype=np.int64)
STRINGS = np.array([["a", "bb"], ["c", "d"], ["a", "d"]])

ARRAYS = {
    "objects": (OBJECTS, OBJECTS_NEW),
    "floats": (FLOATS, FLOATS + 1),
    "float32": (FLOATS.astype(np.float32), FLOATS + 0.5),
    "ints": (INTS, INTS + 1),
    "uint8": (INTS.astype(np.uint8), INTS - 1),
    "strings": (STRINGS, np.array([["a", "zz"], ["c", "bb"]])),
}

ENCODERS = {
    "error": lambda: OneHotEncoder(),
    "ignore": lambda: OneHotEncoder(handle_unknown="ignore"),
    "ignore-dense-first": lambda: OneHotEncoder(
        handle_unknown="ignore", drop="first", sparse_output=False, dtype=np.float32
    ),
    "infrequent": lambda: OneHotEncoder(
        handle_unknown="infrequent_if_exist", min_frequency=2, drop="if_binary"
    ),
    "max-categories": lambda: OneHotEncoder(
        handle_unknown="infrequent_if_exist", max_categories=2, sparse_output=False
    ),
    "ordinal": lambda: OrdinalEncoder(),
    "ordinal-unknown": lambda: OrdinalEncoder(
        handle_unknown="use_encoded_value", unknown_value=-1, encoded_missing_value=-2
    ),
    "ordinal-nan-infrequent": lambda: OrdinalEncoder(
        handle_unknown="use_encoded_value", unknown_value=np.nan, max_categories=2
    ),
}


def _same(want, got):
    if sp.issparse(want):
        assert type(got) is type(want) and got.format == want.format
        assert got.dtype == want.dtype and got.indices.dtype == want.indices.dtype
        assert (got != want).nnz == 0
        return
    want, got = np.asarray(want), np.asarray(got)
    assert got.dtype == want.dtype and got.shape == want.shape
    if want.dtype.kind == "f":
        bits = f"u{want.itemsize}"
        assert (want.view(bits) == got.view(bits)).all()
    else:
        assert want.tolist() == got.tolist() or str(want) == str(got)


def _outcome(method, X):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return method(X)
        except (ValueError, IndexError) as exc:  # IndexError: scikit-learn's inverse of -1
            return type(exc), str(exc)


def _attributes_equal(est, back):
    assert set(vars(est)) == set(vars(back))
    for key, value in vars(est).items():
        other = getattr(back, key)
        if key == "categories_":
            for a, b in zip(value, other, strict=True):
                assert a.dtype == b.dtype
                assert [type(x) for x in a.tolist()] == [type(x) for x in b.tolist()]
                assert str(a.tolist()) == str(b.tolist())
        elif isinstance(value, (list, np.ndarray, dict)):
            assert type(other) is type(value) and str(other) == str(value), key
            items = value.values() if isinstance(value, dict) else value
            others = other.values() if isinstance(other, dict) else other
            for a, b in zip(items, others, strict=True):
                assert type(a) is type(b), key
                assert getattr(a, "dtype", None) == getattr(b, "dtype", None), key
            if isinstance(value, np.ndarray):
                assert value.dtype == other.dtype
        else:
            assert type(other) is type(value) and str(other) == str(value), key


def _fit(make, X):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return make().fit(X)


@pytest.mark.parametrize("data", ARRAYS)
@pytest.mark.parametrize("config", ENCODERS)
def test_round_trip(config, data):
    X, X_new = ARRAYS[data]
    try:
        est = _fit(ENCODERS[config], X)
    except ValueError:
        pytest.skip("scikit-learn refuses this configuration for these data")
    doc = json_models.to_dict(est)
    json_models.validate(doc)
    back = json_models.loads(json_models.dumps(est))
    _attributes_equal(est, back)
    assert est.get_params().keys() == back.get_params().keys()
    _same(est.get_feature_names_out(), back.get_feature_names_out())
    for rows in (X, X_new):
        want, got = _outcome(est.transform, rows), _outcome(back.transform, rows)
        if isinstance(want, tuple):  # handle_unknown="error": the same error
            assert got == want
            continue
        _same(want, got)
        inverse = _outcome(est.inverse_transform, want)
        if not isinstance(inverse, tuple):
            _same(inverse, back.inverse_transform(got))
    if hasattr(est, "_infrequent_indices"):
        assert str(est.infrequent_categories_) == str(back.infrequent_categories_)


def test_unknown_category_error_is_scikit_learns():
    est = _fit(lambda: OneHotEncoder(), OBJECTS)
    back = json_models.loads(json_models.dumps(est))
    with pytest.raises(ValueError, match=r"Found unknown categories \['c'\] in column 0"):
        back.transform(OBJECTS_NEW)


def test_none_and_nan_are_two_categories():
    est = _fit(lambda: OneHotEncoder(sparse_output=False), OBJECTS)
    doc = json_models.to_dict(est)
    assert doc["state"]["categories"][1] == {"dtype": "|O", "values": ["x", None], "nan": True}
    back = json_models.from_dict(doc)
    assert back.categories_[1][1] is None and np.isnan(back.categories_[1][2])
    _same(est.transform(OBJECTS), back.transform(OBJECTS))


def test_dataframe_round_trip_with_pandas_output():
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame(
        {
            "city": pd.Series(["a", "b", np.nan, "a", "c"], dtype=object),
            "n": np.array([1, 2, 3, 1, 2], dtype=np.int64),
        }
    )
    est = OneHotEncoder(sparse_output=False, handle_unknown="ignore").set_output(transform="pandas")
    est.fit(frame)
    back = json_models.loads(json_models.dumps(est))
    pd.testing.assert_frame_equal(est.transform(frame), back.transform(frame))
    assert back.feature_names_in_.tolist() == ["city", "n"]


@pytest.mark.skipif(not _compat.onehot_takes_warn(), reason="handle_unknown='warn' is new in 1.6")
def test_warn_is_kept():
    est = _fit(lambda: OneHotEncoder(handle_unknown="warn", min_frequency=2), OBJECTS)
    back = json_models.loads(json_models.dumps(est))
    assert back.handle_unknown == "warn"
    with pytest.warns(UserWarning, match="unknown categories"):
        _same(est.transform(OBJECTS_NEW), back.transform(OBJECTS_NEW))


@pytest.mark.parametrize("written", ["ignore", "infrequent_if_exist"])
@pytest.mark.parametrize("reader_warn", [None, "ignore", "infrequent_if_exist"])
def test_warn_loads_as_its_writer_encoded(monkeypatch, written, reader_warn):
    """handle_unknown="warn" (1.6+) encodes unknown values as "ignore" does in 1.6 and 1.7,
    as "infrequent_if_exist" does from 1.8, and does not exist before 1.6 (None): the state
    says which, and a reader whose "warn" differs, or lacks it, loads it as that."""
    if reader_warn == written or (reader_warn and not _compat.onehot_takes_warn()):
        pytest.skip("nothing differs, or this scikit-learn has no handle_unknown='warn'")
    want = _fit(lambda: OneHotEncoder(handle_unknown=written, min_frequency=2), OBJECTS)
    doc = json_models.to_dict(want)
    assert doc["state"]["handle_unknown"] == written
    # The parameters as the reader builds them: "warn", or its default where it has none.
    doc["params"]["handle_unknown"] = "warn" if reader_warn else "error"
    doc["state"]["warn_unknown"] = True  # (as a writer whose parameter was "warn" says)
    monkeypatch.setattr(_compat, "onehot_warn_encodes_as", lambda: reader_warn)
    monkeypatch.setattr(_compat, "onehot_takes_warn", lambda: reader_warn is not None)
    with pytest.warns(UserWarning, match=f"loaded as handle_unknown='{written}'"):
        back = json_models.from_dict(doc)
    assert back.handle_unknown == written
    _same(want.transform(OBJECTS_NEW), back.transform(OBJECTS_NEW))


def test_unsupported_categories_are_refused():
    est = _fit(lambda: OneHotEncoder(), np.array([[True], [False]]))
    with pytest.raises(UnsupportedModelError, match=r"categories_\[0\] has dtype bool"):
        json_models.to_dict(est)
    est = _fit(lambda: OneHotEncoder(), np.array([[1], [2.5]], dtype=object))
    with pytest.raises(UnsupportedModelError, match="all integers or all floats"):
        json_models.to_dict(est)


# ---------------------------------------------------------------- invalid documents


def _doc(make, X):
    return json_models.to_dict(_fit(make, X))


def _onehot():
    return _doc(lambda: OneHotEncoder(drop="first"), OBJECTS)


def _ints():
    return _doc(lambda: OneHotEncoder(drop="first"), INTS)


def _infrequent():
    return _doc(lambda: OrdinalEncoder(min_frequency=2), OBJECTS)


def _set(doc, path, value):
    node = doc
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    return doc


# (document maker, path to change, new value, pointer of the error, words of the message)
INVALID = [
    (
        _onehot,
        ("state", "categories", 0, "values", 1),
        3,
        "/state/categories/0/values",
        "all strings or all numbers",
    ),
    (
        _ints,
        ("state", "categories", 1, "values", 1),
        "3",
        "/state/categories/1/values/1",
        'expected a number, found the string "3"',
    ),
    (
        _onehot,
        ("state", "categories", 0, "dtype"),
        "<i8",
        "/state/categories/0/values/0",
        "expected a number",
    ),
    (_onehot, ("state", "categories", 0, "dtype"), "<M8", "/state/categories/0/dtype", ""),
    (_onehot, ("state", "categories", 0, "values", 1), "a", "/state/categories/0/values", "unique"),
    (_onehot, ("state", "categories", 2, "values"), [], "/state/categories/2/values", ""),
    (_onehot, ("state", "categories"), [], "/state/categories", ""),
    (_onehot, ("state", "drop_idx", 1), 3, "/state/drop_idx/1", "[0, 2]"),
    (_onehot, ("state", "drop_idx", 0), -1, "/state/drop_idx/0", ""),
    (_onehot, ("state", "drop_idx", 0), 1, "/state/drop_idx", "/params/drop"),
    (_onehot, ("state", "drop_idx"), [0, 0], "/state/drop_idx", ""),
    (
        _onehot,
        ("state", "handle_unknown"),
        "ignore",
        "/state/handle_unknown",
        "/params/handle_unknown",
    ),
    (_onehot, ("state", "infrequent"), [None, None, None], "/state/infrequent", ""),
    (_infrequent, ("state", "infrequent", 0), [7], "/state/infrequent/0/0", "[0, 2]"),
    (_infrequent, ("state", "infrequent", 1), [1, 0], "/state/infrequent/1/1", "increasing"),
    (_infrequent, ("state", "infrequent", 1), [], "/state/infrequent/1", ""),
    (_infrequent, ("state", "drop_idx"), None, "/state", ""),
]


def _invalid(case):
    make, path, value, pointer, words = case
    return _set(copy.deepcopy(make()), path, value), pointer, words


def _ids():
    return [f"{'/'.join(map(str, path[1:]))}={json.dumps(value)}" for _, path, value, *_ in INVALID]


@pytest.mark.parametrize("case", INVALID, ids=_ids())
def test_invalid_document_refused_at_its_pointer(case):
    doc, pointer, words = _invalid(case)
    with pytest.raises(InvalidModelError) as info:
        json_models.from_dict(doc)
    assert info.value.pointer == pointer, str(info.value)
    assert words in str(info.value)


def test_numeric_categories_must_be_sorted_and_exact():
    doc = _doc(lambda: OneHotEncoder(), FLOATS)
    bad = _set(copy.deepcopy(doc), ("state", "categories", 0, "values"), [2.5, 1.5])
    with pytest.raises(InvalidModelError, match="increasing") as info:
        json_models.from_dict(bad)
    assert info.value.pointer == "/state/categories/0/values/1"
    doc = _doc(lambda: OneHotEncoder(), FLOATS.astype(np.float32))
    bad = _set(copy.deepcopy(doc), ("state", "categories", 0, "values", 0), 0.1)
    with pytest.raises(InvalidModelError, match="holds exactly"):
        json_models.from_dict(bad)
    doc = _doc(lambda: OneHotEncoder(), INTS)
    bad = _set(copy.deepcopy(doc), ("state", "categories", 0, "nan"), True)
    with pytest.raises(InvalidModelError, match="float or object dtype") as info:
        json_models.from_dict(bad)
    assert info.value.pointer.startswith("/state/categories/0")
