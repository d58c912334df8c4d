"""`python -m benchmarks` on one small model: every figure is computed, in Python and in Node,
and the tables carry every mode and every target. No timing is judged here (see the command
itself); this keeps the command from breaking unnoticed."""

from __future__ import annotations

import json
import re

import pytest
from cases import fitted

from benchmarks.__main__ import node_figures, python_figures, report, targets
from json_models._modes import MODES

CASE = "forest-RandomForestClassifier-iris"
NUMBER = re.compile(r"^[\d,.]+( MB| KB|x)?$")


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    est, data = fitted(CASE)
    workdir = tmp_path_factory.mktemp("bench")
    rows_path = workdir / "X.json"
    rows_path.write_text(json.dumps(data.X_test.tolist()))
    py = python_figures(est, data.X_test, repeat=2)
    nodes = {
        mode: node_figures(py["modes"][mode].pop("text"), rows_path, 2, workdir) for mode in MODES
    }
    # Named as the model the targets are stated on, so that the targets table is made.
    return [("RF-100", py, nodes, "onnxruntime-node not installed")]


def test_every_mode_has_every_figure(results):
    lines = report(results).splitlines()
    header = [c.strip() for c in lines[0].strip("|").split("|")]
    rows = {
        row[1]: row
        for row in ([c.strip() for c in line.strip("|").split("|")] for line in lines[2:])
    }
    assert set(MODES) | {"pickle"} <= set(rows)
    for mode in MODES:
        assert len(rows[mode]) == len(header)
        for column, cell in zip(header[2:], rows[mode][2:]):
            assert NUMBER.match(cell), (mode, column, cell)


def test_every_target_is_reported(results):
    table = targets(results)
    for target in (
        "plain load <= 1.25x orjson.loads",
        "plain save <= 1.25x orjson.dumps",
        "base64 load <= 2x pickle.loads",
        "base64 save <= 2x pickle.dumps",
        "compact plain size <= 0.6x pickle",
        "gzip(compact) <= joblib compress=3",
        "node load <= 1.3x JSON.parse",
    ):
        assert re.search(rf"\| {re.escape(target)} \| [\d.]+x \| (yes|no) \|", table), target
    assert "onnxruntime-node not installed (optional)" in table
