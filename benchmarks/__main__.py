"""``python -m benchmarks [--repeat N] [--quick]``: size, save and load speed of json-models
documents in every mode, against pickle, joblib and orjson measured in the same run, and the
JavaScript runtime's load time, batch throughput and single-row latency in Node.

All timings are medians of ``--repeat`` runs, in memory (bytes, not files); ratios compare
figures taken in this run on this machine. Timing belongs here, never in a pass/fail test.
"""

from __future__ import annotations

import argparse
import gc
import gzip
import hashlib
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

HERE = Path(__file__).resolve().parent
MODES = {
    "plain": {},
    "compact": {"compact": True},
    "base64": {"arrays": "base64"},
    "compact+base64": {"compact": True, "arrays": "base64"},
}


def reference_models(quick: bool, cache: Path | None):
    """``(name, fitted estimator, rows to predict)``: the models the targets are stated on,
    plus a single tree of about 10,000 nodes."""
    scale = 10 if quick else 1
    X, y = make_classification(
        n_samples=50000, n_features=20, n_informative=10, n_classes=3, random_state=0
    )
    train, test = (X[:40000], y[:40000]), X[40000:]
    forest = RandomForestClassifier(n_estimators=100 // scale, random_state=0)
    yield "RF-100", _fit("RF-100", forest, *train, cache), test
    tree = DecisionTreeClassifier(max_leaf_nodes=5000, random_state=0)
    yield "Tree-10k", _fit("Tree-10k", tree, *train, cache), test
    X, y = make_regression(n_samples=20000, n_features=20, random_state=0)
    forest = RandomForestRegressor(n_estimators=100 // scale, max_depth=12, random_state=0)
    yield "RFR-100", _fit("RFR-100", forest, X, y, cache), X[:10000]
    boosting = GradientBoostingRegressor(n_estimators=300 // scale, max_depth=5, random_state=0)
    yield "GBR-300", _fit("GBR-300", boosting, X, y, cache), X[:10000]
    X, y = load_digits(return_X_y=True)
    yield "LR-digits", _fit("LR-digits", LogisticRegression(max_iter=2000), X, y, cache), X


def _fit(name, est, X, y, cache: Path | None):
    """Fit ``est``, or take it from the cache of models this command fitted before (keyed by
    the parameters, the data and the scikit-learn version)."""
    key = repr((name, est.get_params(), X.shape, float(X.sum()), sklearn.__version__))
    path = cache / f"{name}-{hashlib.sha256(key.encode()).hexdigest()[:16]}.pkl" if cache else None
    if path and path.exists():
        with open(path, "rb") as f:
            return pickle.load(f)  # written by this command on this machine, not downloaded
    started = time.perf_counter()
    if "n_jobs" in est.get_params():
        est.set_params(n_jobs=-1)  # the same trees whatever n_jobs; prediction runs with None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        est.fit(X, y)
    if "n_jobs" in est.get_params():
        est.set_params(n_jobs=None)
    print(f"  fitted {name} in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    if path:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "wb") as f:
            pickle.dump(est, f)
    return est


def median_ms(repeat: int, f) -> float:
    """Median wall time of ``f()`` in milliseconds, garbage collection off while timing."""
    times = []
    for _ in range(repeat):
        gc.collect()
        gc.disable()
        try:
            start = time.perf_counter()
            f()
            times.append((time.perf_counter() - start) * 1000)
        finally:
            gc.enable()
    return statistics.median(times)


def python_figures(est, rows: np.ndarray, repeat: int) -> dict:
    """Baselines and every document mode, for one model."""
    pickled = pickle.dumps(est)
    method = getattr(est, "predict_proba", est.predict)
    buffer = io.BytesIO()
    joblib.dump(est, buffer, compress=3)
    base = {
        "pickle_bytes": len(pickled),
        "joblib3_bytes": len(buffer.getvalue()),
        "pickle_save": median_ms(repeat, lambda: pickle.dumps(est)),
        "pickle_load": median_ms(repeat, lambda: pickle.loads(pickled)),
        "sklearn_rows_per_s": len(rows) / median_ms(repeat, lambda: method(rows)) * 1000,
    }
    modes = {mode: mode_figures(est, options, repeat) for mode, options in MODES.items()}
    return {**base, "modes": modes}


def mode_figures(est, options: dict, repeat: int) -> dict:
    """One document mode: sizes, and save/load against orjson on the same content."""
    text = jm.dumps(est, **options)
    doc = orjson.loads(text)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", jm.CompactModelWarning)
        return {
            "text": text,
            "bytes": len(text.encode()),
            "gzip_bytes": len(gzip.compress(text.encode(), 6)),
            "save": median_ms(repeat, lambda: jm.dumps(est, **options)),
            "orjson_save": median_ms(repeat, lambda: orjson.dumps(doc)),
            "load": median_ms(repeat, lambda: jm.loads(text)),
            "orjson_load": median_ms(repeat, lambda: orjson.loads(text)),
        }


def node_figures(text: str, rows: np.ndarray, repeat: int) -> dict | None:
    """The runtime in Node on this document (None without node)."""
    node = shutil.which("node")
    if node is None:
        return None
    with tempfile.TemporaryDirectory() as tmp:
        model, X = Path(tmp) / "model.json", Path(tmp) / "X.json"
        model.write_text(text)
        X.write_text(json.dumps(rows.tolist()))
        result = subprocess.run(
            [node, str(HERE / "node_bench.mjs"), str(model), str(X), str(repeat)],
            capture_output=True,
            text=True,
            timeout=600,
            check=True,
        )
    return json.loads(result.stdout)


def ratio(a: float, b: float) -> str:
    return f"{a / b:.2f}x" if b else "-"


def report(results: list) -> str:
    """The Markdown table of all figures."""
    columns = [
        "model", "mode", "size", "x pickle", "gzip", "x joblib c3", "save ms", "x pickle",
        "x orjson", "load ms", "x pickle", "x orjson", "node load ms", "x JSON.parse",
        "node rows/s", "node us/row",
    ]  # fmt: skip
    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    for name, py, nodes in results:
        for mode, m in py["modes"].items():
            n = nodes.get(mode)
            node_cells = (
                [
                    f"{n['load_ms']:.1f}",
                    ratio(n["load_ms"], n["parse_ms"]),
                    f"{n['batch_rows_per_s']:,.0f}",
                    f"{n['single_row_us']:.1f}",
                ]
                if n
                else ["-"] * 4
            )
            lines.append(
                "| "
                + " | ".join(
                    [
                        name,
                        mode,
                        f"{m['bytes'] / 1e6:.2f} MB",
                        ratio(m["bytes"], py["pickle_bytes"]),
                        f"{m['gzip_bytes'] / 1e6:.2f} MB",
                        ratio(m["gzip_bytes"], py["joblib3_bytes"]),
                        f"{m['save']:.1f}",
                        ratio(m["save"], py["pickle_save"]),
                        ratio(m["save"], m["orjson_save"]),
                        f"{m['load']:.1f}",
                        ratio(m["load"], py["pickle_load"]),
                        ratio(m["load"], m["orjson_load"]),
                        *node_cells,
                    ]
                )
                + " |"
            )
        lines.append(
            f"| {name} | pickle | {py['pickle_bytes'] / 1e6:.2f} MB | 1.00x | joblib c3: "
            f"{py['joblib3_bytes'] / 1e6:.2f} MB | | {py['pickle_save']:.1f} | 1.00x | | "
            f"{py['pickle_load']:.1f} | 1.00x | | | | scikit-learn: "
            f"{py['sklearn_rows_per_s']:,.0f} | |"
        )
    return "\n".join(lines)


def targets(results: list) -> str:
    """Each target of the performance issue, with the measured ratio (RF-100 unless said)."""
    by_name = {name: (py, nodes) for name, py, nodes in results}
    if "RF-100" not in by_name:
        return ""
    py, nodes = by_name["RF-100"]
    m = py["modes"]
    rows = [
        ("plain load <= 1.25x orjson.loads", m["plain"]["load"] / m["plain"]["orjson_load"], 1.25),
        ("plain save <= 1.25x orjson.dumps", m["plain"]["save"] / m["plain"]["orjson_save"], 1.25),
        ("base64 load <= 2x pickle.loads", m["base64"]["load"] / py["pickle_load"], 2.0),
        ("base64 save <= 2x pickle.dumps", m["base64"]["save"] / py["pickle_save"], 2.0),
        ("compact plain size <= 0.6x pickle", m["compact"]["bytes"] / py["pickle_bytes"], 0.6),
        (
            "gzip(compact) <= joblib compress=3",
            m["compact"]["gzip_bytes"] / py["joblib3_bytes"],
            1.0,
        ),
    ]
    if nodes.get("plain"):
        n = nodes["plain"]
        rows.append(("node load <= 1.3x JSON.parse", n["load_ms"] / n["parse_ms"], 1.3))
    lines = ["| target | measured | met |", "|---|---|---|"]
    lines += [f"| {t} | {v:.2f}x | {'yes' if v <= limit else 'no'} |" for t, v, limit in rows]
    lines.append(
        "| node batch >= 1.5x onnxruntime-node; single row <= 0.5x | onnxruntime-node not "
        "installed here (optional) | - |"
    )
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--repeat", type=int, default=3, help="timed runs per figure (median)")
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
    for name, est, rows in reference_models(args.quick, Path(args.cache) if args.cache else None):
        print(f"{name}: measuring", file=sys.stderr)
        py = python_figures(est, rows, args.repeat)
        nodes = {}
        for mode in MODES:
            nodes[mode] = node_figures(py["modes"][mode].pop("text"), rows, args.repeat)
        results.append((name, py, nodes))
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
