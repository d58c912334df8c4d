"""``python -m benchmarks [--repeat N] [--quick]``: size, save and load speed of json-models
documents in every mode, against pickle, orjson (and skops) measured in the same run, and the
JavaScript runtime's load time, batch throughput and single-row latency in Node (against
onnxruntime-node when it is installed).

Timings are in memory (bytes, not files), taken as ``json-models compare`` takes its own
(``json_models._timing``): in rounds, one run of each contender per round, in turn; a time is
the median over the rounds, a ratio the median of the per-round ratios. The modes are the
tests' (``json_models._modes``).
"""

from __future__ import annotations

import argparse
import concurrent.futures
import gzip
import hashlib
import importlib.util
import io
import json
import pickle
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

import joblib
import numpy as np
import orjson
import sklearn
from sklearn.datasets import load_digits, make_classification, make_regression
from sklearn.ensemble import (
    GradientBoostingRegressor,
    RandomForestClassifier,
    RandomForestRegressor,
)
from sklearn.linear_model import LogisticRegression
from sklearn.tree import DecisionTreeClassifier

import json_models as jm
from json_models._modes import MODES
from json_models._timing import median_ratio, rounds

HERE = Path(__file__).resolve().parent
JS_RUNTIME = HERE.parent / "js_runtime"
# Compared with onnxruntime-node where installed; the performance issue's targets are stated on
# the first four.
ORT_TARGETS = ("RF-100", "RFR-100", "HGB-300", "HGB-cat")
ORT_MODELS = (*ORT_TARGETS, "MLP-256-128", "SVC-RBF", "IF-200")


# ---------------------------------------------------------------- reference models


def reference_models(quick: bool, cache: Path | None) -> list:
    """``(name, fitted estimator, rows to predict)``: the models the targets are stated on,
    plus a single tree of about 10,000 nodes. Models not in the cache are fitted two at a
    time (GBR-300, the slowest, alongside the others)."""
    scale = 10 if quick else 1
    X, y = make_classification(
        n_samples=50000, n_features=20, n_informative=10, n_classes=3, random_state=0
    )
    train, test = (X[:40000], y[:40000]), X[40000:]
    Xr, yr = make_regression(n_samples=20000, n_features=20, random_state=0)
    Xd, yd = load_digits(return_X_y=True)
    specs = [
        (
            "GBR-300",
            GradientBoostingRegressor(n_estimators=300 // scale, max_depth=5, random_state=0),
            Xr,
            yr,
            Xr[:10000],
        ),
        ("RF-100", RandomForestClassifier(n_estimators=100 // scale, random_state=0), *train, test),
        ("Tree-10k", DecisionTreeClassifier(max_leaf_nodes=5000, random_state=0), *train, test),
        (
            "RFR-100",
            RandomForestRegressor(n_estimators=100 // scale, max_depth=12, random_state=0),
            Xr,
            yr,
            Xr[:10000],
        ),
        ("LR-digits", LogisticRegression(max_iter=2000), Xd, yd, Xd),
    ]
    fitted = {}
    todo = []
    for name, est, X, y, _ in specs:
        path = _cache_path(cache, name, est, X)
        if path and path.exists():
            with open(path, "rb") as f:
                fitted[name] = pickle.load(f)  # written by this command on this machine
        else:
            todo.append((name, est, X, y, path))
    if todo:
        with concurrent.futures.ProcessPoolExecutor(max_workers=2) as pool:
            for (name, *_), est in zip(todo, pool.map(_fit, todo)):
                fitted[name] = est
    order = ("RF-100", "Tree-10k", "RFR-100", "GBR-300", "LR-digits")
    rows = {name: rows for name, *_, rows in specs}
    return [
        *((name, fitted[name], rows[name]) for name in order),
        *pipelines(scale),
        *boosting(scale),
        *breadth(scale),
    ]


def breadth(scale: int) -> list:
    """Neural networks and the long tail (issues 17 and 18), where this installation exports
    them: MLPClassifier((256, 128)) and an RBF SVC on digits (all 1,797 rows predicted), an
    IsolationForest of 200 trees scoring RF-100's 50,000 rows."""
    from sklearn.ensemble import IsolationForest
    from sklearn.neural_network import MLPClassifier
    from sklearn.svm import SVC

    from json_models.compare import supported

    Xd, yd = load_digits(return_X_y=True)
    X, _ = make_classification(
        n_samples=50000, n_features=20, n_informative=10, n_classes=3, random_state=0
    )
    specs = [
        ("MLP-256-128", MLPClassifier((256, 128), max_iter=200 // scale, random_state=0), Xd, yd),
        ("SVC-RBF", SVC(), Xd, yd),
        ("IF-200", IsolationForest(n_estimators=200 // scale, random_state=0), X, None),
    ]
    out = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # (convergence of the network in --quick)
        for name, est, X_fit, y_fit in specs:
            if supported(type(est)):
                out.append((name, est.fit(X_fit, y_fit), X_fit))
    return out


def boosting(scale: int) -> list:
    """Histogram gradient boosting (issue 16), where this installation exports it: 300
    iterations on RF-100's data, and a model with categorical features (the mixed customer
    table, its strings as pandas categories) on its held-out rows repeated to 10,000."""
    from sklearn.ensemble import HistGradientBoostingClassifier

    from json_models._datasets import mixed
    from json_models.compare import supported

    if not supported(HistGradientBoostingClassifier):
        return []
    X, y = make_classification(
        n_samples=50000, n_features=20, n_informative=10, n_classes=3, random_state=0
    )
    many = HistGradientBoostingClassifier(max_iter=300 // scale, random_state=0)
    data = mixed()
    strings = ["city", "color", "member"]
    table = [d.astype({c: "category" for c in strings}) for d in (data.X_train, data.X_test)]
    rows = table[1].iloc[np.arange(10000) % len(table[1])].reset_index(drop=True)
    categorical = HistGradientBoostingClassifier(
        max_iter=100 // scale, categorical_features="from_dtype", random_state=0
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return [
            ("HGB-300", many.fit(X[:40000], y[:40000]), X[40000:]),
            ("HGB-cat", categorical.fit(table[0], data.y_train), rows),
        ]


def pipelines(scale: int) -> list:
    """What people ship (issue 15): a ColumnTransformer (OneHotEncoder on the strings,
    StandardScaler on complete numbers) then a LogisticRegression or a 100-tree random forest,
    on the mixed customer table; rows are its held-out rows repeated to 10,000, as a
    DataFrame (Python) and as objects keyed by column name (Node)."""
    from sklearn.compose import ColumnTransformer
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import OneHotEncoder, StandardScaler

    from json_models._datasets import mixed

    data = mixed()
    rows = data.X_test.iloc[np.arange(10000) % len(data.X_test)].reset_index(drop=True)
    out = []
    for name, last in (
        ("Pipe-LR", LogisticRegression(max_iter=1000)),
        ("Pipe-RF-100", RandomForestClassifier(n_estimators=100 // scale, random_state=0)),
    ):
        columns = ColumnTransformer(
            [
                ("strings", OneHotEncoder(handle_unknown="ignore"), ["city", "color", "member"]),
                ("numbers", StandardScaler(), ["income", "n_children"]),
            ]
        )
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            out.append((name, make_pipeline(columns, last).fit(data.X_train, data.y_train), rows))
    return out


def node_rows(rows) -> list:
    """Rows for the runtime: arrays, or (a DataFrame) objects keyed by column name."""
    if not hasattr(rows, "columns"):
        return rows.tolist()
    from json_models._datasets import json_rows

    return [dict(zip(map(str, rows.columns), row)) for row in json_rows(rows)]


def _cache_path(cache: Path | None, name: str, est, X) -> Path | None:
    """Where a fitted model is kept, keyed by its parameters, the data and scikit-learn's
    version."""
    if cache is None:
        return None
    key = repr((name, est.get_params(), X.shape, float(X.sum()), sklearn.__version__))
    return cache / f"{name}-{hashlib.sha256(key.encode()).hexdigest()[:16]}.pkl"


def _fit(job):
    name, est, X, y, path = job
    started = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        est.fit(X, y)  # n_jobs=None: the trees do not depend on it, and prediction uses it
    print(f"  fitted {name} in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    if path:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "wb") as f:
            pickle.dump(est, f)
    return est


# ---------------------------------------------------------------- Python


def python_figures(est, rows: np.ndarray, repeat: int) -> dict:
    """Baselines and every document mode, for one model."""
    pickled = pickle.dumps(est)
    buffer = io.BytesIO()
    joblib.dump(est, buffer, compress=3)
    method = getattr(est, "predict_proba", est.predict)
    singles = [
        rows.iloc[[i]] if hasattr(rows, "iloc") else rows[i : i + 1]
        for i in range(min(50, len(rows)))
    ]
    one_by_one = rounds(repeat, predict=lambda: [method(row) for row in singles])["predict"]
    figures = {
        "sklearn_us_per_row": statistics.median(one_by_one) / len(singles) * 1000,
        "pickle_bytes": len(pickled),
        "joblib3_bytes": len(buffer.getvalue()),
        "sklearn_rows_per_s": len(rows)
        / statistics.median(rounds(repeat, predict=lambda: method(rows))["predict"])
        * 1000,
        "modes": {
            mode: mode_figures(est, pickled, options, repeat) for mode, options in MODES.items()
        },
        "skops": skops_figures(est, pickled, repeat),
    }
    save = [t for m in figures["modes"].values() for t in m["times"]["save"]["pickle"]]
    load = [t for m in figures["modes"].values() for t in m["times"]["load"]["pickle"]]
    figures.update(pickle_save=statistics.median(save), pickle_load=statistics.median(load))
    return figures


def mode_figures(est, pickled: bytes, options: dict, repeat: int) -> dict:
    """One document mode: sizes; save and load against orjson on the same content and pickle."""
    text = jm.dumps(est, **options)
    doc = orjson.loads(text)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", jm.CompactModelWarning)
        save = rounds(
            repeat,
            ours=lambda: jm.dumps(est, **options),
            orjson=lambda: orjson.dumps(doc),
            pickle=lambda: pickle.dumps(est),
        )
        load = rounds(
            repeat,
            ours=lambda: jm.loads(text),
            orjson=lambda: orjson.loads(text),
            pickle=lambda: pickle.loads(pickled),
        )
    return {
        "text": text,
        "bytes": len(text.encode()),
        "gzip_bytes": len(gzip.compress(text.encode(), 6)),
        "times": {"save": save, "load": load},
        "save": statistics.median(save["ours"]),
        "load": statistics.median(load["ours"]),
        **{
            f"{verb}_x_{base}": median_ratio(times["ours"], times[base])
            for verb, times in (("save", save), ("load", load))
            for base in ("orjson", "pickle")
        },
    }


def skops_figures(est, pickled: bytes, repeat: int) -> dict | None:
    """skops's save and load against pickle's, when skops is installed (optional)."""
    if importlib.util.find_spec("skops") is None:
        return None
    import skops.io as sio

    data = sio.dumps(est)
    trusted = sio.get_untrusted_types(data=data)  # reviewed once, as a user would
    save = rounds(repeat, skops=lambda: sio.dumps(est), pickle=lambda: pickle.dumps(est))
    load = rounds(
        repeat,
        skops=lambda: sio.loads(data, trusted=trusted),
        pickle=lambda: pickle.loads(pickled),
    )
    return {
        "bytes": len(data),
        "save": statistics.median(save["skops"]),
        "save_x_pickle": median_ratio(save["skops"], save["pickle"]),
        "load": statistics.median(load["skops"]),
        "load_x_pickle": median_ratio(load["skops"], load["pickle"]),
    }


# ---------------------------------------------------------------- Node


def node_figures(text: str, rows_path: Path, repeat: int, workdir: Path) -> dict | None:
    """The runtime in Node on this document (None without node)."""
    model = workdir / "model.json"
    model.write_text(text)
    return _node("node_bench.mjs", model, rows_path, repeat)


def ort_figures(est, rows_path: Path, repeat: int, workdir: Path) -> dict | str:
    """onnxruntime-node on the same model and rows, or why it was not measured (it is
    optional: skl2onnx in Python, onnxruntime-node in js_runtime)."""
    if not all(importlib.util.find_spec(m) for m in ("skl2onnx", "onnx", "onnxruntime")):
        return "skl2onnx or onnxruntime not installed"
    if not (JS_RUNTIME / "node_modules" / "onnxruntime-node").is_dir():
        return "onnxruntime-node not installed"
    from json_models.compare import _onnx

    model = workdir / "model.onnx"
    try:
        _onnx()[0](est, model)
    except Exception as exc:  # noqa: BLE001 - a converter's failure is a result here
        first = str(exc).strip().splitlines()[-1][:80] if str(exc).strip() else ""
        return f"skl2onnx cannot convert it ({type(exc).__name__}: {first})"
    return _node("ort_bench.mjs", model, rows_path, repeat) or "node not found"


def _node(script: str, model: Path, rows_path: Path, repeat: int) -> dict | None:
    node = shutil.which("node")
    if node is None:
        return None
    result = subprocess.run(
        [node, "--expose-gc", str(HERE / script), str(model), str(rows_path), str(repeat)],
        capture_output=True,
        text=True,
        timeout=900,
        check=True,
    )
    return json.loads(result.stdout)


# ---------------------------------------------------------------- report


def size(n: int) -> str:
    """Bytes as MB, or as KB below 0.1 MB (a pipeline of a few kilobytes)."""
    return f"{n / 1e6:.2f} MB" if n >= 100_000 else f"{n / 1e3:.1f} KB"


def ratio(r: float) -> str:
    return f"{r:.2f}x"


def report(results: list) -> str:
    """The Markdown table of all figures."""
    columns = [
        "model", "mode", "size", "x pickle", "gzip", "x joblib c3", "save ms", "x pickle",
        "x orjson", "load ms", "x pickle", "x orjson", "node load ms", "x JSON.parse",
        "node rows/s", "node us/row",
    ]  # fmt: skip
    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    for name, py, nodes, ort in results:
        for mode, m in py["modes"].items():
            n = nodes.get(mode)
            node_cells = (
                [
                    f"{n['load_ms']:.1f}",
                    ratio(n["load_x_parse"]),
                    f"{n['batch_rows_per_s']:,.0f}",
                    f"{n['single_row_us']:.1f}",
                ]
                if n
                else ["-"] * 4
            )
            cells = [
                name,
                mode,
                f"{size(m['bytes'])}",
                ratio(m["bytes"] / py["pickle_bytes"]),
                f"{size(m['gzip_bytes'])}",
                ratio(m["gzip_bytes"] / py["joblib3_bytes"]),
                f"{m['save']:.1f}",
                ratio(m["save_x_pickle"]),
                ratio(m["save_x_orjson"]),
                f"{m['load']:.1f}",
                ratio(m["load_x_pickle"]),
                ratio(m["load_x_orjson"]),
                *node_cells,
            ]
            lines.append("| " + " | ".join(cells) + " |")
        lines.append(
            f"| {name} | pickle | {size(py['pickle_bytes'])} | 1.00x | joblib c3: "
            f"{size(py['joblib3_bytes'])} | | {py['pickle_save']:.1f} | 1.00x | | "
            f"{py['pickle_load']:.1f} | 1.00x | | | | scikit-learn: "
            f"{py['sklearn_rows_per_s']:,.0f} | scikit-learn: {py['sklearn_us_per_row']:.1f} |"
        )
        if py["skops"]:
            s = py["skops"]
            lines.append(
                f"| {name} | skops | {size(s['bytes'])} | "
                f"{ratio(s['bytes'] / py['pickle_bytes'])} | | | {s['save']:.1f} | "
                f"{ratio(s['save_x_pickle'])} | | {s['load']:.1f} | {ratio(s['load_x_pickle'])} "
                "| | | | | |"
            )
        if isinstance(ort, dict):
            lines.append(
                f"| {name} | onnxruntime-node | | | | | | | | | | | {ort['load_ms']:.1f} | | "
                f"{ort['batch_rows_per_s']:,.0f} | {ort['single_row_us']:.1f} |"
            )
    return "\n".join(lines)


def targets(results: list) -> str:
    """Each target of the performance issue, with the measured ratio (RF-100 unless said)."""
    by_name = {name: rest for name, *rest in results}
    if "RF-100" not in by_name:
        return ""
    py, nodes, _ = by_name["RF-100"]
    m = py["modes"]
    rows = [
        ("plain load <= 1.25x orjson.loads", m["plain"]["load_x_orjson"], 1.25),
        ("plain save <= 1.25x orjson.dumps", m["plain"]["save_x_orjson"], 1.25),
        ("base64 load <= 2x pickle.loads", m["base64"]["load_x_pickle"], 2.0),
        ("base64 save <= 2x pickle.dumps", m["base64"]["save_x_pickle"], 2.0),
        ("compact plain size <= 0.6x pickle", m["compact"]["bytes"] / py["pickle_bytes"], 0.6),
        (
            "gzip(compact) <= joblib compress=3",
            m["compact"]["gzip_bytes"] / py["joblib3_bytes"],
            1.0,
        ),
    ]
    if nodes.get("plain"):
        rows.append(("node load <= 1.3x JSON.parse", nodes["plain"]["load_x_parse"], 1.3))
    lines = ["| target | measured | met |", "|---|---|---|"]
    lines += [f"| {t} | {ratio(v)} | {'yes' if v <= limit else 'no'} |" for t, v, limit in rows]
    for name in ORT_MODELS:
        if name not in by_name:
            continue
        target = name in ORT_TARGETS  # (the others: measured, no target)
        _, nodes, ort = by_name[name]
        runs = [n for n in nodes.values() if n]
        if not isinstance(ort, dict) or not runs:
            lines.append(f"| {name}: node vs onnxruntime-node | {ort} (optional) | - |")
            continue
        # The runtime predicts alike whatever the document's mode: each mode's Node process
        # is one more measurement of the same thing.
        batch = statistics.median(n["batch_rows_per_s"] for n in runs) / ort["batch_rows_per_s"]
        single = statistics.median(n["single_row_us"] for n in runs) / ort["single_row_us"]
        checks = (
            ("batch", " >= 1.5x", batch, batch >= 1.5),
            ("single row", " <= 0.5x", single, single <= 0.5),
        )
        for what, goal, value, ok in checks:
            met = ("yes" if ok else "no") if target else "-"
            lines.append(
                f"| {name}: node {what}{goal if target else ''} onnxruntime-node | "
                f"{ratio(value)} | {met} |"
            )
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--repeat", type=int, default=3, help="rounds per figure (median)")
    parser.add_argument(
        "--cache",
        default=str(Path.home() / ".cache" / "json-models-benchmarks"),
        help="where fitted reference models are kept between runs ('' for none)",
    )
    parser.add_argument(
        "--quick", action="store_true", help="a tenth of the trees, for a smoke run"
    )
    args = parser.parse_args(argv)
    started = time.perf_counter()
    results = []
    models = reference_models(args.quick, Path(args.cache) if args.cache else None)
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        for name, est, rows in models:
            print(f"{name}: measuring ({time.perf_counter() - started:.0f} s)", file=sys.stderr)
            rows_path = workdir / "X.json"
            rows_path.write_text(json.dumps(node_rows(rows)))
            py = python_figures(est, rows, args.repeat)
            nodes = {
                mode: node_figures(py["modes"][mode].pop("text"), rows_path, args.repeat, workdir)
                for mode in MODES
            }
            ort = ort_figures(est, rows_path, args.repeat, workdir) if name in ORT_MODELS else None
            results.append((name, py, nodes, ort))
    print(report(results))
    print()
    print(targets(results))
    print(
        f"\n(python -m benchmarks --repeat {args.repeat}{' --quick' if args.quick else ''}: "
        f"{time.perf_counter() - started:.0f} s)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
