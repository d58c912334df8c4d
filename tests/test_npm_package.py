"""js_runtime/ as the npm package ``json-models``, the way a user gets it: ``npm pack`` makes
the tarball, a new project outside the checkout installs it, and from there the package name
gives the runtime (``import { loadModel } from "json-models"``), the CLI (``npx json-models``),
the types (``tsc``) and the schemas (``json-models/schemas/*``). Also: one version number."""

from __future__ import annotations

import json
import re
import tarfile
from pathlib import Path

import numpy as np
import pytest
from cases import json_values
from conftest import assert_bitwise_equal
from jsnode import JS, ROOT, dev_dependencies_installed, run_node, run_npm, run_npx
from sklearn.datasets import load_iris
from sklearn.ensemble import RandomForestClassifier

import json_models as jm
from json_models._version import __version__

SCHEMAS = ROOT / "schemas"
TSC = JS / "node_modules" / "typescript" / "bin" / "tsc"


def test_npm_package_version_is_the_python_version():
    """``json_models/_version.py`` is the one version source; package.json and its lock file
    carry the same number."""
    package = json.loads((JS / "package.json").read_text())
    lock = json.loads((JS / "package-lock.json").read_text())
    found = {
        "js_runtime/package.json": package["version"],
        "js_runtime/package-lock.json": lock["version"],
        'js_runtime/package-lock.json packages[""]': lock["packages"][""]["version"],
    }
    wrong = {where: v for where, v in found.items() if v != __version__}
    assert not wrong, (
        f"json_models/_version.py says {__version__!r}, the one version source, but "
        + ", ".join(f"{where} says {v!r}" for where, v in wrong.items())
        + f": set {__version__!r} there (`npm version --no-git-tag-version {__version__}` in "
        "js_runtime/ changes both files)"
    )


@pytest.fixture(scope="module")
def tarball(tmp_path_factory):
    """The tarball of ``npm pack`` in js_runtime/ (its prepack copies ../schemas in, its
    postpack removes the copy)."""
    copy = JS / "schemas"
    copy_before = copy.exists()
    dest = tmp_path_factory.mktemp("pack")
    result = run_npm("pack", "--pack-destination", dest, cwd=JS)
    assert result.returncode == 0, result.stdout + result.stderr
    if not copy_before:
        assert not copy.exists(), "postpack left js_runtime/schemas/ behind"
    [path] = dest.glob("*.tgz")
    assert path.name == f"json-models-{__version__}.tgz"
    return path


@pytest.fixture(scope="module")
def project(tarball, tmp_path_factory):
    """A new ES-module project outside the checkout with the tarball installed, and in it a
    random forest on iris written by Python and rows to predict."""
    path = tmp_path_factory.mktemp("consumer")
    assert not path.resolve().is_relative_to(ROOT)
    (path / "package.json").write_text(
        json.dumps({"name": "consumer", "private": True, "type": "module"})
    )
    result = run_npm("install", "--no-audit", "--no-fund", "--offline", tarball, cwd=path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert (path / "node_modules" / "json-models" / "package.json").is_file()

    X, y = load_iris(return_X_y=True)
    est = RandomForestClassifier(n_estimators=5, random_state=0).fit(X, y)
    rows = X[::7].copy()
    rows[1, 2] = np.nan  # a missing value (forests route it as they learned)
    (path / "model.json").write_text(jm.dumps(est))
    (path / "X.json").write_text(json.dumps(json_values(rows)))
    return path, est, rows


def _sklearn(est, rows) -> dict:
    return {"predict": est.predict(rows), "predict_proba": est.predict_proba(rows)}


def _as_arrays(out: dict) -> dict:
    return {
        "predict": np.asarray(out["predict"]),
        "predict_proba": np.asarray(out["predict_proba"], dtype=np.float64),
    }


def test_tarball_holds_runtime_cli_types_and_schemas(tarball):
    """The tarball ships src/, the CLI, the types and every schema (byte for byte the
    repository's), and nothing for development."""
    with tarfile.open(tarball) as tar:
        names = {m.name.removeprefix("package/") for m in tar.getmembers() if m.isfile()}
        shipped = {
            name: tar.extractfile(f"package/schemas/{name}").read()
            for name in (n.removeprefix("schemas/") for n in names if n.startswith("schemas/"))
        }
    expected = {p.name: p.read_bytes() for p in SCHEMAS.glob("*.schema.json")}
    expected["README.md"] = (SCHEMAS / "README.md").read_bytes()
    assert shipped == expected
    assert {"package.json", "README.md", "bin/json-models.js", "src/index.js"} <= names
    assert "src/index.d.ts" in names
    top = {"package.json", "README.md", "bin", "src", "schemas"}
    assert {n.split("/")[0] for n in names} == top, "nothing for development is shipped"


def test_import_by_package_name_predicts_like_scikit_learn(project):
    """``import { loadModel } from "json-models"`` in the new project resolves to the installed
    package and predicts the Python-written forest bit for bit like scikit-learn."""
    path, est, rows = project
    out = _consumer_says(
        path,
        "predict.mjs",
        'import { readFileSync } from "node:fs";\n'
        'import { loadModel } from "json-models";\n'
        'const model = loadModel(readFileSync("model.json", "utf8"));\n'
        'const X = JSON.parse(readFileSync("X.json", "utf8"));\n'
        "console.log(JSON.stringify({\n"
        '  resolved: import.meta.resolve("json-models"),\n'
        "  predict: model.predict(X),\n"
        "  predict_proba: model.predictProba(X),\n"
        "}));\n",
    )
    assert out.pop("resolved") == (path / "node_modules/json-models/src/index.js").as_uri()
    got = _as_arrays(out)
    for method, want in _sklearn(est, rows).items():
        assert_bitwise_equal(got[method], want, method)


def test_npx_cli_predicts_like_scikit_learn(project):
    """``npx json-models predict model.json X.json`` in the project runs the package's CLI
    (``--no``: never fetched) and prints scikit-learn's outputs."""
    path, est, rows = project
    result = run_npx("--no", "json-models", "predict", "model.json", "X.json", cwd=path)
    assert result.returncode == 0, result.stdout + result.stderr
    out = json.loads(result.stdout)
    assert sorted(out) == ["predict", "predict_proba"]
    got = _as_arrays(out)
    for method, want in _sklearn(est, rows).items():
        assert_bitwise_equal(got[method], want, method)

    bad = run_npx("--no", "json-models", "predict", "X.json", "X.json", cwd=path)
    # the CLI's one line comes last (npm may warn about its own configuration before it)
    assert bad.returncode == 1, bad.stdout + bad.stderr
    assert bad.stderr.splitlines()[-1].startswith("json-models: "), bad.stderr


CONSUMER_TS = """\
import { loadModel, InvalidModelError, type Model, type Row } from "json-models";

const model: Model = loadModel("{}");
const rows: Row[] = [[5.1, 3.5, null, 0.2]];
const labels = model.predict?.(rows); // (absent on transformers)
const proba: number[][] | number[][][] | undefined = model.predictProba?.(rows);
const n: number = model.nFeatures;
void [labels, proba, n, InvalidModelError];
// @ts-expect-error: the declarations are in force (under `any` this line would be an error)
const wrong: string = model.nFeatures;
void wrong;
"""


def test_types_resolve_from_the_package(project):
    """tsc (js_runtime's dev dependency) checks a consumer that imports from "json-models"
    against the installed package's index.d.ts: a deliberate type error is caught."""
    assert dev_dependencies_installed()
    path = project[0]
    (path / "consumer.ts").write_text(CONSUMER_TS)
    options = {
        "target": "es2022",
        "module": "nodenext",
        "moduleResolution": "nodenext",
        "lib": ["es2022"],
        "types": [],
        "strict": True,
        "noEmit": True,
    }
    (path / "tsconfig.json").write_text(
        json.dumps({"compilerOptions": options, "files": ["consumer.ts"]})
    )
    result = run_node(TSC, "-p", path / "tsconfig.json", "--listFiles", cwd=path)
    assert result.returncode == 0, result.stdout + result.stderr
    listed = {line.strip() for line in result.stdout.splitlines()}
    declarations = (path / "node_modules/json-models/src/index.d.ts").resolve()
    assert any(re.sub(r"\\", "/", f) == declarations.as_posix() for f in listed), result.stdout


def test_schemas_resolve_from_the_package(project):
    """``json-models/schemas/*`` resolves (ES ``import.meta.resolve`` and CommonJS
    ``require.resolve``) to the repository's schemas, with the same ``$id``."""
    path = project[0]
    out = _consumer_says(
        path,
        "schema.mjs",
        'import { readFileSync } from "node:fs";\n'
        'import { createRequire } from "node:module";\n'
        'import { fileURLToPath } from "node:url";\n'
        'const name = "json-models/schemas/json-models.schema.json";\n'
        "const file = fileURLToPath(import.meta.resolve(name));\n"
        "const required = createRequire(import.meta.url).resolve(name);\n"
        'const version = createRequire(import.meta.url)("json-models/package.json").version;\n'
        'const schema = JSON.parse(readFileSync(file, "utf8"));\n'
        "console.log(JSON.stringify({ file, required, version, schema }));\n",
    )
    installed = path / "node_modules/json-models/schemas/json-models.schema.json"
    assert out["file"] == out["required"] == str(installed)
    assert out["version"] == __version__
    repo_schema = json.loads((SCHEMAS / "json-models.schema.json").read_text())
    assert out["schema"]["$id"] == repo_schema["$id"]
    assert out["schema"] == repo_schema


def _consumer_says(project: Path, name: str, source: str) -> dict:
    """What a module of the consumer project prints (one JSON object), run by Node there."""
    (project / name).write_text(source)
    result = run_node(project / name, cwd=project)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)
