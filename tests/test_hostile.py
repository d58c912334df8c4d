"""Hostile input: whatever the document or text, loading ends in an estimator that predicts, or
in a JsonModelsError; never another exception, a crash or a hang."""

from __future__ import annotations

import bz2
import copy
import functools
import gzip
import io
import os
import warnings

import numpy as np
import orjson
import pytest
from cases import fitted, probe_rows
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import json_models as jm
from json_models._validate import schema_validator

SEEDS = [
    ("tree-DecisionTreeClassifier-iris_nan-str", {}),
    ("tree-DecisionTreeClassifier-multi_classification", {"arrays": "base64"}),
    ("tree-ExtraTreeRegressor-multi_regression", {"compact": True}),
    ("logistic-LogisticRegression-iris-str", {}),
    ("logistic-LogisticRegression-breast_cancer-bool", {"arrays": "base64"}),
    ("linear-Ridge-multi_regression", {}),
    ("linear-Lasso-diabetes", {"arrays": "base64"}),
    ("forest-RandomForestClassifier-multi_classification-str", {"compact": True}),
    ("forest-RandomForestRegressor-diabetes_nan", {"arrays": "base64"}),  # (every version)
    ("boosting-GradientBoostingClassifier-iris-str", {}),
    ("boosting-GradientBoostingRegressor-diabetes-huber", {"compact": True}),
    ("hgb-HistGradientBoostingClassifier-hgb_cat-index", {}),
    ("hgb-HistGradientBoostingRegressor-diabetes_nan-poisson", {"arrays": "base64"}),
    # Documents of documents (numeric rows: the mutations resize them).
    ("pipeline-Pipeline-RandomForestClassifier-wine", {"arrays": "base64"}),
    ("pipeline-Pipeline-LinearRegression-diabetes-poly", {}),
    ("pipeline-Pipeline-DecisionTreeClassifier-iris_nan-str", {"compact": True}),
    # Networks, support vectors, naive Bayes, isolation trees and the linear long tail.
    ("mlp-MLPClassifier-iris-str-tanh-lbfgs", {}),
    ("mlp-MLPRegressor-multi_regression-logistic-lbfgs", {"arrays": "base64"}),
    ("mlp-MLPClassifier-breast_cancer-bool-logistic-sgd-early", {"compact": True}),
    ("svm-SVC-iris-str", {}),
    ("svm-NuSVC-wine-probability", {"arrays": "base64"}),
    ("svm-SVR-diabetes-no_support", {}),
    ("svm-OneClassSVM-iris", {"compact": True}),
    ("naive_bayes-GaussianNB-wine-str", {}),
    ("naive_bayes-BernoulliNB-iris-str-fit_prior", {"arrays": "base64"}),
    ("isolation-IsolationForest-breast_cancer-subsets", {"arrays": "base64"}),
    ("glm-TweedieRegressor-diabetes", {}),
    ("linear-BayesianRidge-wine", {"compact": True}),
    ("linear-SGDRegressor-iris-average", {"arrays": "base64"}),
    ("logistic-LogisticRegressionCV-iris-str", {"compact": True}),
    ("linear_classifier-SGDClassifier-wine-str-modified_huber", {}),
    ("linear_classifier-RidgeClassifier-iris-str", {"arrays": "base64"}),
]
ODD_VALUES = [
    None,
    True,
    False,
    0,
    -1,
    1,
    2,
    -2,
    3,
    2**31,
    2**63 - 1,
    -(2**63),
    2**64,
    1e308,
    -1e308,
    0.5,
    float("nan"),
    float("inf"),
    "",
    "x",
    "Infinity",
    "NaN",
    "-Infinity",
    "os.system",
    [],
    [0],
    [[]],
    [[[1.0]]],
    {},
    {"dtype": "float64", "shape": [1], "base64": "AAAAAAAA8D8="},
    {"dtype": "int32", "shape": [2**30], "base64": ""},
    {"dtype": "float64", "shape": [1], "base64": "!!"},
]
NAMES = ["os.system", "builtins.eval", "sklearn.cluster.KMeans", "subprocess.Popen", "", "sklearn"]


@functools.cache
def seed_document(index: int) -> tuple[dict, np.ndarray]:
    """``(document, rows to predict)`` of ``SEEDS[index]``, made once, on first use: the
    mutations work on copies."""
    case_id, options = SEEDS[index]
    est, data = fitted(case_id)
    return jm.to_dict(est, **options), probe_rows(est, data)[:40]


def _paths(node, limit=4000):
    """Every (container, key) place in a document, iteratively; long arrays sampled."""
    out, stack = [], [node]
    while stack and len(out) < limit:
        current = stack.pop()
        items = current.items() if isinstance(current, dict) else enumerate(current)
        for key, child in items:
            if (
                isinstance(current, list)
                and len(current) > 8
                and key not in (0, 1, len(current) - 1)
            ):
                continue
            out.append((current, key))
            if isinstance(child, (dict, list)):
                stack.append(child)
    return out


@st.composite
def mutated_documents(draw):
    doc, X = seed_document(draw(st.sampled_from(range(len(SEEDS)))))
    doc = copy.deepcopy(doc)
    for _ in range(draw(st.integers(1, 3))):
        places = _paths(doc)
        if not places:
            break
        container, key = draw(st.sampled_from(places))
        action = draw(
            st.sampled_from(
                [
                    "delete",
                    "replace",
                    "shift",
                    "truncate",
                    "extend",
                    "ragged",
                    "name",
                    "version",
                    "size",
                    "label",
                ]
            )
        )
        if action == "delete":
            if isinstance(container, dict):
                del container[key]
            else:
                container.pop(key)
        elif action == "replace":
            container[key] = copy.deepcopy(draw(st.sampled_from(ODD_VALUES)))
        elif (
            action == "shift"
            and isinstance(container[key], (int, float))
            and not isinstance(container[key], bool)
        ):
            container[key] = container[key] + draw(st.sampled_from([-3, -1, 1, 2, 10**6, 0.5]))
        elif action == "truncate" and isinstance(container[key], list):
            container[key] = container[key][: draw(st.integers(0, max(0, len(container[key]) - 1)))]
        elif action == "extend" and isinstance(container[key], list) and container[key]:
            container[key] = container[key] + container[key][-1:]
        elif action == "ragged" and isinstance(container[key], list):
            _make_ragged(container[key])
        elif action == "size":  # a declared count, or a binary array's shape
            sizes = [(c, k) for c, k in places if k in SIZE_KEYS or _in_shape(c, doc)]
            if sizes:
                container, key = draw(st.sampled_from(sizes))
                container[key] = draw(st.sampled_from(ODD_SIZES))
        elif action == "label":
            labels = _label_lists(doc)
            if labels:
                target = draw(st.sampled_from(labels))
                target[draw(st.integers(0, len(target) - 1))] = draw(st.sampled_from(ODD_LABELS))
        elif action == "name":
            doc["estimator"] = draw(st.sampled_from(NAMES))
        elif action == "version":
            doc["format_version"] = draw(
                st.sampled_from(["2.0", "1", "1.0.0", "0.9", "99.1", "", None])
            )
    return doc, X


SIZE_KEYS = {
    "n_outputs",
    "n_classes",
    "n_features_in",
    "n_trees_per_iteration",
    "n_estimators",
    "max_features",
    "n_samples",
    "n_samples_bootstrap",
    "max_samples",
    "max_depth",
}
ODD_SIZES = [0, -1, 1.0, 2.0, 1.5, 3, 5e8, 2**31 - 1, 2**31, 2**53 + 1, 2**63, 10**30, True, None]
ODD_LABELS = [
    "a\u0000",
    "\u0000",
    "x" * 200_000,
    "\ud800",
    "\U0001f600",
    "",
    2**53,
    2**53 + 1,
    -(2**60),
    1.5,
    1e300,
    True,
    None,
    [1],
]


def _in_shape(container, doc) -> bool:
    """Whether ``container`` is the ``shape`` list of a binary array in ``doc``."""
    stack = [doc]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            if node.get("shape") is container and "base64" in node:
                return True
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(x for x in node if isinstance(x, (dict, list)))
    return False


def _label_lists(doc) -> list:
    """The lists of class labels in ``doc`` (one, or one per output)."""
    state = doc.get("state")
    classes = state.get("classes") if isinstance(state, dict) else None
    if not isinstance(classes, list) or not classes:
        return []
    return [c for c in classes if isinstance(c, list) and c] or [classes]


def _make_ragged(array: list) -> None:
    """Move a number from the next-to-last innermost list of ``array`` to the last: the count
    of numbers and the first row stay the same, the array is no longer rectangular."""
    rows = array
    while rows and isinstance(rows[0], list) and rows[0] and isinstance(rows[0][0], list):
        rows = [inner for row in rows if isinstance(row, list) for inner in row]
    if len(rows) >= 3 and all(isinstance(r, list) for r in rows[-2:]) and rows[-2]:
        rows[-1].append(rows[-2].pop())


def _load_or_error(load, arg, X):
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            est = load(arg)
    except jm.JsonModelsError as exc:
        assert str(exc)  # a message the user can act on
        return None
    # An accepted document must predict without error (on rows as wide as it says, where rows
    # that wide fit in memory: a tree may declare 2**31 - 1 features and use four).
    # (a pipeline's width is its first step's: passthrough has none; the document says it)
    width = arg["state"]["n_features_in"] if isinstance(arg, dict) else est.n_features_in_
    if width > 10**5:
        return est
    X = np.resize(X, (len(X), width))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for method in ("predict", "predict_proba", "decision_function", "transform"):
            if hasattr(est, method):
                getattr(est, method)(X)
    return est


# Run more by hand: JM_HOSTILE_EXAMPLES=2000 pytest tests/test_hostile.py
EXAMPLES = int(os.environ.get("JM_HOSTILE_EXAMPLES", 300))


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
@given(mutated_documents())
def test_mutated_documents_load_or_fail_cleanly(case):
    doc, X = case
    _load_or_error(jm.from_dict, doc, X)
    # validate() agrees with loading: what it accepts loads
    try:
        jm.validate(doc)
    except jm.JsonModelsError:
        return
    assert _load_or_error(jm.from_dict, doc, X) is not None


@settings(max_examples=EXAMPLES // 3, deadline=None, suppress_health_check=list(HealthCheck))
@given(mutated_documents())
def test_validate_refuses_what_the_whole_schema_refuses(case):
    """Loading gives the schema a skeleton of the document (long arrays of numbers cut short):
    whatever the schema refuses in the whole document, validation still refuses."""
    doc, _ = case
    if next(schema_validator().iter_errors(doc), None) is not None:
        with pytest.raises(jm.JsonModelsError):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                jm.validate(doc)


@settings(max_examples=EXAMPLES // 2, deadline=None, suppress_health_check=list(HealthCheck))
@given(mutated_documents())
def test_text_loads_as_its_parsed_dict_does(case):
    """``loads`` reads long arrays of numbers straight into numpy (``_parse``): for any text it
    must end as ``from_dict`` of the same text parsed by orjson does: the same error at the same
    place (or at a more precise place within it: the schema sees the array the parser left as
    a list), or the same predictions."""
    doc, X = case
    try:
        text = orjson.dumps(doc)
    except TypeError:  # an integer beyond 64 bits: no JSON writer here writes it
        assume(False)
    outcomes = []
    for load, arg in ((jm.loads, text), (jm.from_dict, orjson.loads(text))):
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                est = load(arg)
        except jm.JsonModelsError as exc:
            outcomes.append(("error", type(exc), getattr(exc, "pointer", None)))
            continue
        width = orjson.loads(text)["state"]["n_features_in"]  # (see _load_or_error)
        rows = np.resize(X, (len(X), width)) if width <= 10**5 else None  # (see _load_or_error)
        predict = getattr(est, "predict", None) or est.transform  # (a pipeline may end in either)
        outcomes.append(("loaded", None if rows is None else np.asarray(predict(rows)).tolist()))
    (kind, *text_outcome), (dict_kind, *dict_outcome) = outcomes
    assert kind == dict_kind
    if kind == "loaded":
        assert text_outcome == dict_outcome
    else:
        (text_error, text_at), (dict_error, dict_at) = text_outcome, dict_outcome
        assert text_error is dict_error
        inner, outer = sorted((text_at, dict_at), key=len, reverse=True)
        assert inner == outer or inner.startswith(outer + "/")


def _hide_an_array(array: list) -> None:
    """Replace the last two numbers ``x, y`` of the last innermost list of ``array`` by
    ``[], [x, y]``: the row keeps its length and the array its count of numbers."""
    row = array
    while row and isinstance(row[-1], list):
        row = row[-1]
    if len(row) >= 2:
        row[-2:] = [[], row[-2:]]


@pytest.mark.parametrize("seed", range(len(SEEDS)), ids=[s[0] for s in SEEDS])
@pytest.mark.parametrize("breaking", [_make_ragged, _hide_an_array])
def test_malformed_numeric_arrays_in_text_are_refused(seed, breaking):
    """An array of numbers whose count of numbers is right but whose rows are not, or among
    whose numbers an array hides (the parser flattens both), is refused: never read with its
    numbers shifted."""
    doc, _ = seed_document(seed)
    numeric = [
        (container, key)
        for container, key in _paths(doc, limit=100_000)
        if isinstance(container[key], list)
        and len(container[key]) >= 16
        and isinstance(container[key][0], (list, int, float))
        and (breaking is _hide_an_array or isinstance(container[key][0], list))
    ]
    for container, key in numeric:
        broken = copy.deepcopy(doc)
        target = broken
        for step in _path_to(doc, container, key):
            target = target[step]
        breaking(target)
        if broken == doc:  # nothing this breaking could do here (rows of one number)
            continue
        with pytest.raises(jm.InvalidModelError):
            jm.loads(orjson.dumps(broken))


def _path_to(doc, container, key):
    """The keys leading from ``doc`` to ``container[key]``."""
    stack = [(doc, [])]
    while stack:
        node, path = stack.pop()
        if node is container:
            return [*path, key]
        items = node.items() if isinstance(node, dict) else enumerate(node)
        stack.extend((child, [*path, k]) for k, child in items if isinstance(child, (dict, list)))
    raise LookupError(key)


def test_cyclic_and_shared_children_are_refused_with_a_pointer():
    doc, _ = seed_document(0)
    for column, index, value in [
        ("children_left", 2, 0),
        ("children_right", 0, 1),
        ("children_left", 0, 10**6),
    ]:
        broken = copy.deepcopy(doc)
        broken["state"]["tree"][column][index] = value
        with pytest.raises(jm.InvalidModelError, match="/state/tree/"):
            jm.from_dict(broken)


TEXTS = [
    b"",
    b" ",
    b"null",
    b"[]",
    b"{}",
    b"{",
    b'{"format": "json-models"',
    b"\xff\xfe\x00",
    b"[" * 100_000 + b"]" * 100_000,
    b'{"a":' * 50_000 + b"1" + b"}" * 50_000,
    b"NaN",
    b'{"format": "json-models", "format_version": "1.0", "x": NaN}',
    b"\x1f\x8b\x08\x00garbage",
    gzip.compress(b"not json"),
    gzip.compress(b'{"format": 1}')[:-5],
    bz2.compress(b"[1, 2")[:-3],
    b"BZh9 nope",
    b"\xfd7zXZ\x00\x00 nope",
]


@pytest.mark.parametrize("text", TEXTS, ids=range(len(TEXTS)))
def test_broken_texts_raise_json_models_errors(text):
    with pytest.raises(jm.JsonModelsError):
        jm.loads(text)
    with pytest.raises(jm.JsonModelsError):
        jm.load(io.BytesIO(text))


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=300) | st.sampled_from(TEXTS[2:8]).map(lambda t: t + b"x"))
def test_random_bytes_never_escape(data):
    with pytest.raises(jm.JsonModelsError):
        jm.loads(data)


def test_truncated_documents_are_refused():
    est, _ = fitted(SEEDS[0][0])
    text = orjson.dumps(jm.to_dict(est))
    for cut in np.linspace(1, len(text) - 1, 40).astype(int):
        with pytest.raises(jm.JsonModelsError):
            jm.loads(text[:cut])


def test_deeply_nested_python_dict_is_refused_not_recursed():
    doc, _ = seed_document(0)
    deep = node = {}
    for _ in range(100_000):
        node["a"] = {}
        node = node["a"]
    for place in ("params", "state"):
        with pytest.raises(jm.InvalidModelError):
            jm.from_dict({**doc, place: deep})


@pytest.mark.parametrize(
    "case_id, path",
    [
        ("forest-RandomForestClassifier-multi_classification-str", ("estimators", 5, "tree")),
        ("boosting-GradientBoostingClassifier-iris-str", ("estimators", 9, 2, "tree")),
    ],
)
def test_every_tree_of_an_ensemble_is_checked_not_only_the_first(case_id, path):
    """Loading validates the schema on a sample of an ensemble's trees (one per structure):
    a tree whose structure differs is in the sample, and its place is reported exactly."""
    doc = jm.to_dict(fitted(case_id)[0])
    pointer = "/state/" + "/".join(map(str, path))
    for change in ("delete", "rename", "retype"):
        broken = copy.deepcopy(doc)
        node = broken["state"]
        for key in path:
            node = node[key]
        if change == "delete":
            del node["feature"]
        elif change == "rename":
            node["features"] = node.pop("feature")
        else:
            node["feature"] = "oops"
        with pytest.raises(jm.InvalidModelError) as info:
            jm.from_dict(broken)
        assert info.value.pointer.startswith(pointer), (change, info.value.pointer)
