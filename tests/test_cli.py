"""The json-models command line: validate (for CI) and info."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
import sklearn
from cases import CASE_IDS, fitted
from conftest import MODES
from test_schema import invalid_documents

import json_models as jm

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
