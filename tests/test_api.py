"""The pickle-like API: files, compression, and the errors a user meets."""

from __future__ import annotations

import io
import re

import numpy as np
import orjson
import pytest
from cases import fitted, outputs, probe_rows
from conftest import assert_same_outputs
from sklearn.cluster import KMeans
from sklearn.exceptions import NotFittedError
from sklearn.linear_model import LogisticRegression
from sklearn.tree import DecisionTreeClassifier

import json_models as jm
from json_models._api import MAGIC

CASE = "tree-DecisionTreeClassifier-iris_nan-str"
COMPRESSIONS = [None, "gzip", "bz2", "lzma", ("gzip", 1), ("lzma", 9)]


def _check_same(est, data, rebuilt):
    X = probe_rows(est, data)
    assert_same_outputs(outputs(rebuilt, X), outputs(est, X))


@pytest.mark.parametrize("compress", COMPRESSIONS, ids=str)
def test_dump_load_path_and_file_object(tmp_path, compress):
    est, data = fitted(CASE)
    path = tmp_path / "model.json"
    jm.dump(est, path, compress=compress)
    _check_same(est, data, jm.load(path))
    _check_same(est, data, jm.load(str(path)))

    buffer = io.BytesIO()
    jm.dump(est, buffer, compress=compress)
    raw = buffer.getvalue()
    name = compress[0] if isinstance(compress, tuple) else compress
    assert (next((n for m, n in MAGIC.items() if raw.startswith(m)), None)) == name
    _check_same(est, data, jm.load(io.BytesIO(raw)))
    _check_same(est, data, jm.loads(raw))


@pytest.mark.parametrize(
    "suffix, magic", [(".gz", b"\x1f\x8b"), (".bz2", b"BZh"), (".xz", b"\xfd7zXZ")]
)
def test_compression_follows_the_suffix(tmp_path, suffix, magic):
    est, data = fitted(CASE)
    path = tmp_path / f"model.json{suffix}"
    jm.dump(est, path)
    assert path.read_bytes().startswith(magic)
    _check_same(est, data, jm.load(path))


def test_loads_takes_str_and_bytes():
    est, data = fitted(CASE)
    text = jm.dumps(est)
    assert isinstance(text, str)
    _check_same(est, data, jm.loads(text))
    _check_same(est, data, jm.loads(text.encode()))
    _check_same(est, data, jm.from_dict(jm.to_dict(est)))


def test_unknown_compression_is_refused():
    est, _ = fitted(CASE)
    with pytest.raises(ValueError, match="compress"):
        jm.dump(est, io.BytesIO(), compress="zip")


def test_unsupported_estimator_names_the_class_and_where_the_supported_list_is():
    X, y = np.random.RandomState(0).rand(20, 3), np.arange(20) % 2
    with pytest.raises(jm.UnsupportedModelError) as info:
        jm.to_dict(KMeans(n_clusters=2, n_init=1).fit(X, y))
    assert str(info.value) == (
        "sklearn.cluster.KMeans is not supported by json-models. The supported estimators: "
        "json_models.supported_estimators(), or the table in the README"
    )
    assert isinstance(info.value, TypeError)
    supported = jm.supported_estimators()
    assert supported["sklearn.linear_model.LogisticRegression"] == "logistic"
    assert sorted(supported) == sorted(jm.SUPPORTED)


def test_subclass_is_refused():
    class MyLogistic(LogisticRegression):
        pass

    X, y = np.random.RandomState(0).rand(20, 3), np.arange(20) % 2
    with pytest.raises(jm.UnsupportedModelError, match="MyLogistic"):
        jm.dumps(MyLogistic().fit(X, y))


def test_unfitted_estimator_raises_not_fitted():
    with pytest.raises(NotFittedError):
        jm.to_dict(DecisionTreeClassifier())


def test_parameter_that_is_not_json_is_refused():
    X, y = np.random.RandomState(0).rand(20, 3), np.arange(20) % 2
    est = DecisionTreeClassifier(random_state=np.random.RandomState(0)).fit(X, y)
    with pytest.raises(jm.UnsupportedModelError, match="random_state"):
        jm.to_dict(est)


def test_newer_major_version_is_refused_older_minor_and_newer_minor_are_read():
    est, data = fitted(CASE)
    doc = jm.to_dict(est)
    with pytest.raises(jm.UnsupportedVersionError, match="/format_version"):
        jm.from_dict({**doc, "format_version": "2.0"})
    for version in ("1.0", "1.7"):
        _check_same(est, data, jm.from_dict({**doc, "format_version": version}))


def test_a_newer_minor_may_add_fields():
    est, data = fitted(CASE)
    doc = jm.to_dict(est)
    doc["comment"] = "a field added by a later minor version"
    _check_same(est, data, jm.from_dict(doc))


def test_estimator_names_map_through_the_allow_list_only():
    doc = jm.to_dict(fitted(CASE)[0])
    for name in (
        "os.system",
        "builtins.eval",
        "sklearn.cluster.KMeans",
        "sklearn.tree._classes.DecisionTreeClassifier",
    ):
        with pytest.raises(jm.InvalidModelError, match="/estimator"):
            jm.from_dict({**doc, "estimator": name})


def test_error_messages_carry_a_json_pointer():
    doc = jm.to_dict(fitted(CASE)[0])
    doc["state"]["tree"]["children_left"][0] = 0  # a cycle: the root as its own child
    with pytest.raises(jm.InvalidModelError) as info:
        jm.from_dict(doc)
    assert info.value.pointer == "/state/tree/children_left/0"
    assert str(info.value).startswith("/state/tree/children_left/0: ")


@pytest.mark.parametrize(
    "case_id",
    [
        CASE,
        "forest-RandomForestClassifier-iris",
        "boosting-GradientBoostingRegressor-diabetes-huber",
    ],
)
def test_compact_document_says_what_it_cannot_provide(case_id):
    est, data = fitted(case_id)
    with pytest.warns(jm.CompactModelWarning, match="feature_importances_"):
        rebuilt = jm.loads(jm.dumps(est, compact=True))
    _check_same(est, data, rebuilt)
    for name in ("feature_importances_",):
        with pytest.raises(AttributeError, match=rf"^{name} is not available: .*compact=True"):
            getattr(rebuilt, name)
    tree = rebuilt.tree_ if hasattr(rebuilt, "tree_") else np.ravel(rebuilt.estimators_)[0].tree_
    for name in ("impurity", "n_node_samples", "weighted_n_node_samples"):
        with pytest.raises(AttributeError, match=rf"^tree_\.{name} is not available"):
            getattr(tree, name)
    assert not hasattr(rebuilt, "feature_importances_")


def test_class_weight_dict_round_trips():
    est, _ = fitted("logistic-LogisticRegression-iris-weights")
    doc = jm.to_dict(est)
    assert doc["params"]["class_weight"] == [[0, 1.0], [1, 2.5], [2, 0.5]]
    assert jm.from_dict(doc).class_weight == {0: 1.0, 1: 2.5, 2: 0.5}


def test_feature_names_are_kept():
    pd = pytest.importorskip("pandas")
    X = pd.DataFrame(np.random.RandomState(0).rand(30, 3), columns=["a", "b", "c"])
    y = np.arange(30) % 3
    est = DecisionTreeClassifier(random_state=0).fit(X, y)
    doc = jm.to_dict(est)
    assert doc["state"]["feature_names_in"] == ["a", "b", "c"]
    rebuilt = jm.from_dict(doc)
    assert list(rebuilt.feature_names_in_) == ["a", "b", "c"]
    np.testing.assert_array_equal(rebuilt.predict(X), est.predict(X))


NUMBERS = list(range(20))
PARSED = [
    # (JSON text of /state/value, what loads() reads there: a list, or (dtype, shape) of an
    # array; a key no schema names is read whole, as lists)
    (NUMBERS, ("int64", (20,))),
    ([*NUMBERS[:-1], 0.5], ("float64", (20,))),
    ([[x, x + 0.5] for x in NUMBERS], ("float64", (20, 2))),
    ([[[x, x, x]] for x in NUMBERS], ("int64", (20, 1, 3))),
    (NUMBERS[:15], list),  # short arrays stay lists
    ([*NUMBERS[:-1], True], list),  # a boolean is not a number
    ([*NUMBERS[:-1], "NaN"], list),
    ([*NUMBERS[:-1], None], list),
    ([[x] for x in NUMBERS[:-1]] + [[1, 2]], list),  # ragged
    ([[x] for x in NUMBERS[:-2]] + [[], [1, 2]], list),  # ragged, with the right count
    ([[x, x] for x in NUMBERS[:-2]] + [[1, 2, 3], 4], list),  # a number among rows
    # Arrays hidden among the numbers, with the count of numbers and the row lengths right:
    ([*NUMBERS[:-3], [], [1, 2]], list),
    ([*NUMBERS[:-1], [19]], list),
    ([[[x, x, x]] for x in NUMBERS[:-1]] + [[[[], 1, [2, 3]]]], list),
]


@pytest.mark.parametrize("value, expected", PARSED, ids=range(len(PARSED)))
def test_parser_reads_long_numeric_arrays_as_numpy_and_the_rest_as_json(value, expected):
    from json_models._parse import parse

    doc = parse(orjson.dumps({"params": {"value": NUMBERS}, "state": {"value": value}}))
    assert doc["params"]["value"] == NUMBERS  # arrays outside the fitted state stay lists
    got = doc["state"]["value"]
    if expected is list:
        assert type(got) is list and got == value
    else:
        assert isinstance(got, np.ndarray)
        assert (got.dtype.name, got.shape) == expected
        assert got.tolist() == value


def test_parser_reads_every_array_as_a_list_when_a_string_holds_a_bracket():
    """A ``[`` inside a string leaves the count of arrays that proves no array hides among the
    numbers unproven (see ``_parse``): such a text is read the plain way."""
    from json_models._parse import parse

    doc = parse(orjson.dumps({"state": {"coef": NUMBERS, "name": "x[0]"}}))
    assert type(doc["state"]["coef"]) is list and doc["state"]["coef"] == NUMBERS
    doc = parse(orjson.dumps({"state": {"coef": NUMBERS, "x[0]": 1}}))
    assert type(doc["state"]["coef"]) is list
    doc = parse(orjson.dumps({"state": {"coef": NUMBERS}}))
    assert isinstance(doc["state"]["coef"], np.ndarray)  # (and without the bracket, an array)


@pytest.mark.parametrize(
    "text",
    [
        b'{"format": "json-models", "format": "other"}',
        b'{"state": {"tree": {"value": [1], "value": [2]}}}',
        b'{"state": {"a": [' + b"1," * 40 + b'1], "a": {"b": 2}, "c": [1, 2], "a": 3}}',
        b'{"state": {' + b",".join(b'"k%d": [%d]' % (i % 90, i) for i in range(200)) + b"}}",
    ],
)
def test_a_key_given_twice_keeps_its_last_value(text):
    """As in JSON.parse, json.loads and orjson (so every reader and schema validator judges the
    same document), whatever the number of keys."""
    from json_models._parse import parse

    assert parse(text) == orjson.loads(text)


def test_runtime_parameters_are_the_loading_machines(capfd):
    """A document cannot choose this machine's threads or output: ``n_jobs``, ``verbose`` and
    ``warm_start`` load as scikit-learn's defaults unless the caller trusts the document."""
    from sklearn.ensemble import RandomForestClassifier

    est, data = fitted("forest-RandomForestClassifier-iris")
    doc = jm.to_dict(est)
    doc["params"].update(n_jobs=1_000_000, verbose=100, warm_start=True)
    rebuilt = jm.from_dict(doc)
    defaults = RandomForestClassifier().get_params()
    assert {k: rebuilt.get_params()[k] for k in ("n_jobs", "verbose", "warm_start")} == {
        k: defaults[k] for k in ("n_jobs", "verbose", "warm_start")
    }
    capfd.readouterr()
    _check_same(est, data, rebuilt)
    assert capfd.readouterr() == ("", "")  # (verbose=100 would report every tree)
    trusted = jm.loads(orjson.dumps(doc), keep_runtime_params=True)
    assert (trusted.n_jobs, trusted.verbose, trusted.warm_start) == (1_000_000, 100, True)


@pytest.mark.parametrize(
    "y, columns, message",
    [
        (np.array([0, 2**53]), None, "2**53"),
        (np.array([-(2**60), 1]), None, "2**53"),
        (np.array(["a\x00b", "c"], dtype=object), None, "U+0000"),
        (np.array(["a", "b"]), ["x", "y\x00"], "U+0000"),
        (np.array(["x" * 5000] + [f"l{i}" for i in range(4000)]), None, "padded"),
    ],
    ids=["2**53", "-2**60", "NUL label", "NUL feature name", "padded labels"],
)
def test_labels_no_reader_holds_exactly_are_refused_at_export(y, columns, message):
    import pandas as pd

    n = len(y) if len(y) > 2 else 4
    X = np.arange(2.0 * n).reshape(n, 2)
    y = np.resize(y, n)
    est = DecisionTreeClassifier(max_depth=2).fit(
        X if columns is None else pd.DataFrame(X, columns=columns), y
    )
    with pytest.raises(jm.UnsupportedModelError, match=re.escape(message)):
        jm.to_dict(est)


def test_a_long_array_of_the_model_loads_whatever_the_strings_hold():
    """A "[" in a feature name sends the text down the plain path (every array a list): a
    model's own arrays are as long as the model there too."""
    from json_models._parse import parse

    numbers = [0.5] * 1_100_000
    doc = parse(orjson.dumps({"state": {"coef": numbers, "feature_names_in": ["x[0]"]}}))
    assert type(doc["state"]["coef"]) is list and len(doc["state"]["coef"]) == len(numbers)


def test_loading_and_validating_refuse_what_python_alone_can_hold():
    """An integer label of 400 digits reaches ``from_dict`` only from Python (JSON readers make
    it a float); ``validate`` checks the runtime parameters as the document writes them."""
    est, _ = fitted("logistic-LogisticRegression-iris")
    doc = jm.to_dict(est)
    doc["state"]["classes"][2] = 10**400
    with pytest.raises(jm.InvalidModelError) as error:
        jm.from_dict(doc)
    assert error.value.pointer == "/state/classes/2"
    doc = jm.to_dict(fitted("forest-RandomForestClassifier-iris")[0])
    doc["params"]["n_jobs"] = "abc"
    with pytest.raises(jm.InvalidModelError, match="n_jobs"):
        jm.validate(doc)
    jm.from_dict(doc)  # (loading takes the default instead)
