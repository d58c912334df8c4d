"""Where the files that travel with the package are: the schemas and the JavaScript runtime.

An installed wheel carries copies of them inside the package, under ``json_models/_bundled/``
(``setup.py`` copies them there at build time, from the sdist too). A source checkout, and an
editable install of one, has no ``_bundled/`` and reads the top-level folders beside the
package, ``schemas/`` and ``js_runtime/``: the one source, never copied in the repository.

The answer is a real folder (``pathlib.Path``), not an ``importlib.resources`` traversable:
Node runs the runtime's files by path and the server checks that a requested file resolves
inside its folder, so both need files on disk. The package is always installed as files
(a wheel is unpacked), never imported from a zip archive.
"""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
#: Copies made at build time (``setup.py``), present only in a built package.
BUNDLED_DIR = PACKAGE_DIR / "_bundled"
#: The top-level folders of a source checkout.
CHECKOUT_DIR = PACKAGE_DIR.parent
#: What travels with the package, by the name of its top-level folder in the repository.
NAMES = ("schemas", "js_runtime")


def bundled(name: str) -> Path:
    """The folder ``name`` (``"schemas"`` or ``"js_runtime"``): inside the installed package
    when it was built with it, else the checkout's top-level folder (which may be missing: the
    callers say what they looked for)."""
    if name not in NAMES:
        raise ValueError(f"unknown bundled folder {name!r}; choose from {', '.join(NAMES)}")
    inside = BUNDLED_DIR / name
    return inside if inside.is_dir() else CHECKOUT_DIR / name


def schema_dir() -> Path:
    """The folder of the JSON Schema files (``*.schema.json``)."""
    return bundled("schemas")


def js_runtime_dir() -> Path:
    """The folder of the JavaScript runtime (``package.json``, ``src/``, ``bin/``, ``demo/``)."""
    return bundled("js_runtime")
