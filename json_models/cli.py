"""The ``json-models`` command line: validate, info (and demo, compare, serve)."""

from __future__ import annotations

import argparse
import importlib
import re
import sys
import warnings

import numpy as np

from . import _api, _compat, _parse, _registry
from ._arrays import decode_ints
from ._format import FORMAT_VERSION
from ._version import __version__
from .errors import JsonModelsError

#: What a document must not send to the terminal that shows it: C0 controls (ESC starts the
#: escape sequences that recolour, move the cursor or retitle the window), DEL, C1 controls,
#: and the bidirectional embeddings, overrides and isolates that reorder what is shown.
_UNSAFE_FOR_TERMINAL = re.compile(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _printable(line: str) -> str:
    """``line`` with each character a terminal would act on written as an escape (``\\x1b``,
    ``\\u202e``): feature names, labels and error messages come from the document."""
    return _UNSAFE_FOR_TERMINAL.sub(lambda m: ascii(m.group())[1:-1], line)


def read_document(path: str):
    """The parsed document in ``path`` (compressed or not)."""
    with open(path, "rb") as f:
        data = _api._decompress(f.read())
    return _parse.parse(data)


def cmd_validate(args) -> int:
    failed = 0
    for path in args.files:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                _api.validate(read_document(path))
        except (JsonModelsError, OSError) as exc:
            failed += 1
            pointer = getattr(exc, "pointer", "") or "/"
            message = getattr(exc, "detail", None) or str(exc)
            print(_printable(f"{path}: {pointer}: {message}"))
        else:
            if args.verbose:
                print(_printable(f"{path}: valid"))
    if not args.quiet:
        files = f"{len(args.files)} file{'s' if len(args.files) != 1 else ''}"
        print(f"{failed} of {files} invalid" if failed else f"{files} valid")
    return 1 if failed else 0


def describe(doc: dict, est) -> list[tuple[str, str]]:
    """Lines of ``info``: what a person wants to know about a model file."""
    rows = [
        ("estimator", doc["estimator"]),
        ("family", _registry.family_of(doc["estimator"]) or "?"),
        ("format", doc["format_version"]),
        ("written by", _producer(doc.get("producer", {}))),
        ("features", str(doc["state"]["n_features_in"])),  # (a pipeline's first step's)
    ]
    names = doc["state"].get("feature_names_in")
    if names is not None:
        rows.append(("feature names", ", ".join(map(str, names))))
    if "steps" in doc["state"] or "transformers" in doc["state"]:
        rows.append(("steps", _steps(doc["state"])))
    classes = getattr(est, "classes_", None)
    if classes is not None:
        rows.append(
            ("classes", ", ".join(map(str, classes if np.ndim(classes[0]) == 0 else classes)))
        )
    trees = [est.tree_] if hasattr(est, "tree_") else []
    trees += [t.tree_ for t in np.ravel(getattr(est, "estimators_", [])) if hasattr(t, "tree_")]
    if trees:
        rows.append(("trees", str(len(trees))))
        rows.append(("nodes", str(sum(t.node_count for t in trees))))
        rows.append(("max depth", str(max(t.max_depth for t in trees))))
    if "predictors" in doc["state"]:  # histogram gradient boosting
        rows += _histogram_boosting(doc["state"], names)
    if "layer_sizes" in doc["state"]:  # a neural network
        state = doc["state"]
        layers = " -> ".join(map(str, state["layer_sizes"]))
        rows.append(
            ("layers", f"{layers} ({state['activation']}, output {state['out_activation']})")
        )
    if hasattr(est, "support_vectors_"):
        rows.append(("support vectors", str(len(est.support_vectors_))))
    return rows


def _histogram_boosting(state: dict, names) -> list[tuple[str, str]]:
    """Iterations, trees per iteration, leaves, and the categorical features by name."""
    trees = [tree for iteration in state["predictors"] for tree in iteration]
    leaves = sum(int((decode_ints(t["children_left"], "") == -1).sum()) for t in trees)
    rows = [
        ("iterations", str(len(state["predictors"]))),
        ("trees per iteration", str(state["n_trees_per_iteration"])),
        ("leaves", str(leaves)),
    ]
    categorical = state.get("categorical_features") or []
    if categorical:
        rows.append(("categorical", ", ".join(str(names[f] if names else f) for f in categorical)))
    return rows


def _steps(state: dict) -> str:
    """A pipeline's steps, a column transformer's entries, nested: "scale: StandardScaler,
    trees: RandomForestClassifier"."""
    entries = state.get("steps") or [*state.get("transformers", []), state.get("remainder")]
    out = []
    for entry in filter(None, entries):
        model = entry["model"]
        name = entry.get("name", "remainder")
        if isinstance(model, dict):
            inner = model["state"]
            what = model["estimator"].rsplit(".", 1)[-1]
            if "steps" in inner or "transformers" in inner:
                what += f" ({_steps(inner)})"
        else:
            what = "passthrough" if model is None else model
        out.append(f"{name}: {what}")
    return ", ".join(out)


def _producer(producer: dict) -> str:
    name = f"{producer.get('name', '?')} {producer.get('version', '')}".strip()
    sklearn = producer.get("sklearn_version")
    return f"{name} (scikit-learn {sklearn})" if sklearn else name


def cmd_info(args) -> int:
    try:
        doc = read_document(args.file)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            est = _api.from_dict(doc)
    except (JsonModelsError, OSError) as exc:
        print(_printable(f"{args.file}: {exc}"), file=sys.stderr)
        return 1
    rows = describe(doc, est)
    width = max(len(k) for k, _ in rows)
    for key, value in rows:
        print(_printable(f"{key:<{width}}  {value}"))
    return 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        prog="json-models", description="Fitted scikit-learn models as plain, validated JSON."
    )
    parser.add_argument(
        "-V",
        "--version",
        action="version",
        version=f"json-models {__version__} (writes format {FORMAT_VERSION}, scikit-learn "
        f"{_compat.SKLEARN_VERSION})",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser(
        "validate", help="check documents against the schemas (exit 1 if any is invalid)"
    )
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("-v", "--verbose", action="store_true", help="also list valid files")
    p.add_argument("-q", "--quiet", action="store_true", help="print only the problems")
    p.set_defaults(run=cmd_validate)
    p = sub.add_parser("info", help="describe a model file")
    p.add_argument("file", metavar="FILE")
    p.set_defaults(run=cmd_info)
    for name in _EXTRA_COMMANDS:
        module = importlib.import_module(f"json_models.{name}")
        module.add_arguments(sub.add_parser(name, **module.ABOUT))
    args = parser.parse_args(argv)
    return args.run(args)


# Commands that live in their own modules (they pull in more than validate/info need); each
# module says what it is (ABOUT: help and description) and takes its arguments
# (add_arguments(parser), which also sets what runs).
_EXTRA_COMMANDS = ("demo", "compare", "serve")


if __name__ == "__main__":
    sys.exit(main())
