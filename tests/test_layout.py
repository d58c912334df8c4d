"""The project keeps its promises about itself: one name per model family everywhere, and a
README whose table of supported estimators is the registry's."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cases import CASES
from jsnode import run_node

from json_models import _registry

ROOT = Path(__file__).resolve().parent.parent
FAMILIES = [codec.FAMILY for codec in _registry.CODECS]


@pytest.mark.parametrize("family", FAMILIES)
def test_each_family_has_codec_schema_runtime_and_cases(family):
    assert (ROOT / "json_models" / "codecs" / f"{family}.py").is_file()
    assert (ROOT / "schemas" / f"{family}.schema.json").is_file()
    assert (ROOT / "js_runtime" / "src" / "models" / f"{family}.js").is_file()
    codec = next(c for c in _registry.CODECS if c.FAMILY == family)
    tested = {type(case.make()) for case in CASES if case.family == family}
    assert tested == set(codec.ESTIMATORS), "every estimator of the family has zoo rows"


def test_readme_lists_exactly_the_supported_estimators():
    readme = (ROOT / "README.md").read_text()
    start, end = "<!-- supported-estimators:start -->\n", "\n<!-- supported-estimators:end -->"
    table = readme.split(start, 1)[1].split(end, 1)[0]
    assert table == _registry.supported_markdown()


def test_readme_quickstart_commands():
    readme = (ROOT / "README.md").read_text()
    assert "pip install -e . && json-models demo" in readme
    assert 'pip install -e ".[test]" && pytest' in readme
    ci = (ROOT / ".ci" / "run").read_text().splitlines()
    assert 'pip install -e ".[test]" && pytest' in ci  # as a line of its own, exactly


def test_schema_and_javascript_allow_the_registry_estimators_exactly():
    entry = json.loads((ROOT / "schemas" / "json-models.schema.json").read_text())
    assert sorted(entry["properties"]["estimator"]["enum"]) == sorted(_registry.SUPPORTED)
    script = (
        "import('./src/index.js').then(m => console.log(JSON.stringify(m.SUPPORTED_ESTIMATORS)))"
    )
    result = run_node("--input-type=module", "-e", script)
    assert result.returncode == 0, result.stderr
    assert sorted(json.loads(result.stdout)) == sorted(_registry.SUPPORTED)
