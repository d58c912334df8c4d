"""Running the JavaScript runtime from the tests. In CI, a missing Node is a failure, not a
skip: cross-language fidelity is half of what this project promises."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
JS = ROOT / "js_runtime"
CLI = JS / "bin" / "json-models.js"


def node() -> str:
    """The node executable; skips locally when absent, fails in CI (CI=true)."""
    path = shutil.which("node")
    if path is None:
        if os.environ.get("CI"):
            pytest.fail("node is not installed, and CI must run the cross-language tests")
        pytest.skip("node is not installed")
    return path


def run_node(
    *args, input_text: str | None = None, timeout: float = 120
) -> subprocess.CompletedProcess:
    return subprocess.run(
        [node(), *map(str, args)],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=JS,
        input=input_text,
    )


def predict(model_path: Path, rows_path: Path) -> dict:
    """``json-models predict MODEL X`` in Node: the parsed JSON it prints."""
    result = run_node(CLI, "predict", model_path, rows_path)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def dev_dependencies_installed() -> bool:
    return (JS / "node_modules" / "ajv").is_dir()
