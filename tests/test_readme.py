"""Every code example of the README runs as written: the Python blocks in a fresh folder, then
the Node blocks in that folder (where the Python example left its model files), with the npm
package ``json-models`` resolving to ``js_runtime/``. The page example runs in Chromium
(``tests/test_browser.py``), the validation commands with their tools
(``tests/test_validate_tools.py``)."""

from __future__ import annotations

import json
import os
import re

import numpy as np
import pandas as pd
from jsnode import JS, ROOT, run_node
from sklearn.datasets import load_iris
from sklearn.ensemble import RandomForestClassifier

import json_models as jm
from json_models import _fidelity

README = ROOT / "README.md"
# First line of a block -> the test that runs it.
RUN_ELSEWHERE = {
    '<script type="module">': "tests/test_browser.py::test_readme_page_example_runs",
    "// validate-models.mjs: node validate-models.mjs SCHEMA_DIR FILE...": (
        "tests/test_validate_tools.py"
    ),
}


def readme_blocks(language: str | None = None) -> list[tuple[str, str]]:
    """``(language, code)`` of the README's fenced code blocks, in order."""
    blocks = re.findall(r"^```(\w*)\n(.*?)^```", README.read_text(), re.S | re.M)
    return [(lang, code) for lang, code in blocks if language in (None, lang)]


def _runs_here(code: str) -> bool:
    return code.splitlines()[0] not in RUN_ELSEWHERE


def test_every_example_is_run_by_a_test():
    for lang, code in readme_blocks():
        if lang in ("python", "js", "html") and not _runs_here(code):
            test_file = RUN_ELSEWHERE[code.splitlines()[0]].split("::")[0]
            assert (ROOT / test_file).is_file(), test_file
    assert [lang for lang, _ in readme_blocks()].count("python") >= 1


def test_python_then_node_examples_run_as_written(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for _, code in readme_blocks("python"):
        exec(compile(code, "README.md", "exec"), {})
    for name in ("iris-forest.json", "iris-forest.json.gz", "forest.json.xz"):
        assert (tmp_path / name).is_file(), name

    # A project where `import ... from "json-models"` finds the runtime, as after npm install.
    (tmp_path / "node_modules").mkdir()
    os.symlink(JS, tmp_path / "node_modules" / "json-models")
    X, y = load_iris(return_X_y=True)
    label = RandomForestClassifier(random_state=0).fit(X, y).predict([[5.1, 3.5, 1.4, 0.2]])
    examples = [code for _, code in readme_blocks("js") if _runs_here(code)]
    assert examples
    outputs = []
    for i, code in enumerate(examples):
        script = tmp_path / f"example-{i}.mjs"
        script.write_text(code)
        result = run_node(str(script), cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        assert result.stderr == ""
        outputs.append(result.stdout)
    predicted = json.loads(outputs[0].splitlines()[0])  # console.log of [0]: "[ 0 ]"
    assert np.array_equal(predicted, label)
    # The pipeline example: what scikit-learn predicts for the same rows.
    pipe = jm.load(tmp_path / "customers.json")
    rows = pd.DataFrame({"age": [33, 60], "city": ["Lyon", "Brest"]})
    said = next(out for code, out in zip(examples, outputs) if "customers.json" in code)
    got = {"predict_proba": json.loads(said.splitlines()[0])}
    assert not _fidelity.mismatches(pipe, rows, {"predict_proba": pipe.predict_proba(rows)}, got)
