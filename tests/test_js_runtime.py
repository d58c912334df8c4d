"""The JavaScript runtime's own checks, run from pytest so the README's one test command runs
everything: its node:test suite, the type check of index.d.ts, and the size budget."""

from __future__ import annotations

import re

import pytest
from jsnode import JS, dev_dependencies_installed, run_node


def _need_dev_dependencies():
    if not dev_dependencies_installed():
        pytest.fail("js_runtime dev dependencies are missing: run `npm ci` in js_runtime/")


def test_node_test_suite_passes():
    suites = sorted(str(p) for p in (JS / "test").glob("*.test.js"))
    result = run_node("--test", "--test-reporter=tap", *suites, timeout=300)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert re.search(r"^# fail 0$", result.stdout, re.M)
    assert not re.search(r"^# pass 0$", result.stdout, re.M)


def test_type_declarations_check():
    _need_dev_dependencies()
    result = run_node(JS / "node_modules" / "typescript" / "bin" / "tsc", "--noEmit", "-p", ".")
    assert result.returncode == 0, result.stdout + result.stderr


def test_minified_gzipped_size_within_budget():
    _need_dev_dependencies()
    result = run_node(JS / "scripts" / "size.mjs")
    assert result.returncode == 0, result.stderr
    # The budget is set once, in size.mjs, which prints it.
    size, budget = map(
        int, re.search(r"min\+gzip: (\d+) B \(budget (\d+) B\)", result.stdout).groups()
    )
    assert 0 < size <= budget, result.stdout
