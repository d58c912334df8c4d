"""``pip install json-models`` from a wheel is complete (SPEC.md, "Packages").

The wheel is built from this checkout as a user's pip builds it, installed with its
dependencies from the package index into a new virtual environment, and used from a folder
outside the checkout with ``PYTHONPATH`` cleared: the Python API, ``json-models validate``,
``info``, ``demo`` (which runs the bundled JavaScript runtime in Node) and ``serve`` (which
serves the bundled page and runtime). Nothing there can read the checkout's ``schemas/`` or
``js_runtime/``. The sdist is checked too: a wheel built from it has the same files.

Cost: the install is the slow step (about 10 s with pip's cache warm; a cold cache downloads
scikit-learn, SciPy and NumPy once). The whole module takes about 40 s.
"""

from __future__ import annotations

import json
import os
import queue
import re
import signal
import subprocess
import sys
import tarfile
import threading
import urllib.parse
import urllib.request
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from jsnode import node

ROOT = Path(__file__).resolve().parent.parent
BUNDLED = "json_models/_bundled/"
BIN = "Scripts" if os.name == "nt" else "bin"
#: Folders of the JavaScript package that the page and ``demo`` use (the rest stays out).
RUNTIME_PARTS = ("src", "bin", "demo")


def sh(*cmd, cwd: Path = ROOT, env=None, timeout: float = 300, expect: int | None = 0):
    """Run ``cmd``; assert its exit status (unless ``expect`` is None) with its output."""
    done = subprocess.run(
        [str(c) for c in cmd], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout
    )
    if expect is not None:
        assert done.returncode == expect, (
            f"{' '.join(map(str, cmd))} exited {done.returncode}\n{done.stdout}\n{done.stderr}"
        )
    return done


def new_venv(root: Path, *requirements: str) -> Path:
    """A new virtual environment (no pip of its own: this pytest's pip installs into it with
    ``--python``) holding ``requirements`` and their dependencies; its python."""
    sh(sys.executable, "-m", "venv", "--without-pip", root)
    python = root / BIN / ("python.exe" if os.name == "nt" else "python")
    if requirements:
        sh(sys.executable, "-m", "pip", "--python", python, "install", *requirements, timeout=900)
    return python


def wheel_names(path: Path) -> set[str]:
    with zipfile.ZipFile(path) as z:
        return {name for name in z.namelist() if not name.endswith("/")}


def expected_bundle() -> dict[str, Path]:
    """Wheel path -> checkout file, for everything the package reads at run time from outside
    ``json_models/``: the schemas, and the runtime's package.json, src/, bin/ and demo/."""
    files = sorted((ROOT / "schemas").glob("*.json")) + [ROOT / "js_runtime" / "package.json"]
    for part in RUNTIME_PARTS:
        files += [p for p in sorted((ROOT / "js_runtime" / part).rglob("*")) if p.is_file()]
    return {BUNDLED + p.relative_to(ROOT).as_posix(): p for p in files}


@dataclass
class Installed:
    """The new environment and how to run things in it, from a folder outside the checkout."""

    python: Path
    work: Path
    env: dict[str, str]

    @property
    def cli(self) -> Path:
        return self.python.parent / "json-models"

    def run(self, *cmd, timeout: float = 300, expect: int | None = 0):
        return sh(*cmd, cwd=self.work, env=self.env, timeout=timeout, expect=expect)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """The wheel that ``pip wheel .`` builds from the checkout (in an isolated build env)."""
    out = tmp_path_factory.mktemp("dist")
    sh(sys.executable, "-m", "pip", "wheel", "--no-deps", "-w", out, ".")
    (path,) = out.glob("json_models-*.whl")
    return path


@pytest.fixture(scope="module")
def installed(tmp_path_factory, wheel) -> Installed:
    python = new_venv(tmp_path_factory.mktemp("venv"), str(wheel))
    work = tmp_path_factory.mktemp("work")
    assert not work.resolve().is_relative_to(ROOT)
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP", "VIRTUAL_ENV")
    }
    env["PATH"] = os.pathsep.join([str(python.parent), env.get("PATH", "")])
    return Installed(python, work, env)


# ---------------------------------------------------------------- what the packages hold


def test_wheel_holds_the_schemas_and_runtime_and_nothing_else(wheel):
    names = wheel_names(wheel)
    bundle = expected_bundle()
    assert any(n.endswith("schemas/json-models.schema.json") for n in bundle)
    assert any(n.endswith("js_runtime/demo/index.html") for n in bundle)
    assert {n for n in names if n.startswith(BUNDLED)} == set(bundle)
    with zipfile.ZipFile(wheel) as z:
        for name, source in bundle.items():
            assert z.read(name) == source.read_bytes(), f"{name} differs from {source}"
    modules = {p.relative_to(ROOT).as_posix() for p in (ROOT / "json_models").rglob("*.py")}
    assert modules <= names
    for name in names:
        top = name.split("/", 1)[0]
        assert top == "json_models" or top.endswith(".dist-info"), name
        for unwanted in ("tests/", "test/", "node_modules", "demo-out", "scripts/", ".pyc"):
            assert unwanted not in name, name


def test_sdist_and_a_build_without_isolation_give_the_same_wheel(wheel, tmp_path):
    """The sdist carries the bundled files (MANIFEST.in), so the wheel built from it is
    complete; and ``pip wheel --no-build-isolation .`` works with setuptools>=77."""
    builder = new_venv(tmp_path / "build-venv", "setuptools>=77")
    build_sdist = (
        "import sys; from setuptools import build_meta; build_meta.build_sdist(sys.argv[1])"
    )
    sh(builder, "-c", build_sdist, tmp_path / "sdist")
    (sdist,) = (tmp_path / "sdist").glob("json_models-*.tar.gz")
    with tarfile.open(sdist) as tar:
        members = {m.name.split("/", 1)[1] for m in tar.getmembers() if m.isfile()}
    for source in expected_bundle().values():
        assert source.relative_to(ROOT).as_posix() in members
    assert {"setup.py", "MANIFEST.in", "pyproject.toml"} <= members
    for name in members:
        assert "node_modules" not in name and not name.startswith(("js_runtime/test/", "tests/"))

    pip = (sys.executable, "-m", "pip", "--python", builder, "wheel", "--no-build-isolation")
    sh(*pip, "--no-deps", "-w", tmp_path / "from-sdist", sdist)
    sh(*pip, "--no-deps", "-w", tmp_path / "no-isolation", ".")
    for folder in ("from-sdist", "no-isolation"):
        (other,) = (tmp_path / folder).glob("json_models-*.whl")
        assert wheel_names(other) == wheel_names(wheel), folder


# ---------------------------------------------------------------- the installed package

ROUND_TRIP = """
import json
import numpy as np
import json_models as jm
from json_models import _resources
from sklearn.datasets import load_iris
from sklearn.ensemble import RandomForestClassifier

X, y = load_iris(return_X_y=True)
est = RandomForestClassifier(n_estimators=5, random_state=0).fit(X, y)
text = jm.dumps(est)
jm.validate(json.loads(text))
jm.dump(est, "model.json")
jm.dump(est, "model.json.gz")
for back in (jm.loads(text), jm.load("model.json"), jm.load("model.json.gz")):
    assert type(back) is RandomForestClassifier
    assert np.array_equal(back.predict(X), est.predict(X))
    assert back.predict_proba(X).tobytes() == est.predict_proba(X).tobytes()

doc = json.loads(text)
doc["state"]["estimators"][0]["tree"]["feature"][0] = "x"
with open("invalid.json", "w") as f:
    json.dump(doc, f)
try:
    jm.validate(doc)
except jm.InvalidModelError as e:
    refused = e.pointer
else:
    raise AssertionError("an invalid document passed")
print(json.dumps({
    "package": jm.__file__,
    "schemas": str(_resources.schema_dir()),
    "runtime": str(_resources.js_runtime_dir()),
    "refused": refused,
}))
"""


@pytest.fixture(scope="module")
def model_file(installed) -> Path:
    """``model.json`` (a RandomForestClassifier) written and read back by the installed package
    (and ``invalid.json`` beside it)."""
    out = installed.run(installed.python, "-I", "-c", ROUND_TRIP)
    where = json.loads(out.stdout)
    site = installed.python.parent.parent
    for key in ("package", "schemas", "runtime"):
        path = Path(where[key]).resolve()
        assert path.is_relative_to(site.resolve()) and not path.is_relative_to(ROOT), where
    assert Path(where["schemas"]).name == "schemas" and "_bundled" in Path(where["schemas"]).parts
    assert where["refused"] == "/state/estimators/0/tree/feature/0"
    return installed.work / "model.json"


def test_python_api_round_trip_from_the_wheel(model_file):
    assert model_file.is_file() and model_file.with_suffix(".json.gz").is_file()


def test_cli_validate_and_info_from_the_wheel(installed, model_file):
    installed.run(installed.cli, "validate", model_file, model_file.with_suffix(".json.gz"))
    bad = installed.run(installed.cli, "validate", installed.work / "invalid.json", expect=1)
    assert "/state/estimators/0/tree/feature/0" in bad.stdout
    info = installed.run(installed.cli, "info", model_file)
    assert "sklearn.ensemble.RandomForestClassifier" in info.stdout


@pytest.fixture(scope="module")
def demo_dir(installed) -> Path:
    """``json-models demo --out DIR`` run by the installed package, Node on PATH."""
    env = dict(installed.env)
    path = [str(installed.python.parent), str(Path(node()).parent), installed.env["PATH"]]
    env["PATH"] = os.pathsep.join(path)
    out = installed.work / "demo-out"
    done = sh(installed.cli, "demo", "--out", out, cwd=installed.work, env=env, timeout=600)
    assert "JavaScript check skipped" not in done.stdout, done.stdout
    assert re.search(r"(\d+) models written .*; \1 passed every check", done.stdout), done.stdout
    assert "_bundled/js_runtime/bin/json-models.js" in done.stdout  # its "try it" line
    return out


def test_demo_from_the_wheel_runs_the_bundled_runtime_in_node(demo_dir):
    assert len(list(demo_dir.glob("*.json.gz"))) >= 5
    assert (demo_dir / "comparison.md").is_file() and (demo_dir / "comparison.svg").is_file()


def _lines(stream, into: queue.Queue) -> None:
    for line in stream:
        into.put(line)


def _get(url: str) -> tuple[str, bytes]:
    with urllib.request.urlopen(url, timeout=30) as response:
        assert response.status == 200, url
        return response.headers["Content-Type"], response.read()


#: The module a static ``import``/``export ... from`` statement names.
IMPORT = re.compile(
    r"""^\s*(?:
        import\s+(?:[\w$*{},\s]+?\s+from\s+)?  # import "m"; import x, { y } from "m"
      | export\s+(?:\*(?:\s+as\s+[\w$]+)?|\{[^}]*\})\s+from\s+  # export * (as x) / { y } from "m"
    )["']([^"']+)["']""",
    re.M | re.X,
)


def test_serve_from_the_wheel_serves_the_page_its_modules_and_the_models(installed, demo_dir):
    command = [str(installed.cli), "serve", str(demo_dir), "--port", "0"]
    lines: queue.Queue = queue.Queue()  # its output (stderr: one line per request)
    with subprocess.Popen(
        command,
        cwd=installed.work,
        env=installed.env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    ) as server:
        threading.Thread(target=_lines, args=(server.stdout, lines), daemon=True).start()
        try:
            first = lines.get(timeout=60)
            match = re.search(r"(http://127\.0\.0\.1:\d+/demo/)", first)
            assert match, first
            check_served(match.group(1), demo_dir)
        finally:
            server.send_signal(signal.SIGINT)  # as Ctrl-C: the server closes and exits 0
            try:
                status = server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
                status = server.wait()
    assert status == 0, "".join(lines.queue)


def check_served(page_url: str, demo_dir: Path) -> None:
    """The page, every module it loads (following static imports as a browser does), the
    models listing and a model file, over HTTP."""
    kind, page = _get(page_url)
    assert kind.startswith("text/html") and b'type="module"' in page
    todo = [
        urllib.parse.urljoin(page_url, src)
        for src in re.findall(r'<script type="module" src="([^"]+)"', page.decode())
    ]
    seen: set[str] = set()
    while todo:
        url = todo.pop()
        if url in seen:
            continue
        seen.add(url)
        kind, body = _get(url)
        assert kind.startswith("text/javascript"), url
        todo += [urllib.parse.urljoin(url, s) for s in IMPORT.findall(body.decode())]
    paths = {urllib.parse.urlsplit(u).path for u in seen}
    page = {"/demo/app.js", "/src/index.js", "/src/errors.js", "/src/tree-engine.js"}
    assert page | {"/src/models/tree.js"} <= paths

    listing = json.loads(_get(urllib.parse.urljoin(page_url, "/models/index.json"))[1])
    urls = {m["name"]: m["url"] for m in listing["models"]}
    name = "RandomForestClassifier-digits.json.gz"
    assert name in urls, sorted(urls)
    assert _get(urllib.parse.urljoin(page_url, urls[name]))[1] == (demo_dir / name).read_bytes()
