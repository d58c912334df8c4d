"""Hostile documents in JavaScript: the mutation families of ``test_hostile`` end, in Node,
in a model that predicts or in an InvalidModelError whose message starts with the JSON
Pointer of the bad place; never a stack overflow, an internal TypeError or a hang. The command
line answers a bad model with exit status 1 and one line on stderr."""

from __future__ import annotations

import json
import re
import warnings

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from jsnode import CLI, ROOT, run_node
from test_hostile import EXAMPLES, TEXTS, mutated_documents

import json_models as jm

POINTER_MESSAGE = r"^/[^:]*: \S"
PREDICTION_FIELDS = (  # (a booster's init model is not: its raw prediction is stored)
    r"^/state/(?!init/)(.*/)?"
    r"(children_left|children_right|feature|threshold|missing_go_to_left|value|coef|classes)(/|$)"
)


def collect_mutations(count: int) -> list:
    docs = []

    @settings(
        max_examples=count, deadline=None, database=None, suppress_health_check=list(HealthCheck)
    )
    @given(mutated_documents())
    def gather(case):
        doc, X = case
        docs.append((doc, X))

    gather()
    return docs


def test_mutated_documents_fail_cleanly_in_node(tmp_path):
    cases = collect_mutations(EXAMPLES)
    lines = []
    python_errors = []
    for doc, X in cases:
        rows = np.where(np.isnan(X), None, X).tolist()
        try:  # a document holding a float NaN or infinity has no JSON text: Node never sees it
            lines.append(json.dumps({"doc": doc, "rows": rows[:20]}, allow_nan=False))
        except ValueError:
            continue
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                jm.from_dict(doc)
            python_errors.append(None)
        except jm.JsonModelsError as exc:
            python_errors.append(exc)
    batch = tmp_path / "docs.jsonl"
    batch.write_text("\n".join(lines) + "\n")
    result = run_node(ROOT / "tests" / "node_load_each.mjs", batch, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    verdicts = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(verdicts) == len(lines) > len(cases) // 2
    for verdict in verdicts:
        if verdict["ok"]:
            continue
        assert verdict["name"] in ("InvalidModelError", "UnsupportedVersionError"), verdict
        assert re.match(POINTER_MESSAGE, verdict["message"]), verdict
    # Node reads only what prediction needs, so it may accept a document whose parameters or
    # diagnostics Python refuses; never one whose prediction columns Python refuses.
    for verdict, python_error in zip(verdicts, python_errors):
        if verdict["ok"] and python_error is not None:
            assert not re.search(PREDICTION_FIELDS, python_error.pointer), str(python_error)
        # and what Python loads, Node loads (both read JSON as JSON.parse does)
        assert verdict["ok"] or python_error is not None, verdict


@pytest.mark.parametrize("text", TEXTS[:12], ids=range(12))
def test_command_line_answers_bad_models_with_one_line(tmp_path, text):
    model, rows = tmp_path / "model.json", tmp_path / "X.json"
    model.write_bytes(text)
    rows.write_text("[[1, 2, 3, 4]]")
    result = run_node(CLI, "predict", model, rows, timeout=60)
    assert result.returncode == 1
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "    at " not in result.stderr, result.stderr[:500]
