"""The json-models command line: validate (for CI) and info."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
import sklearn
from cases import CASE_IDS, fitted
from sklearn.tree import DecisionTreeClassifier
from test_schema import invalid_documents

import json_models as jm
from json_models._modes import MODES

CASE = "tree-DecisionTreeClassifier-iris_nan-str"


def run(*args):
    return subprocess.run(
        [sys.executable, "-m", "json_models.cli", *args],
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_validate_accepts_good_files_and_names_the_bad_place(tmp_path):
    est, _ = fitted(CASE)
    good, gz = tmp_path / "good.json", tmp_path / "good.json.gz"
    jm.dump(est, good)
    jm.dump(est, gz)
    doc = jm.to_dict(est)
    doc["state"]["tree"]["feature"][0] = 99
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(doc))
    junk = tmp_path / "junk.json"
    junk.write_text("{not json")

    ok = run("validate", str(good), str(gz))
    assert ok.returncode == 0, ok.stdout + ok.stderr

    result = run("validate", str(good), str(bad), str(junk))
    assert result.returncode == 1
    lines = result.stdout.strip().splitlines()
    assert lines[0] == f"{bad}: /state/tree/feature/0: expected a feature index in [0, 4)"
    assert lines[1] == f"{junk}: /: not valid JSON at line 1, column 2 (byte 1): " + (
        "Expecting property name enclosed in double quotes"
    )
    assert lines[2] == "2 of 3 files invalid"


COMPRESSIONS = (None, "gzip", "bz2", "lzma")


def test_validate_accepts_every_document_the_zoo_writes(tmp_path):
    """Every case in every mode, each mode in every compression (cases take turns), checked
    by the command as load reads them (the fast reader's numpy arrays included)."""
    files = []
    for i, case_id in enumerate(CASE_IDS):
        est, _ = fitted(case_id)
        for k, (mode, options) in enumerate(MODES.items()):
            compress = COMPRESSIONS[(i + k) % len(COMPRESSIONS)]
            path = tmp_path / f"{case_id}.{mode}.json{'.' + compress if compress else ''}"
            jm.dump(est, path, compress=compress, **options)
            files.append(str(path))
    result = run("validate", *files)
    assert result.returncode == 0, result.stdout[:2000]
    assert result.stdout == f"{len(files)} files valid\n"


def test_validate_refuses_the_invalid_documents_at_their_place(tmp_path):
    files, expected = [], []
    for name, doc in invalid_documents():
        with pytest.raises(jm.InvalidModelError) as raised:
            jm.validate(doc)
        path = tmp_path / f"{name}.json"
        path.write_text(json.dumps(doc))
        files.append(str(path))
        expected.append(f"{path}: {raised.value.pointer or '/'}: {raised.value.detail}")
    result = run("validate", "-q", *files)
    assert result.returncode == 1
    assert result.stdout.splitlines() == expected


def test_version(capsys):
    assert run("--version").stdout == (
        f"json-models {jm.__version__} (writes format {jm.FORMAT_VERSION}, "
        f"scikit-learn {sklearn.__version__})\n"
    )


def test_info_describes_a_tree(tmp_path):
    est, _ = fitted(CASE)
    path = tmp_path / "model.json"
    jm.dump(est, path)
    result = run("info", str(path))
    assert result.returncode == 0, result.stderr
    info = dict(
        line.split(None, 1) if "  " not in line else line.split("  ", 1)
        for line in result.stdout.splitlines()
    )
    info = {k.strip(): v.strip() for k, v in info.items()}
    assert info["estimator"] == "sklearn.tree.DecisionTreeClassifier"
    assert info["classes"] == ", ".join(est.classes_)
    assert info["nodes"] == str(est.tree_.node_count)
    assert info["max depth"] == str(est.get_depth())
    assert info["features"] == "4"


# ---------------------------------------------------------------- what reaches the terminal

#: What a terminal acts on, none of which may reach it from a document.
ESC, RLO = "\x1b", "\u202e"


def _tree(X, y) -> DecisionTreeClassifier:
    return DecisionTreeClassifier(random_state=0).fit(X, y)


def assert_no_terminal_controls(text: str) -> None:
    unsafe = [c for c in text if c in (ESC, RLO, "\x07", "\x9b", "\u2066")]
    assert not unsafe, repr(text)


def test_info_lists_a_pipelines_steps(tmp_path):
    """A pipeline's steps, nested as they are, with the input of its first step (which may
    be passthrough: the pipeline has no width of its own then)."""
    from sklearn.compose import ColumnTransformer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import StandardScaler

    X = pd.DataFrame({"a": [0.0, 1, 2, 3], "b": [1.0, 0, 1, 0]})
    columns = ColumnTransformer([("scale", StandardScaler(), ["a"])], remainder="drop")
    steps = [("skip", "passthrough"), ("columns", columns), ("model", LogisticRegression())]
    path = tmp_path / "model.json"
    jm.dump(Pipeline(steps).fit(X, [0, 1, 0, 1]), path)
    result = run("info", str(path))
    assert result.returncode == 0, result.stderr
    assert "features       2\n" in result.stdout
    assert (
        "steps          skip: passthrough, columns: ColumnTransformer (scale: StandardScaler, "
        "remainder: drop), model: LogisticRegression\n"
    ) in result.stdout


def test_info_describes_histogram_boosting(tmp_path):
    """Iterations, trees per iteration, leaves, and the categorical features by name."""
    est, _ = fitted("hgb-HistGradientBoostingClassifier-mixed-str-names")
    path = tmp_path / "model.json"
    jm.dump(est, path, arrays="base64")
    result = run("info", str(path))
    assert result.returncode == 0, result.stderr
    leaves = sum(int(p.nodes["is_leaf"].sum()) for it in est._predictors for p in it)
    assert f"iterations           {est.n_iter_}\n" in result.stdout
    assert f"trees per iteration  {est.n_trees_per_iteration_}\n" in result.stdout
    assert f"leaves               {leaves}\n" in result.stdout
    names = est.feature_names_in_[est.is_categorical_]
    assert f"categorical          {', '.join(names)}\n" in result.stdout


@pytest.mark.parametrize(
    "case_id", ["mlp-MLPRegressor-diabetes-tanh-sgd-3", "svm-NuSVC-wine-probability"]
)
def test_info_describes_a_network_and_support_vectors(case_id, tmp_path):
    """A network's layers (input to output) and activations; an SVM's support vectors."""
    est, _ = fitted(case_id)
    path = tmp_path / "model.json"
    jm.dump(est, path)
    result = run("info", str(path))
    assert result.returncode == 0, result.stderr
    if hasattr(est, "coefs_"):
        sizes = [est.n_features_in_, *(c.shape[1] for c in est.coefs_)]
        layers = " -> ".join(map(str, sizes))
        assert f"layers      {layers} (tanh, output identity)\n" in result.stdout
    else:
        assert f"support vectors  {len(est.support_vectors_)}\n" in result.stdout


def test_info_escapes_what_the_document_says(tmp_path):
    """Feature names and labels holding an escape sequence (recolour, retitle the window) or
    a right-to-left override are printed as escapes."""
    X = pd.DataFrame({f"red{ESC}[31m": [0.0, 1, 2, 3], f"evil{RLO}gnp.exe": [1.0, 0, 1, 0]})
    y = [f"ok{ESC}]0;title\x07", "x\u2066y\x9b", f"ok{ESC}]0;title\x07", "x\u2066y\x9b"]
    path = tmp_path / "model.json"
    jm.dump(_tree(X, y), path)
    result = run("info", str(path))
    assert result.returncode == 0, result.stderr
    assert_no_terminal_controls(result.stdout)
    assert "feature names  red\\x1b[31m, evil\\u202egnp.exe\n" in result.stdout
    assert "classes        ok\\x1b]0;title\\x07, x\\u2066y\\x9b\n" in result.stdout


def test_info_and_validate_escape_their_error_lines(tmp_path):
    """The error line quotes the document (an unknown key in its pointer) and the file name."""
    doc = jm.to_dict(_tree(np.array([[0.0, 1.0], [1.0, 0.0]]), [0, 1]))
    doc["state"][f"{ESC}[2J{RLO}"] = 1
    path = tmp_path / f"bad{ESC}]0;x\x07.json"
    path.write_text(json.dumps(doc))
    escaped = str(tmp_path / "bad\\x1b]0;x\\x07.json")

    info = run("info", str(path))
    assert info.returncode == 1
    assert_no_terminal_controls(info.stderr)
    assert info.stderr == f"{escaped}: /state/\\x1b[2J\\u202e: unknown key\n"

    validate = run("validate", str(path))
    assert validate.returncode == 1
    assert_no_terminal_controls(validate.stdout)
    assert validate.stdout.splitlines()[0] == f"{escaped}: /state/\\x1b[2J\\u202e: unknown key"
