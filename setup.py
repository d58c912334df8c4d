"""The one build step that ``pyproject.toml`` cannot state: a built package carries the files it
reads at run time from outside ``json_models/``.

``build_py`` copies the schemas and the JavaScript runtime with its demo page into the built
package as ``json_models/_bundled/schemas/`` and ``json_models/_bundled/js_runtime/``, where
``json_models._resources`` finds them once installed. The top-level folders stay the one source:
nothing is copied in the repository. ``MANIFEST.in`` puts the same files in the sdist, so a
wheel built from the sdist is complete too. An editable install copies nothing: it reads the
checkout's folders.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py
from setuptools.errors import FileError

ROOT = Path(__file__).resolve().parent
TARGET = Path("json_models", "_bundled")
#: Glob patterns of repository files, each copied to ``TARGET / its path``. The runtime's
#: tests, scripts and node_modules stay out. MANIFEST.in names the same files for the sdist.
BUNDLE = (
    "schemas/*.json",
    "js_runtime/package.json",
    "js_runtime/src/**/*",
    "js_runtime/bin/**/*",
    "js_runtime/demo/**/*",
)
#: Without these the package is broken (``loads``, ``demo``, ``serve``): refuse to build.
REQUIRED = (
    "schemas/json-models.schema.json",
    "js_runtime/package.json",
    "js_runtime/src/index.js",
    "js_runtime/bin/json-models.js",
    "js_runtime/demo/index.html",
)


def bundle_files() -> list[str]:
    """Repository-relative paths (POSIX) of the files to copy, sorted."""
    missing = [name for name in REQUIRED if not (ROOT / name).is_file()]
    if missing:
        raise FileError(f"cannot build json-models without {', '.join(missing)} (from {ROOT})")
    found = set()
    for pattern in BUNDLE:
        for path in ROOT.glob(pattern):
            rel = path.relative_to(ROOT)
            if path.is_file() and "__pycache__" not in rel.parts:
                found.add(rel.as_posix())
    return sorted(found)


class build_py_with_bundle(build_py):  # noqa: N801 (setuptools' command naming)
    """``build_py`` that also copies :data:`BUNDLE` into ``json_models/_bundled/``."""

    def run(self) -> None:
        super().run()
        if self.editable_mode:
            return
        target = Path(self.build_lib, TARGET)
        # A build folder left by an earlier build may hold a file removed since: start afresh.
        shutil.rmtree(target, ignore_errors=True)
        for rel in bundle_files():
            dst = target / rel
            self.mkpath(str(dst.parent))
            self.copy_file(str(ROOT / rel), str(dst))

    def get_outputs(self, include_bytecode: bool = True) -> list[str]:
        outputs = super().get_outputs(include_bytecode)
        if self.editable_mode:
            return outputs
        return outputs + [str(Path(self.build_lib, TARGET, rel)) for rel in bundle_files()]


setup(cmdclass={"build_py": build_py_with_bundle})
