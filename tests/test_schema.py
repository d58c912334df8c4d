"""The schemas: every document the library writes is valid, hand-written broken documents are
not, and Python's jsonschema and ajv (Node) give the same verdict on each."""

from __future__ import annotations

import copy
import json

import pytest
from cases import CASE_IDS, fitted
from jsnode import JS, dev_dependencies_installed, run_node

import json_models as jm
from json_models._validate import schema_validator

BASES = {
    "logistic": "logistic-LogisticRegression-iris-str",
    "tree": "tree-DecisionTreeClassifier-iris_nan",
    "regression_tree": "tree-DecisionTreeRegressor-diabetes",
    "linear": "linear-Ridge-multi_regression",
    "forest": "forest-RandomForestClassifier-multi_classification-str",
    "boosting": "boosting-GradientBoostingClassifier-iris",
}


def _set(path, value):
    def mutate(doc):
        *parents, last = path
        node = doc
        for key in parents:
            node = node[key]
        node[last] = value

    return mutate


def _delete(path):
    def mutate(doc):
        *parents, last = path
        node = doc
        for key in parents:
            node = node[key]
        del node[last]

    return mutate


TREE = ("state", "tree")
# (name, base document, mutation, base64 arrays?) -- every one must be rejected by the schema.
INVALID = [
    ("no-format", "tree", _delete(("format",)), False),
    ("wrong-format", "tree", _set(("format",), "pickle"), False),
    ("newer-major", "tree", _set(("format_version",), "2.0"), False),
    ("version-not-a-string", "tree", _set(("format_version",), 1.0), False),
    ("estimator-os-system", "tree", _set(("estimator",), "os.system"), False),
    (
        "estimator-private-path",
        "tree",
        _set(("estimator",), "sklearn.tree._classes.DecisionTreeClassifier"),
        False,
    ),
    ("params-not-object", "tree", _set(("params",), []), False),
    ("no-state", "tree", _delete(("state",)), False),
    ("unknown-state-field", "tree", _set(("state", "surprise"), 1), False),
    ("no-children", "tree", _delete((*TREE, "children_left")), False),
    ("child-as-string", "tree", _set((*TREE, "children_left", 0), "1"), False),
    ("child-as-float", "tree", _set((*TREE, "children_right", 0), 2.5), False),
    ("threshold-bad-string", "tree", _set((*TREE, "threshold", 0), "inf"), False),
    ("value-infinity", "tree", _set((*TREE, "value", 0, 0, 0), "Infinity"), False),
    ("value-2d", "tree", _set((*TREE, "value", 0), [0.5]), False),
    ("missing-flag-2", "tree", _set((*TREE, "missing_go_to_left", 0), True), False),
    ("unknown-column", "tree", _set((*TREE, "left"), [1]), False),
    ("mixed-labels", "logistic", _set(("state", "classes", 0), 0), False),
    ("duplicate-labels", "logistic", _set(("state", "classes", 1), "class_0"), False),
    ("one-class", "logistic", _set(("state", "classes"), ["a"]), False),
    ("coef-1d", "logistic", _set(("state", "coef"), [1.0, 2.0, 3.0, 4.0]), False),
    ("coef-nan", "logistic", _set(("state", "coef", 0, 0), "NaN"), False),
    ("intercept-string", "linear", _set(("state", "intercept", 0), "1.0"), False),
    ("n-features-zero", "linear", _set(("state", "n_features_in"), 0), False),
    ("feature-names-not-strings", "linear", _set(("state", "feature_names_in"), [1, 2]), False),
    ("classes-on-regressor", "regression_tree", _set(("state", "classes"), [0, 1]), False),
    ("class-weight-not-pairs", "logistic", _set(("params", "class_weight"), [[1, 2, 3]]), False),
    ("forest-entry-without-tree", "forest", _delete(("state", "estimators", 0, "tree")), False),
    (
        "forest-random-state-string",
        "forest",
        _set(("state", "estimators", 0, "random_state"), "0"),
        False,
    ),
    ("boosting-init-unknown", "boosting", _set(("state", "init"), "one"), False),
    ("boosting-stage-not-list", "boosting", _set(("state", "estimators", 0), {"tree": {}}), False),
    ("boosting-loss-unknown", "boosting", _set(("params", "loss"), "hinge"), False),
    ("binary-extra-key", "tree", _set((*TREE, "threshold", "endian"), "big"), True),
    ("binary-float32", "tree", _set((*TREE, "threshold", "dtype"), "float32"), True),
    ("binary-bad-alphabet", "tree", _set((*TREE, "threshold", "base64"), "@@@@"), True),
    ("binary-no-shape", "tree", _delete((*TREE, "value", "shape")), True),
]


def _base(name: str, base64: bool) -> dict:
    est, _ = fitted(BASES[name])
    return jm.to_dict(est, arrays="base64" if base64 else "list")


def invalid_document(row) -> dict:
    """The document of a row of ``INVALID``: its base, broken by its mutation."""
    _, base, mutate, base64 = row
    doc = copy.deepcopy(_base(base, base64))
    mutate(doc)
    return doc


def invalid_documents():
    """``(name, document)`` for every row of ``INVALID``."""
    for row in INVALID:
        yield row[0], invalid_document(row)


@pytest.mark.parametrize("row", INVALID, ids=[row[0] for row in INVALID])
def test_schema_rejects_invalid_document(row):
    doc = invalid_document(row)
    assert not schema_validator().is_valid(doc)
    with pytest.raises(jm.InvalidModelError):
        jm.validate(doc)
    with pytest.raises(jm.InvalidModelError):
        jm.from_dict(doc)


def test_ajv_and_jsonschema_agree(tmp_path):
    """Each valid document of the zoo (a third of it, every pipeline and histogram boosting;
    plain and base64)
    and each invalid one above gets the same verdict from ajv in Node as from Python's
    jsonschema."""
    if not dev_dependencies_installed():
        pytest.fail("js_runtime dev dependencies are missing: run `npm ci` in js_runtime/")
    files, expected = [], {}
    chosen = CASE_IDS[::3] + [c for c in CASE_IDS if c.startswith(("pipeline-", "hgb-"))]
    for case_id in dict.fromkeys(chosen):
        est, _ = fitted(case_id)
        for arrays in ("list", "base64"):
            files.append((f"{case_id}-{arrays}", jm.to_dict(est, arrays=arrays)))
    files += list(invalid_documents())
    paths = []
    for name, doc in files:
        path = tmp_path / f"{name}.json"
        path.write_text(json.dumps(doc))
        paths.append(str(path))
        expected[str(path)] = schema_validator().is_valid(doc)
    result = run_node(JS / "test" / "ajv-validate.mjs", *paths, timeout=300)
    assert result.returncode == 0, result.stderr
    verdicts = {row["file"]: row["valid"] for row in map(json.loads, result.stdout.splitlines())}
    assert verdicts == expected
    assert sum(expected.values()) >= 2 * len(CASE_IDS[::3]) and not all(expected.values())
    assert all(v for k, v in expected.items() if "/pipeline-" in k), "every pipeline is valid"
