"""``json-models demo`` and ``json-models compare``: run for real (quick settings), checked on
what they write and print."""

from __future__ import annotations

import contextlib
import io
import math
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET

import numpy as np
import orjson
import pytest
from cases import dataset
from sklearn.linear_model import LogisticRegression
from sklearn.tree import DecisionTreeRegressor

import json_models as jm
from json_models import cli, compare, demo
from json_models._fidelity import predictions

SVG = "{http://www.w3.org/2000/svg}"
BASE_APPROACHES = ["pickle", "joblib", "joblib (compress=3)", "json-models", "json-models (gzip)"]


def run_cli(*argv) -> tuple[int, str]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
        code = cli.main(list(argv))
    return code, out.getvalue()


def table_rows(text: str) -> list[list[str]]:
    """The cells of every row of the Markdown table in ``text``, header first."""
    lines = [line for line in text.splitlines() if line.startswith("| ")]
    return [[c.strip() for c in line.strip("|").split(" | ")] for line in lines]


def parse_svg(path):
    root = ET.parse(path).getroot()  # raises on malformed XML
    assert root.tag == f"{SVG}svg"
    return root


@pytest.fixture(scope="module")
def compared(tmp_path_factory):
    out = tmp_path_factory.mktemp("compare")
    code, stdout = run_cli("compare", "--out", str(out), "--quick", "--repeat", "1")
    return code, stdout, out


@pytest.fixture(scope="module")
def demoed(tmp_path_factory):
    out = tmp_path_factory.mktemp("demo")
    code, stdout = run_cli("demo", "--out", str(out), "--quick")
    return code, stdout, out


# ---------------------------------------------------------------- compare


def test_compare_prints_one_row_per_model_and_approach(compared):
    code, stdout, _ = compared
    assert code == 0
    header, *rows = table_rows(stdout)
    assert tuple(header) == compare.COLUMNS
    found = [a.name for a in compare.approaches()[0]]
    assert found[: len(BASE_APPROACHES)] == BASE_APPROACHES
    models = list(dict.fromkeys(row[0] for row in rows))
    assert len(models) == 3
    assert [(row[0], row[1]) for row in rows] == [(m, a) for m in models for a in found]
    assert all(len(row) == len(compare.COLUMNS) for row in rows)


def test_compare_rows_hold_measurements_and_facts(compared):
    _, stdout, _ = compared
    header, *rows = table_rows(stdout)
    cell = {(row[0], row[1]): dict(zip(header, row)) for row in rows}
    for (_model, approach), c in cell.items():
        assert c["size"].endswith(("KiB", "MiB"))
        assert float(c["load (ms)"]) > 0 and float(c["save (ms)"]) > 0
        if approach == "pickle":
            assert c["size × pickle"] == c["load × pickle"] == "1.00×"
        if approach.startswith(("pickle", "joblib")):
            assert c["loading runs code"] == "yes"
            assert c["other languages"].startswith("no")
        if approach.startswith("json-models"):
            assert c["loading runs code"] == "no"
            assert c["other languages"].startswith("yes")
            assert c["predictions after loading"] == "bit-identical"


def test_compare_writes_markdown_and_svg(compared):
    _, stdout, out = compared
    md = (out / "comparison.md").read_text(encoding="utf-8")
    assert table_rows(md) == table_rows(stdout)
    root = parse_svg(out / "comparison.svg")
    texts = {t.text for t in root.iter(f"{SVG}text")}
    _, *rows = table_rows(md)
    assert {row[0] for row in rows} <= texts  # a panel title per model
    assert {row[1] for row in rows} - {"pickle"} <= texts  # a label per approach
    bars = [r for r in root.iter(f"{SVG}rect") if r.find(f"{SVG}title") is not None]
    assert len(bars) == 2 * sum(row[1] != "pickle" for row in rows)  # size and load time


def test_missing_optional_packages_are_skipped_with_a_note(monkeypatch):
    monkeypatch.setattr(compare, "importable", lambda *modules: False)
    found, notes = compare.approaches()
    assert [a.name for a in found] == BASE_APPROACHES
    assert any(n.startswith("skops") for n in notes) and any(n.startswith("ONNX") for n in notes)


def test_svg_keeps_extreme_and_missing_ratios_inside_the_chart():
    pickle_, json_ = compare.approaches()[0][0], compare.approaches()[0][3]
    rows = [
        compare.Row("m", pickle_, 100, 1.0, 1.0, "bit-identical", 1.0, 1.0),
        compare.Row("m", json_, 1, 100.0, 5000.0, "bit-identical", 0.0004, 5000.0),
        compare.Row("n", pickle_, 100, 1.0, 1.0, "bit-identical", 1.0, 1.0),
        compare.Row("n", json_, error="ValueError: no", size_ratio=math.nan),
    ]
    svg = compare.svg_chart(compare.Comparison(rows, [], 1))
    root = ET.fromstring(svg)
    width = float(root.get("width"))
    for rect in root.iter(f"{SVG}rect"):
        x, w = float(rect.get("x", 0)), float(rect.get("width"))
        assert 0 <= x and x + w <= width
    assert "n/a" in {t.text for t in root.iter(f"{SVG}text")}


def test_agreement_names_what_differs():
    labels = np.array([0, 1, 1])
    proba = np.array([[0.9, 0.1], [0.2, 0.8], [0.4, 0.6]])
    expected = {"predict": labels, "predict_proba": proba}
    assert compare.agreement(expected, dict(expected)) == "bit-identical"
    got = {"predict": np.array([0, 1, 0]), "predict_proba": proba.astype(np.float32)}
    assert compare.agreement(expected, got).startswith("labels 2/3, probabilities within ")
    values = {"predict": np.array([1.5, 2.5])}
    assert compare.agreement(values, {"predict": np.array([1.5, 2.0])}) == "values within 5.0e-01"


# ---------------------------------------------------------------- demo


def demo_names() -> list[str]:
    return [compare.model_name(est, data) for est, data in demo.demo_estimators(quick=True)]


def test_demo_writes_valid_models(demoed):
    code, _, out = demoed
    assert code == 0
    names = demo_names()
    assert len(names) >= 10  # linear, logistic and tree families at least
    assert sorted(p.name for p in out.glob("*.json")) == sorted(f"{n}.json" for n in names)
    for name in names:
        jm.validate(orjson.loads((out / f"{name}.json").read_bytes()))
        assert (out / f"{name}.json.gz").read_bytes()[:2] == b"\x1f\x8b"
        assert type(jm.load(out / f"{name}.json.gz")).__name__ == name.split("-")[0]
    # The command users put in CI accepts every file the demo wrote, as the demo's own checks do.
    written = sorted(map(str, [*out.glob("*.json"), *out.glob("*.json.gz")]))
    checked = subprocess.run(
        [sys.executable, "-m", "json_models.cli", "validate", *written],
        capture_output=True,
        text=True,
    )
    assert checked.returncode == 0, checked.stdout
    assert checked.stdout == f"{len(written)} files valid\n"
    for data in {data for _, data in demo.demo_estimators(quick=True)}:
        X = orjson.loads((out / "data" / f"{data}-X_test.json").read_bytes())
        assert np.asarray(X).shape == dataset(data).X_test.shape


def test_demo_reports_agreement_per_model(demoed):
    _, stdout, _ = demoed
    lines = {line.split()[0]: line for line in stdout.splitlines() if line.strip()}
    node = shutil.which("node") is not None and demo.JS_CLI.is_file()
    for name, (est, data) in zip(demo_names(), demo.demo_estimators(quick=True)):
        line = lines[name]
        assert " identical " in line and "MISMATCH" not in line
        if node and hasattr(est, "predict_proba"):
            n = len(dataset(data).X_test)
            assert f" {n}/{n} " in line
        elif not node:
            assert "skipped" in line


def test_demo_runs_the_comparison(demoed):
    _, stdout, out = demoed
    header, *rows = table_rows(stdout)
    assert tuple(header) == compare.COLUMNS and len(rows) >= 3 * len(BASE_APPROACHES)
    assert table_rows((out / "comparison.md").read_text(encoding="utf-8")) == [header, *rows]
    parse_svg(out / "comparison.svg")


def test_node_absent_or_runtime_missing_is_said_plainly(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))
    command, why = demo.node_command()
    assert command is None and "node is not on PATH" in why
    monkeypatch.undo()
    monkeypatch.setattr(demo, "JS_CLI", tmp_path / "missing.js")
    if shutil.which("node"):
        command, why = demo.node_command()
        assert command is None and "missing.js" in why


def test_node_agreement_judges_by_the_fidelity_rules():
    """A label or a probability off, a tree's value one ulp off, or an output of the wrong shape
    is a mismatch; a linear model's value within SPEC's bound is not."""
    X, y = np.array([[0.0, 1.0], [1.0, 0.0], [2.0, 1.0], [3.0, 0.0]]), np.array([0, 0, 1, 1])
    classifier = LogisticRegression().fit(X, y)
    expected = predictions(classifier, X)
    got = {method: values.tolist() for method, values in expected.items()}
    same = demo.node_agreement(classifier, X, expected, got)
    assert same.ok and same.labels == "4/4" and same.proba == 0.0
    wrong_label = dict(got, predict=[0, 0, 1, 0])
    assert not demo.node_agreement(classifier, X, expected, wrong_label).ok
    off = dict(got, predict_proba=(expected["predict_proba"] + 1e-6).tolist())
    assert not demo.node_agreement(classifier, X, expected, off).ok
    close = dict(got, decision_function=(expected["decision_function"] * (1 + 1e-15)).tolist())
    assert demo.node_agreement(classifier, X, expected, close).ok

    tree = DecisionTreeRegressor(random_state=0).fit(X, [150.0, 90.0, 30.0, 10.0])
    expected = predictions(tree, X)
    values = expected["predict"]
    assert demo.node_agreement(tree, X, expected, {"predict": values.tolist()}).ok
    one_ulp = np.nextafter(values, np.inf).tolist()
    assert not demo.node_agreement(tree, X, expected, {"predict": one_ulp}).ok
    assert not demo.node_agreement(tree, X, expected, {"predict": [150.0]}).ok  # wrong shape
