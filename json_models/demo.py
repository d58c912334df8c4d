"""``json-models demo``: the whole story in one command, on scikit-learn's bundled datasets.

It trains a representative set of the supported models, writes each as ``<name>.json`` and
``<name>.json.gz``, validates every file, reloads it in Python, predicts the held-out rows in
Node with the JavaScript runtime (when ``node`` is on PATH) and reports how closely those
predictions agree with scikit-learn's, judged by SPEC's fidelity rules (``_fidelity``), then
runs ``json-models compare`` and writes its table and chart beside the models.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import orjson

from . import _api, _datasets, _fidelity, _resources, compare
from .errors import JsonModelsError

JS_CLI = _resources.js_runtime_dir() / "bin" / "json-models.js"


def demo_estimators(quick: bool = False) -> list[tuple[object, str]]:
    """``(unfitted estimator, dataset name)`` pairs: each supported family on a dataset that
    suits it. Ensembles appear only where this installation supports them; they are kept small
    because validating a document checks every node against the schema."""
    from sklearn import ensemble, linear_model, tree

    trees = 5 if quick else 20
    candidates = [
        (linear_model.LinearRegression(), "diabetes"),
        (linear_model.Ridge(alpha=1.0), "diabetes"),
        (linear_model.Lasso(alpha=0.1), "diabetes"),
        (linear_model.ElasticNet(alpha=0.01, l1_ratio=0.5), "diabetes"),
        # Newton's method converges in a few steps on these unscaled features, where lbfgs
        # needs thousands.
        (linear_model.LogisticRegression(solver="newton-cholesky"), "iris"),
        (linear_model.LogisticRegression(solver="newton-cholesky"), "breast_cancer"),
        (tree.DecisionTreeClassifier(random_state=0), "wine"),
        (tree.ExtraTreeClassifier(random_state=0), "iris"),
        (tree.DecisionTreeRegressor(max_depth=6, random_state=0), "diabetes"),
        (tree.ExtraTreeRegressor(max_depth=6, random_state=0), "diabetes"),
        (ensemble.RandomForestClassifier(n_estimators=trees, random_state=0), "digits"),
        (ensemble.ExtraTreesClassifier(n_estimators=trees, random_state=0), "breast_cancer"),
        (
            ensemble.RandomForestRegressor(n_estimators=trees, min_samples_leaf=5, random_state=0),
            "diabetes",
        ),
        (
            ensemble.ExtraTreesRegressor(n_estimators=trees, min_samples_leaf=5, random_state=0),
            "diabetes",
        ),
        (ensemble.GradientBoostingClassifier(n_estimators=trees, random_state=0), "iris"),
        (ensemble.GradientBoostingClassifier(n_estimators=trees, random_state=0), "breast_cancer"),
        (ensemble.GradientBoostingRegressor(n_estimators=2 * trees, random_state=0), "diabetes"),
        # What people ship: a table of numbers and strings with gaps, prepared by a pipeline.
        (_table_pipeline(linear_model.LogisticRegression(max_iter=1000)), "mixed"),
        (
            _table_pipeline(ensemble.RandomForestClassifier(n_estimators=trees, random_state=0)),
            "mixed",
        ),
    ]
    return [(est, data) for est, data in candidates if compare.supported(type(est))]


def _table_pipeline(last):
    """Missing numbers filled with the median and standardised, strings one-hot encoded
    (cities unseen in training ignored), the count passed through; then ``last``. Columns by
    position (:data:`_datasets.MIXED_COLUMNS`), so that a DataFrame and an object array alike
    work."""
    from sklearn.compose import ColumnTransformer
    from sklearn.impute import SimpleImputer
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import OneHotEncoder, StandardScaler

    numbers = make_pipeline(SimpleImputer(strategy="median"), StandardScaler())
    strings = OneHotEncoder(handle_unknown="ignore")
    columns = [("numbers", numbers, [0, 1]), ("strings", strings, [2, 3, 5])]
    return make_pipeline(ColumnTransformer(columns, remainder="passthrough"), last)


# ---------------------------------------------------------------- Node


def node_command() -> tuple[list[str] | None, str]:
    """The command that runs the JavaScript runtime's CLI, or None and the reason why not."""
    node = shutil.which("node")
    if node is None:
        return None, "node is not on PATH: skipping the JavaScript check"
    if not JS_CLI.is_file():
        return None, f"the JavaScript runtime is not at {JS_CLI}: skipping the JavaScript check"
    return [node, str(JS_CLI), "predict"], f"predicting in Node with {JS_CLI}"


def node_predict(command: list[str], model: Path, X_path: Path) -> dict:
    """The runtime's ``{"predict": ..., "predict_proba": ..., "decision_function": ...}``;
    RuntimeError with its one-line message if it fails."""
    done = subprocess.run(
        [*command, str(model), str(X_path)], capture_output=True, text=True, timeout=120
    )
    if done.returncode != 0:
        raise RuntimeError(done.stderr.strip() or f"exit status {done.returncode}")
    return orjson.loads(done.stdout)


# ---------------------------------------------------------------- checks


@dataclass
class Agreement:
    """Node's predictions against scikit-learn's, for one model."""

    ok: bool  # within SPEC's fidelity rules
    labels: str = "—"  # "<identical>/<rows>" for classifiers
    proba: float = np.nan  # max |difference| of probabilities
    values: float = np.nan  # max |difference| of decision values (classifiers) or predictions


def _max_diff(expected, got) -> float:
    got = np.asarray(got, dtype=np.float64)
    if got.shape != np.shape(expected):
        return np.inf
    return float(np.max(np.abs(got - expected), initial=0.0))


def node_agreement(est, X, expected: dict, got: dict) -> Agreement:
    """Node's outputs ``got`` for the rows ``X`` against scikit-learn's ``expected``: the
    verdict of SPEC's fidelity rules, and the differences the table shows."""
    result = Agreement(ok=not _fidelity.mismatches(est, X, expected, got))
    if hasattr(est, "classes_"):
        labels = np.asarray(expected["predict"])
        same = int(np.sum(np.asarray(got["predict"]).ravel() == labels.ravel()))
        result.labels = f"{same}/{labels.size}"
        if "predict_proba" in expected:
            result.proba = _max_diff(expected["predict_proba"], got.get("predict_proba"))
        values = expected.get("decision_function")
        got_values = got.get("decision_function")
    else:
        values, got_values = expected["predict"], got["predict"]
    if values is not None:
        result.values = _max_diff(values, got_values)
    return result


# ---------------------------------------------------------------- the run


@dataclass
class Report:
    name: str
    files: list[Path]
    reload: str = ""  # "identical" when the .gz reloads to the same predictions
    node: Agreement | None = None
    problem: str = ""


def check_model(model: compare.Model, out: Path, X_path: Path, node: list[str] | None) -> Report:
    """Write, validate, reload and (in Node) predict one fitted model."""
    est, X = model.estimator, model.data.X_test
    paths = [out / f"{model.name}.json", out / f"{model.name}.json.gz"]
    report = Report(model.name, paths)
    try:
        for path in paths:
            _api.dump(est, path)  # the .gz suffix chooses gzip
        _api.validate(orjson.loads(paths[0].read_bytes()))
        expected = _fidelity.predictions(est, X)
        reloaded = _fidelity.predictions(_api.load(paths[1]), X)
        same = not _fidelity.roundtrip_mismatches(expected, reloaded)
        report.reload = "identical" if same else "DIFFERS"
        if node is not None:
            got = node_predict(node, paths[0], X_path)
            report.node = node_agreement(est, X, expected, got)
    except (JsonModelsError, RuntimeError, OSError, ValueError, subprocess.TimeoutExpired) as exc:
        report.problem = f"{type(exc).__name__}: {exc}"
    return report


def write_inputs(out: Path, datasets: dict) -> dict[str, Path]:
    """Each dataset's held-out rows as ``data/<dataset>-X_test.json``, the runtime's input."""
    (out / "data").mkdir(parents=True, exist_ok=True)
    paths = {}
    for name, data in datasets.items():
        paths[name] = out / "data" / f"{name}-X_test.json"
        paths[name].write_bytes(orjson.dumps(_datasets.json_rows(data.X_test)))
    return paths


def _fmt(diff: float) -> str:
    return "—" if np.isnan(diff) else ("0" if diff == 0 else f"{diff:.1e}")


def _kib(path: Path) -> str:
    return f"{path.stat().st_size / 1024:.1f}" if path.exists() else "?"


def agreement_table(reports: list[Report]) -> str:
    """A plain-text table, one line per model: file sizes, the Python reload, Node's answers."""
    header = (
        "model",
        "KiB json/gz",
        "python reload",
        "node labels",
        "max |Δ| proba",
        "max |Δ| values",
    )
    lines = [header]
    for r in reports:
        sizes = "/".join(_kib(p) for p in r.files)
        if r.problem:
            lines.append((r.name, sizes, "FAILED", r.problem[:70], "", ""))
        elif r.node is None:
            lines.append((r.name, sizes, r.reload, "skipped", "—", "—"))
        else:
            n, mark = r.node, "" if r.node.ok else "  MISMATCH"
            lines.append((r.name, sizes, r.reload, n.labels, _fmt(n.proba), _fmt(n.values) + mark))
    widths = [max(len(row[i]) for row in lines) for i in range(len(header))]
    return "\n".join("  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip() for row in lines)


def failed(report: Report) -> bool:
    return (
        bool(report.problem)
        or report.reload != "identical"
        or not (report.node is None or report.node.ok)
    )


def check_models(models: list[compare.Model], out: Path) -> list[Report]:
    """Write the models' inputs and files into ``out`` and check each; progress to stderr."""
    say = compare.progress("demo")
    X_paths = write_inputs(out, {m.data_name: m.data for m in models})
    node, why = node_command()
    say(why)
    reports = []
    for i, model in enumerate(models, 1):
        say(f"[{i}/{len(models)}] {model.name}: write, validate, reload, predict")
        reports.append(check_model(model, out, X_paths[model.data_name], node))
    ok = sum(not failed(r) for r in reports)
    print(f"{len(models)} models written to {out}/ as .json and .json.gz; {ok} passed every check")
    if node is None:
        print(f"JavaScript check skipped: {why.split(':')[0]}")
    print()
    print(agreement_table(reports))
    print(
        "(values: decision_function for classifiers, predict for regressors; Node against "
        "scikit-learn on the held-out rows)"
    )
    if node is not None:
        first = models[0]
        print(f"try it: node {JS_CLI} predict {out / first.name}.json {X_paths[first.data_name]}")
    return reports


def run_demo(out: Path, quick: bool = False, repeat: int | None = None) -> int:
    """The demo; 0 when every model passed every check."""
    start = time.perf_counter()
    out.mkdir(parents=True, exist_ok=True)
    chosen = demo_estimators(quick)
    names = sorted({data for _, data in chosen})
    compare.progress("demo")(f"training {len(chosen)} models on {', '.join(names)}")
    datasets = {name: _datasets.load(name) for name in names}
    reports = check_models([compare.fit(est, data, datasets) for est, data in chosen], out)

    result = compare.run(repeat or (1 if quick else 5), quick, compare.progress("compare"))
    md, svg = compare.write(result, out)
    print()
    print(compare.markdown_table(result))
    for note in result.notes:
        print(f"- {note}")
    print(f"\nwrote {md} and {svg} ({time.perf_counter() - start:.1f} s in all)")
    for r in filter(failed, reports):
        print(f"problem: {r.name}: {r.problem or 'predictions differ'}", file=sys.stderr)
    return 1 if any(map(failed, reports)) else 0


def cmd_demo(args) -> int:
    return run_demo(Path(args.out), args.quick, args.repeat)


ABOUT = dict(
    help="train, export, validate and cross-check models on bundled datasets; compare",
    description="Train a representative set of supported models on scikit-learn's bundled "
    "datasets, write each as JSON and gzipped JSON, validate them, check Node's predictions "
    "against scikit-learn's, and run the comparison with pickle, joblib, skops and ONNX.",
)


def add_arguments(parser) -> None:
    compare.add_measurement_options(parser, "where to write models and reports")
    parser.set_defaults(run=cmd_demo)
