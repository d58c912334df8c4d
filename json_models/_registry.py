"""The allow-list: exact estimator class <-> public name <-> codec module.

Loading maps the document's ``estimator`` string through this table and nothing else; no module
named by a document is ever imported. Export looks up the exact class, so a subclass (which may
predict differently) is refused rather than exported as its parent.

A codec module (``json_models/codecs/<family>.py``) exports ``FAMILY``, ``ESTIMATORS`` (the
classes it handles), ``encode(est, enc) -> state`` and ``decode(state, ctx) -> attributes``.
Every such module is registered by being there (CONTRIBUTING.md: adding a family).
"""

from __future__ import annotations

import difflib
import importlib
import pkgutil

from . import codecs
from .errors import InvalidModelError, UnsupportedModelError, did_you_mean


def _codec_modules() -> tuple:
    """The codec modules of this package (not a document's choice: the package's own files),
    in the order of their ``ORDER`` (the README's table follows it)."""
    modules = [
        importlib.import_module(f"{codecs.__name__}.{info.name}")
        for info in pkgutil.iter_modules(codecs.__path__)
        if not info.name.startswith("_")
    ]
    return tuple(sorted(modules, key=lambda module: (module.ORDER, module.FAMILY)))


CODECS = _codec_modules()


def public_name(cls: type) -> str:
    """The public import path: ``sklearn.tree._classes.X`` -> ``sklearn.tree.X``."""
    return f"{cls.__module__.split('._')[0]}.{cls.__qualname__}"


def _build():
    by_class, by_name = {}, {}
    for codec in CODECS:
        for cls in codec.ESTIMATORS:
            name = public_name(cls)
            if cls in by_class or name in by_name:
                raise RuntimeError(f"{name} is registered twice")
            by_class[cls] = (name, codec)
            by_name[name] = (cls, codec)
    return by_class, by_name


_BY_CLASS, _BY_NAME = _build()
SUPPORTED = tuple(sorted(_BY_NAME))


def supported_estimators() -> dict:
    """Every estimator json-models exports, by public import path, with its family (the
    README's table lists the same, with the methods each has)."""
    return {name: codec.FAMILY for name, (_, codec) in sorted(_BY_NAME.items())}


# Estimators that hold code of their user's: never exported, whatever the family.
CARRIES_CODE = {
    "sklearn.preprocessing.FunctionTransformer": "a Python function",
    "sklearn.compose.TransformedTargetRegressor": "a Python function (or a transformer) on y",
}


def codec_for_class(cls: type):
    """``(public name, codec)`` for an estimator class, or UnsupportedModelError saying what
    comes closest."""
    if cls in _BY_CLASS:
        return _BY_CLASS[cls]
    name = public_name(cls)
    parent = next((base for base in cls.__mro__[1:] if base in _BY_CLASS), None)
    if parent is not None:
        raise UnsupportedModelError(
            f"{name} is not supported by json-models: it subclasses {public_name(parent)}, and "
            "only exact classes are exported (a subclass may predict differently)"
        )
    if name in CARRIES_CODE:
        raise UnsupportedModelError(
            f"{name} is not supported by json-models: it runs {CARRIES_CODE[name]}, and a "
            "document holds no code (loading one never runs any)"
        )
    hint = ""
    families = {c.__name__: codec.FAMILY for c, (_, codec) in _BY_CLASS.items()}
    similar = difflib.get_close_matches(cls.__name__, families, 3, 0.6)
    if similar:
        family = families[similar[0]]
        names = ", ".join(n for n in similar if families[n] == family)
        hint = f"; the closest supported family is {family} ({names})"
    raise UnsupportedModelError(
        f"{name} is not supported by json-models{hint}. The supported estimators: "
        "json_models.supported_estimators(), or the table in the README"
    )


def codec_for_name(name: str):
    """``(class, codec)`` for a public estimator name, or InvalidModelError at ``/estimator``
    (the schema refuses an unknown name first; this is the allow-list itself)."""
    if name not in _BY_NAME:
        hint = did_you_mean(str(name), SUPPORTED)
        found = f"found {name!r}{hint}"
        raise InvalidModelError("/estimator", f"expected a supported estimator, {found}")
    return _BY_NAME[name]


def python_only(cls: type) -> tuple:
    """The methods of ``cls`` that only the Python runtime gives (a codec's ``PYTHON_ONLY``:
    class -> method names); the other runtimes leave them out."""
    codec = _BY_CLASS[cls][1] if cls in _BY_CLASS else None
    return getattr(codec, "PYTHON_ONLY", {}).get(cls, ())


def family_of(name: str) -> str | None:
    entry = _BY_NAME.get(name)
    return entry[1].FAMILY if entry else None


def supported_markdown() -> str:
    """The README's table of supported estimators, generated from this registry (a test keeps
    the README in step with it)."""
    methods = ("predict", "predict_proba", "decision_function", "score_samples", "transform")
    lines = [
        "| family | estimator | " + " | ".join(f"`{m}`" for m in methods) + " |",
        "|---|---|" + "---|" * len(methods),
    ]
    for codec in CODECS:
        for cls in codec.ESTIMATORS:
            delegates = cls in getattr(codec, "DELEGATES", ())  # (its last step's methods)
            marks = " | ".join(
                "as its last step"
                if delegates
                else "Python only"
                if m in python_only(cls)
                else "yes"
                if hasattr(cls, m)
                else ""
                for m in methods
            )
            lines.append(f"| {codec.FAMILY} | `{public_name(cls)}` | {marks} |")
    return "\n".join(lines)
