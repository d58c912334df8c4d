"""The json-models command line: validate (for CI) and info."""

from __future__ import annotations

import json
import subprocess
import sys

from cases import fitted

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
    assert lines[1].startswith(f"{junk}: /: not valid JSON")
    assert len(lines) == 2


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
