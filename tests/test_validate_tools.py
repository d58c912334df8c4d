"""The README's "Validate documents in CI" works as written: the pre-commit hook, the ajv script
and check-jsonschema each accept a valid document and reject an invalid one, offline.

The hook runs through pre-commit itself (its manifest and config checks, its file matching,
its way of passing file names), as a ``local`` hook with the entry, ``files`` and ``types`` of
``.pre-commit-hooks.yaml`` but ``language: system``: pre-commit then runs the ``json-models``
of this environment instead of building one of its own from the repository, which would need
the package index; ``test_wheel.py`` checks that a non-editable install, as pre-commit makes, is
complete. pre-commit and check-jsonschema come with the ``test`` extra (small, pure Python but
regress, and offline once installed); ajv is js_runtime's dev dependency.
"""

from __future__ import annotations

import gzip
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from jsnode import JS, dev_dependencies_installed, node

import json_models as jm

ROOT = Path(__file__).resolve().parent.parent
HOOK_ID = "json-models-validate"
SECTION = "## Validate documents in CI"
#: Where the invalid document breaks the schema (not only the semantic checks), for every tool.
BAD_PLACE = "/state/tree/feature/0"


def need(module: str) -> None:
    """Skip when a tool of the ``test`` extra is missing, except in CI, where it fails."""
    try:
        __import__(module)
    except ImportError:
        message = f'{module} is not installed: pip install -e ".[test]"'
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


def readme_blocks() -> list[tuple[str, str]]:
    """``(language, code)`` of each fenced block of the README's section."""
    readme = (ROOT / "README.md").read_text()
    assert readme.count(f"\n{SECTION}\n") == 1
    section = readme.split(f"\n{SECTION}\n", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"^```(\w+)\n(.*?)^```$", section, re.S | re.M)


def readme_command(program: str) -> str:
    """The README's shell command line that starts with ``program``."""
    lines = [
        line
        for lang, code in readme_blocks()
        if lang == "sh"
        for line in code.splitlines()
        if line.startswith(program + " ")
    ]
    assert len(lines) == 1, lines
    return lines[0]


@pytest.fixture(scope="module")
def docs(tmp_path_factory) -> dict[str, Path]:
    """A valid document (plain and gzipped) and an invalid one, in a folder of their own."""
    from sklearn.datasets import load_iris
    from sklearn.tree import DecisionTreeClassifier

    folder = tmp_path_factory.mktemp("docs")
    X, y = load_iris(return_X_y=True)
    doc = jm.to_dict(DecisionTreeClassifier(max_depth=2, random_state=0).fit(X, y))
    paths = {"valid": folder / "valid.json", "gz": folder / "valid.json.gz"}
    paths["valid"].write_text(json.dumps(doc))
    paths["gz"].write_bytes(gzip.compress(json.dumps(doc).encode()))
    doc["state"]["tree"]["feature"][0] = "x"
    paths["invalid"] = folder / "invalid.json"
    paths["invalid"].write_text(json.dumps(doc))
    return paths


def run(cmd, cwd: Path, env=None, shell: bool = False) -> subprocess.CompletedProcess:
    return subprocess.run(
        cmd, cwd=cwd, env=env, shell=shell, capture_output=True, text=True, timeout=120
    )


def path_env(*folders: str | Path) -> dict[str, str]:
    env = dict(os.environ)
    env["PATH"] = os.pathsep.join([*map(str, folders), env.get("PATH", "")])
    return env


# ---------------------------------------------------------------- pre-commit


def load_yaml(text: str):
    import yaml  # pre-commit's dependency

    return yaml.safe_load(text)


def manifest_hook() -> dict:
    """The one hook of ``.pre-commit-hooks.yaml``."""
    (hook,) = load_yaml((ROOT / ".pre-commit-hooks.yaml").read_text())
    return hook


def test_pre_commit_manifest_and_readme_config_are_valid(tmp_path):
    need("pre_commit")
    pre_commit = (sys.executable, "-m", "pre_commit")
    done = run([*pre_commit, "validate-manifest", ROOT / ".pre-commit-hooks.yaml"], ROOT)
    assert done.returncode == 0, done.stdout + done.stderr
    hook = manifest_hook()
    assert hook["id"] == HOOK_ID and hook["language"] == "python"
    assert hook["entry"] == "json-models validate"
    files = re.compile(hook["files"])
    assert files.search("m.json") and files.search("a/m.json.gz") and not files.search("m.jsonl")

    (config,) = [code for lang, code in readme_blocks() if lang == "yaml"]
    (tmp_path / "config.yaml").write_text(config)
    done = run([*pre_commit, "validate-config", tmp_path / "config.yaml"], tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    (repo,) = load_yaml(config)["repos"]
    assert [h["id"] for h in repo["hooks"]] == [HOOK_ID]


@pytest.mark.parametrize("files", ["manifest", "readme"])
def test_pre_commit_runs_the_hook(files, docs, tmp_path):
    """``pre-commit run`` passes the matching files of a git repository to the hook's entry:
    with the manifest's ``files``, and with the README's override (models/ only)."""
    need("pre_commit")
    if shutil.which("git") is None:
        pytest.fail("git is needed to run pre-commit")
    hook = {**manifest_hook(), "language": "system"}
    if files == "readme":
        (config,) = [code for lang, code in readme_blocks() if lang == "yaml"]
        hook.update(load_yaml(config)["repos"][0]["hooks"][0])
    repo = tmp_path / "repo"
    models = repo / "models"
    models.mkdir(parents=True)
    for key in ("valid", "gz", "invalid"):
        shutil.copy(docs[key], models / docs[key].name)
    (repo / "notes.txt").write_text("not a model\n")
    (repo / ".pre-commit-config.yaml").write_text(
        json.dumps({"repos": [{"repo": "local", "hooks": [hook]}]})
    )
    env = path_env(Path(sys.executable).parent)
    env["PRE_COMMIT_HOME"] = str(tmp_path / "pre-commit-home")
    env.pop("PRE_COMMIT", None)
    for git in (["init", "-q"], ["add", "-A"]):
        done = run(["git", *git], repo, env)
        assert done.returncode == 0, done.stderr

    pre_commit = [sys.executable, "-m", "pre_commit", "run", HOOK_ID, "--color", "never"]
    good = run([*pre_commit, "--files", "models/valid.json", "models/valid.json.gz"], repo, env)
    assert good.returncode == 0, good.stdout + good.stderr
    assert "Passed" in good.stdout
    bad = run([*pre_commit, "--all-files"], repo, env)
    assert bad.returncode == 1, bad.stdout + bad.stderr
    assert f"models/invalid.json: {BAD_PLACE}: " in bad.stdout
    assert not re.search(r"^models/valid\.json", bad.stdout, re.M), bad.stdout

    if files == "readme":  # a package.json at the top is not a model and is left alone
        (repo / "package.json").write_text('{"name": "app"}')
        run(["git", "add", "-A"], repo, env)
        only_valid = run([*pre_commit, "--files", "package.json", "models/valid.json"], repo, env)
        assert only_valid.returncode == 0, only_valid.stdout + only_valid.stderr


# ---------------------------------------------------------------- ajv (Node)


def test_ajv_script_of_the_readme(docs, tmp_path):
    """The README's script and command, with ajv from js_runtime's dev dependencies."""
    node_exe = node()
    if not dev_dependencies_installed():
        pytest.fail("js_runtime dev dependencies are missing: run `npm ci` in js_runtime/")
    command = readme_command("node")
    script_name = shlex.split(command)[1]
    (script,) = [code for lang, code in readme_blocks() if lang == "js"]
    assert script.startswith(f"// {script_name}:")
    (tmp_path / script_name).write_text(script)
    shutil.copytree(ROOT / "schemas", tmp_path / "schemas")
    (tmp_path / "node_modules").symlink_to(JS / "node_modules", target_is_directory=True)
    env = path_env(Path(node_exe).parent)

    for key, status in (("valid", 0), ("gz", 0), ("invalid", 1)):
        line = command.replace("model.json", shlex.quote(str(docs[key])))
        done = run(line, tmp_path, env, shell=True)
        assert done.returncode == status, (key, done.stdout, done.stderr)
        if status:
            assert done.stdout.startswith(f"{docs[key]}: {BAD_PLACE}: must be integer")
        else:
            assert done.stdout == "" and done.stderr == ""


# ---------------------------------------------------------------- check-jsonschema (Python)


def test_check_jsonschema_command_of_the_readme(docs, tmp_path):
    """The README's command, offline: ``--base-uri`` makes check-jsonschema read the family
    schemas from the folder instead of fetching them from their ``$id``s."""
    need("check_jsonschema")
    command = readme_command("check-jsonschema")
    shutil.copytree(ROOT / "schemas", tmp_path / "schemas")
    env = path_env(Path(sys.executable).parent)
    env["PWD"] = str(tmp_path)
    env["XDG_CACHE_HOME"] = str(tmp_path / "cache")  # no schema cached by an earlier run
    for key, status in (("valid", 0), ("invalid", 1)):
        line = command.replace("model.json", shlex.quote(str(docs[key])))
        done = run(line, tmp_path, env, shell=True)
        assert done.returncode == status, (key, done.stdout, done.stderr)
        if status:
            assert "Schema validation errors were encountered" in done.stdout, done.stdout
            assert "$.state.tree.feature" in done.stdout, done.stdout
            assert "Unresolvable" not in done.stdout + done.stderr
        else:
            assert "ok -- validation done" in done.stdout
