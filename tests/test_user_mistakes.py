"""The mistakes a new user makes in the first hour, and what each runtime says about them.

One row per mistake: how the bad input is made from a good model file (when a test asks:
nothing is fitted at import), and the exact message in Python (``json_models.load`` of the
file; ``None`` where Python reads it fine) and in JavaScript (``loadModel`` of the file's bytes;
``SAME`` where it must say what Python says).
Messages name the place (a JSON Pointer, or line, column and byte), what was expected and what
was found, and the nearest valid name where a typo is likely.
"""

from __future__ import annotations

import bz2
import copy
import functools
import gzip
import io
import json
import lzma
import pickle

import joblib
import pytest
from jsnode import JS, run_node
from sklearn.datasets import load_iris
from sklearn.ensemble import RandomForestClassifier
from sklearn.tree import DecisionTreeClassifier

import json_models as jm

SAME = object()
THRESHOLD = "3.819999933242798"


@functools.cache
def _tree():
    X, y = load_iris(return_X_y=True, as_frame=True)
    return DecisionTreeClassifier(max_depth=3, random_state=0).fit(X, y)


def _text(mutate=None) -> bytes:
    doc = jm.to_dict(_tree())
    if mutate:
        doc = copy.deepcopy(doc)
        mutate(doc)
    return json.dumps(doc).encode()


def _rename(obj: dict, old: str, new: str) -> None:
    obj[new] = obj.pop(old)


def _stray_comma() -> bytes:
    return _text().replace(b', "params"', b',, "params"', 1)


SYNTAX = "/: not valid JSON at line 1, column {} (byte {}): "


def _at_the_stray_comma(reason: str):
    """The message for the stray comma, made when asked for: its place in the file, then the
    parser's ``reason``."""

    def message() -> str:
        at = _stray_comma().index(b",,") + 1
        return SYNTAX.format(at + 1, at) + reason

    return message


def _said(message):
    """A message of the table: as written, or made now where it depends on the file."""
    return message() if callable(message) else message


# name -> (() -> bytes of the file, Python's message or None, JavaScript's message or SAME)
MISTAKES = {
    "stray comma": (
        _stray_comma,
        _at_the_stray_comma("Expecting property name enclosed in double quotes"),
        _at_the_stray_comma("Expected double-quoted property name"),
    ),
    "truncated file": (
        lambda: _text()[:300],
        SYNTAX.format(301, 300) + "the document ends early (is the file truncated?)",
        SAME,
    ),
    "empty file": (lambda: b"", "/: not valid JSON: the document is empty", SAME),
    "not UTF-8": (
        lambda: b'{"format": "json-m\xe9dels"}',
        "/: not valid UTF-8 at byte 18 (0xe9): a JSON document is UTF-8 text",
        SAME,
    ),
    "pickle file": (
        lambda: pickle.dumps(_tree()),
        "/: a pickle file, not JSON: json-models reads only JSON documents "
        "(write one with json_models.dump)",
        SAME,
    ),
    "joblib file": (
        None,  # made in the test: joblib writes files
        "/: zlib-compressed data (a joblib file?), not JSON",
        SAME,
    ),
    "gzip under .json": (
        lambda: gzip.compress(_text()),
        None,
        "/: gzip-compressed data: decompress it first (zlib.gunzipSync in Node, "
        'DecompressionStream("gzip") in a browser); the json-models CLI and page read '
        ".json.gz themselves",
    ),
    "xz under .json": (
        lambda: lzma.compress(_text()),
        None,
        "/: xz (lzma)-compressed data: decompress it first (xz -d), or write the model with "
        'compress="gzip"',
    ),
    "bz2 under .json": (
        lambda: bz2.compress(_text()),
        None,
        "/: bz2-compressed data: decompress it first (bzip2 -d), or write the model with "
        'compress="gzip"',
    ),
    "threshold as a string": (
        functools.partial(
            _text, lambda d: d["state"]["tree"]["threshold"].__setitem__(0, THRESHOLD)
        ),
        '/state/tree/threshold/0: expected a number (or "Infinity", "-Infinity", "NaN"), '
        f'found the string "{THRESHOLD}"',
        SAME,
    ),
    "estimator typo": (
        functools.partial(
            _text, lambda d: d.__setitem__("estimator", "sklearn.tree.DecisionTreeClasifier")
        ),
        '/estimator: expected a supported estimator, found "sklearn.tree.DecisionTreeClasifier";'
        ' did you mean "sklearn.tree.DecisionTreeClassifier"?',
        SAME,
    ),
    "estimator not supported": (
        functools.partial(_text, lambda d: d.__setitem__("estimator", "sklearn.cluster.KMeans")),
        '/estimator: expected a supported estimator, found "sklearn.cluster.KMeans"; see the '
        "README's table of supported estimators",
        SAME,
    ),
    "key typo": (
        functools.partial(_text, lambda d: _rename(d["state"], "n_features_in", "n_feature_in")),
        '/state/n_feature_in: unknown key; did you mean "n_features_in"?',
        SAME,
    ),
    "key missing": (
        functools.partial(_text, lambda d: d["state"].pop("n_features_in")),
        '/state: missing key "n_features_in"',
        SAME,
    ),
    "feature given as a string": (
        functools.partial(_text, lambda d: d["state"]["tree"]["feature"].__setitem__(0, "3")),
        '/state/tree/feature/0: expected an integer, found the string "3"',
        SAME,
    ),
}

LOAD_EACH = """
import { readFileSync } from "node:fs";
import { loadModel } from %s;
for (const file of process.argv.slice(2)) {
  try { loadModel(readFileSync(file)); console.log("loaded"); }
  catch (e) { console.log(e.constructor.name + ": " + e.message); }
}
"""


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("mistakes")
    paths = {}
    for i, (name, (make, _, _)) in enumerate(MISTAKES.items()):
        paths[name] = folder / f"{i}.json"
        if make is None:
            joblib.dump(_tree(), paths[name], compress=3)
        else:
            paths[name].write_bytes(make())
    return paths


@pytest.fixture(scope="module")
def javascript_says(files, tmp_path_factory):
    script = tmp_path_factory.mktemp("js") / "load-each.mjs"
    script.write_text(LOAD_EACH % json.dumps((JS / "src" / "index.js").as_uri()))
    result = run_node(str(script), *map(str, files.values()))
    assert result.returncode == 0, result.stderr
    return dict(zip(files, result.stdout.splitlines()))


@pytest.mark.parametrize("name", list(MISTAKES))
def test_python_says_where_and_what(files, name):
    message = _said(MISTAKES[name][1])
    if message is None:  # Python reads it: compression is detected
        assert type(jm.load(files[name])) is DecisionTreeClassifier
        return
    with pytest.raises(jm.InvalidModelError) as raised:
        jm.load(files[name])
    assert str(raised.value) == message


@pytest.mark.parametrize("name", list(MISTAKES))
def test_javascript_says_the_same(files, javascript_says, name):
    _, python, javascript = MISTAKES[name]
    expected = _said(python if javascript is SAME else javascript)
    said = javascript_says[name]
    if name == "stray comma":  # each parser's own reason after the shared place
        assert said.startswith(f"InvalidModelError: {expected}"), said
    else:
        assert said == f"InvalidModelError: {expected}"


def test_buffer_and_text_and_object_all_load_in_javascript(tmp_path):
    path = tmp_path / "model.json"
    path.write_bytes(_text())
    script = tmp_path / "forms.mjs"
    script.write_text(
        "import { readFileSync } from 'node:fs';\n"
        f"import {{ loadModel }} from {json.dumps((JS / 'src' / 'index.js').as_uri())};\n"
        f"const bytes = readFileSync({json.dumps(str(path))});\n"
        "const text = bytes.toString('utf8');\n"
        "for (const input of [bytes, new Uint8Array(bytes), text, JSON.parse(text)])\n"
        "  console.log(loadModel(input).predict([[5.1, 3.5, 1.4, 0.2]])[0]);\n"
    )
    result = run_node(str(script))
    assert result.returncode == 0, result.stderr
    label = _tree().predict(load_iris(as_frame=True).data.iloc[:1])[0]
    assert result.stdout.split() == [str(label)] * 4


ROW_MISTAKES = {
    # rows as objects keyed by the feature names the model was fitted on
    "extra key": ({"id": 7}, None),
    "missing key": (
        {"drop": "petal width (cm)"},
        'X row 0: missing feature "petal width (cm)"',
    ),
    "misspelt key": (
        {"rename": ("petal width (cm)", "petal_width (cm)")},
        'X row 0: missing feature "petal width (cm)"; did you mean "petal_width (cm)"?',
    ),
    "bad value": (
        {"set": ("petal width (cm)", "abc")},
        'X row 0, feature "petal width (cm)": expected a number or null, found the string "abc"',
    ),
}


@pytest.mark.parametrize("name", list(ROW_MISTAKES))
def test_rows_as_objects_name_the_feature(tmp_path, name):
    change, message = ROW_MISTAKES[name]
    X = load_iris(as_frame=True).data
    row = X.iloc[0].to_dict()
    if "id" in change:
        row["id"] = change["id"]
    if "drop" in change:
        del row[change["drop"]]
    if "rename" in change:
        old, new = change["rename"]
        row[new] = row.pop(old)
    if "set" in change:
        key, value = change["set"]
        row[key] = value
    model, rows = tmp_path / "model.json", tmp_path / "X.json"
    model.write_bytes(_text())
    rows.write_text(json.dumps([row]))
    result = run_node(str(JS / "bin" / "json-models.js"), "predict", str(model), str(rows))
    if message is None:  # extra keys are ignored, as for a database row
        assert result.returncode == 0, result.stderr
        assert json.loads(result.stdout)["predict"] == _tree().predict(X.iloc[:1]).tolist()
    else:
        assert result.returncode == 1
        assert result.stderr.strip().endswith(message), result.stderr


def test_python_mistakes_with_the_api(tmp_path):
    est = _tree()
    with open(tmp_path / "text-mode.json", "w") as f:
        with pytest.raises(TypeError, match=r"^dump needs a file opened in binary mode \('wb'\)"):
            jm.dump(est, f)
    assert (tmp_path / "text-mode.json").read_bytes() == b""
    with pytest.raises(TypeError, match=r"^validate takes a parsed document \(a dict\)"):
        jm.validate(str(tmp_path / "model.json"))
    with pytest.raises(jm.UnsupportedModelError) as raised:
        jm.to_dict(RandomForestClassifier.__new__(type("MyForest", (RandomForestClassifier,), {})))
    assert "only exact classes are exported" in str(raised.value)
    buffer = io.BytesIO()
    jm.dump(est, buffer, compress="gzip")
    assert type(jm.load(io.BytesIO(buffer.getvalue()))) is DecisionTreeClassifier
