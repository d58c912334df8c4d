"""``json-models compare``: pickle, joblib, skops, ONNX and json-models measured on the same models.

For each model every approach saves the fitted estimator to a file and loads it back. We report
the file size, the median save and load times over ``--repeat`` rounds, their ratios against
pickle measured in the same rounds (timed as ``python -m benchmarks`` times, by ``_timing``),
whether the loaded model predicts exactly what the original does, and two facts that no
measurement shows: whether another language can read the file and whether loading it can run
code. skops and ONNX (skl2onnx + onnxruntime) are optional: an approach whose packages are
missing is skipped and named in the notes.

The output is a Markdown table (stdout and ``DIR/comparison.md``) and a hand-written SVG bar
chart (``DIR/comparison.svg``), so the command needs no plotting library.
"""

from __future__ import annotations

import functools
import importlib.util
import math
import pickle
import platform
import statistics
import sys
import tempfile
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

import numpy as np

from . import _api, _fidelity, _registry, _timing
from ._datasets import Dataset, bundled, load

# ---------------------------------------------------------------- data and models


def supported(cls: type) -> bool:
    """Whether this installation of json-models exports ``cls`` (the allow-list grows with
    versions, so the demo and the comparison ask rather than assume)."""
    return _registry.public_name(cls) in _registry.SUPPORTED


@dataclass
class Model:
    name: str  # "<Estimator>-<dataset>", also the stem of the files the demo writes
    estimator: object  # fitted
    data: Dataset
    data_name: str


def fit(est, data_name: str, datasets: dict | None = None) -> Model:
    """``est`` fitted on the training rows of a dataset (:func:`_datasets.load`)."""
    data = datasets[data_name] if datasets is not None else load(data_name)
    with warnings.catch_warnings():
        # A convergence warning says nothing about serialization, the subject here.
        warnings.simplefilter("ignore")
        est.fit(data.X_train, data.y_train)
    return Model(model_name(est, data_name), est, data, data_name)


def model_name(est, data_name: str) -> str:
    """``<Estimator>-<dataset>``; a pipeline's by what it ends in,
    ``Pipeline-<Estimator>-<dataset>``."""
    name = type(est).__name__
    if hasattr(est, "steps"):
        name += f"-{type(est.steps[-1][1]).__name__}"
    return f"{name}-{data_name}"


def comparison_models(quick: bool = False) -> list[Model]:
    """The models compared: a random forest (a single tree where forests are not supported)
    and a logistic regression on digits, gradient boosting (or a single tree) on diabetes.
    ``quick`` makes the ensembles small: a check that everything runs, not a measurement."""
    from sklearn.ensemble import GradientBoostingRegressor, RandomForestClassifier
    from sklearn.linear_model import LogisticRegression
    from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor

    trees = 10 if quick else 100
    if supported(RandomForestClassifier):
        classifier = RandomForestClassifier(n_estimators=trees, random_state=0)
    else:
        classifier = DecisionTreeClassifier(random_state=0)
    if supported(GradientBoostingRegressor):
        regressor = GradientBoostingRegressor(n_estimators=trees, random_state=0)
    else:
        regressor = DecisionTreeRegressor(random_state=0)
    cache = {name: bundled(name) for name in ("digits", "diabetes")}
    return [
        fit(classifier, "digits", cache),
        fit(LogisticRegression(max_iter=1000), "digits", cache),
        fit(regressor, "diabetes", cache),
    ]


# ---------------------------------------------------------------- approaches


#: What a loaded scikit-learn estimator predicts, as the comparison reads it: labels or
#: values, and probabilities (every approach gives these; ONNX has no decision values).
sklearn_predictions = functools.partial(_fidelity.predictions, methods=("predict", "predict_proba"))


@dataclass(frozen=True)
class Approach:
    name: str
    suffix: str
    save: Callable  # (estimator, path) -> None
    load: Callable  # path -> loaded model
    other_languages: str  # static fact: can a program in another language read the file?
    runs_code: str  # static fact: can loading a hostile file execute code?
    predict: Callable = sklearn_predictions  # (loaded model, X) -> {"predict": ..., ...}


def _pickle_save(est, path):
    with open(path, "wb") as f:
        pickle.dump(est, f, protocol=pickle.HIGHEST_PROTOCOL)


def _pickle_load(path):
    with open(path, "rb") as f:
        return pickle.load(f)


def _joblib(compress: int) -> tuple[Callable, Callable]:
    import joblib

    return (lambda est, path: joblib.dump(est, path, compress=compress)), joblib.load


def _skops() -> tuple[Callable, Callable]:
    import skops.io as sio

    def load(path):
        # skops refuses types outside its default allow-list until the user trusts them; the
        # types a scikit-learn model needs are reviewed once, as a user would, then trusted.
        return sio.load(path, trusted=sio.get_untrusted_types(file=path))

    return sio.dump, load


def _onnx() -> tuple[Callable, Callable, Callable]:
    import onnxruntime as ort
    from skl2onnx import to_onnx

    def save(est, path):
        # Probabilities as a plain tensor rather than a list of per-row dicts (zipmap).
        options = {"zipmap": False} if hasattr(est, "predict_proba") else None
        sample = np.zeros((1, est.n_features_in_), dtype=np.float32)
        Path(path).write_bytes(to_onnx(est, sample, options=options).SerializeToString())

    def load(path):
        settings = ort.SessionOptions()
        # One thread: a thread pool would only add start-up cost to the load time we measure
        # (prediction throughput is not measured here), and the cores may be shared.
        settings.intra_op_num_threads = 1
        return ort.InferenceSession(str(path), settings, providers=["CPUExecutionProvider"])

    def predict(session, X):
        X32 = np.asarray(X, dtype=np.float32)  # ONNX tree and linear operators run in float32
        results = session.run(None, {session.get_inputs()[0].name: X32})
        names = [o.name for o in session.get_outputs()]
        out = dict(zip(names, results))
        if "probabilities" in out:
            return {"predict": out["label"], "predict_proba": out["probabilities"]}
        return {"predict": np.ravel(out["variable"])}

    return save, load, predict


def _json_models(compress) -> tuple[Callable, Callable]:
    return (lambda est, path: _api.dump(est, path, compress=compress)), _api.load


def importable(*modules: str) -> bool:
    return all(importlib.util.find_spec(m) is not None for m in modules)


JSON_READERS = "yes (any JSON reader; JS runtime)"
PYTHON_ONLY = "no (Python only)"


def _optional_approaches() -> tuple[list[Approach], list[str]]:
    """skops and ONNX where their packages are installed and import; notes on those skipped."""
    found, notes = [], []
    wanted = {
        "skops": (("skops",), "`pip install skops`"),
        "ONNX": (("skl2onnx", "onnxruntime"), "`pip install skl2onnx onnxruntime`"),
    }
    for name, (modules, hint) in wanted.items():
        if not importable(*modules):
            notes.append(f"{name}: not installed, skipped ({hint})")
            continue
        try:
            if name == "skops":
                found.append(Approach(name, ".skops", *_skops(), PYTHON_ONLY, "no (trusted types)"))
            else:
                save, load, predict = _onnx()
                languages = "yes (ONNX Runtime: C, C#, Java, JS…)"
                found.append(Approach(name, ".onnx", save, load, languages, "no", predict))
        except ImportError as exc:  # installed but broken (a mismatched dependency, say)
            notes.append(f"{name}: installed but does not import ({exc}), skipped")
    return found, notes


def approaches() -> tuple[list[Approach], list[str]]:
    """The approaches available here, pickle first (the baseline), and notes on skipped ones."""
    found = [
        Approach("pickle", ".pkl", _pickle_save, _pickle_load, PYTHON_ONLY, "yes"),
        Approach("joblib", ".joblib", *_joblib(0), PYTHON_ONLY, "yes"),
        Approach("joblib (compress=3)", ".joblib.z", *_joblib(3), PYTHON_ONLY, "yes"),
        Approach("json-models", ".json", *_json_models(None), JSON_READERS, "no"),
        Approach("json-models (gzip)", ".json.gz", *_json_models("gzip"), JSON_READERS, "no"),
    ]
    optional, notes = _optional_approaches()
    return found + optional, notes


# ---------------------------------------------------------------- measuring


@dataclass
class Row:
    model: str
    approach: Approach
    size: int = 0
    save_ms: float = math.nan  # medians
    load_ms: float = math.nan
    agreement: str = ""
    size_ratio: float = math.nan  # against pickle, same model, same run
    load_ratio: float = math.nan  # the median of the per-round ratios
    error: str = ""


@dataclass
class Comparison:
    rows: list[Row]
    notes: list[str]
    repeat: int


def agreement(expected: dict, got: dict) -> str:
    """How the loaded model's predictions compare with the original's: "bit-identical" as a
    Python round trip must be (SPEC), else how far they are."""
    if not _fidelity.roundtrip_mismatches(expected, got):
        return "bit-identical"
    parts = []
    labels, values = expected["predict"], got["predict"]
    if "predict_proba" in expected:
        same = int(np.sum(np.asarray(values).ravel() == labels.ravel()))
        parts.append(f"labels {same}/{labels.size}")
        labels, values = expected["predict_proba"], got.get("predict_proba", np.nan)
    diff = np.max(np.abs(np.asarray(values, dtype=np.float64) - labels))
    what = "probabilities" if "predict_proba" in expected else "values"
    parts.append(f"{what} within {diff:.1e}")
    return ", ".join(parts)


def _first_round(model: Model, rows: list[Row], paths: list[Path]) -> None:
    """Save, load and predict once with each approach, untimed: size and agreement.

    It also pays one-time costs (imports, schema compilation) that a long-running service
    pays once, so that they do not land in the timed runs."""
    expected = sklearn_predictions(model.estimator, model.data.X_test)
    for row, path in zip(rows, paths):
        try:
            row.approach.save(model.estimator, path)
            loaded = row.approach.load(path)
            row.size = path.stat().st_size
            row.agreement = agreement(expected, row.approach.predict(loaded, model.data.X_test))
        except Exception as exc:  # an optional converter may refuse a model: report, go on
            row.error = f"{type(exc).__name__}: {exc}".splitlines()[0][:120]


def _timed_rounds(model: Model, rows: list[Row], paths: list[Path], repeat: int) -> None:
    """Median save and load times over ``repeat`` rounds, approaches taking turns within each
    round; ratios against pickle (``rows[0]``)."""
    working = [(row, path) for row, path in zip(rows, paths) if not row.error]
    contenders = {}
    for row, path in working:
        contenders[f"save {row.approach.name}"] = functools.partial(
            row.approach.save, model.estimator, path
        )
        contenders[f"load {row.approach.name}"] = functools.partial(row.approach.load, path)
    times = _timing.rounds(repeat, **contenders)
    for row, _ in working:
        row.save_ms = statistics.median(times[f"save {row.approach.name}"])
        row.load_ms = statistics.median(times[f"load {row.approach.name}"])
    base = rows[0]
    for row in rows:
        row.size_ratio = row.size / base.size if row.size else math.nan
        if not (row.error or base.error):
            loads = times[f"load {row.approach.name}"]
            row.load_ratio = _timing.median_ratio(loads, times[f"load {base.approach.name}"])


def _measure_model(model: Model, found: list[Approach], repeat: int, workdir: Path) -> list[Row]:
    rows = [Row(model.name, a) for a in found]
    paths = [workdir / f"{model.name}-{i}{a.suffix}" for i, a in enumerate(found)]
    _first_round(model, rows, paths)
    _timed_rounds(model, rows, paths, repeat)
    return rows


def run(repeat: int = 5, quick: bool = False, progress=None) -> Comparison:
    """Measure every available approach on :func:`comparison_models`."""
    say = progress or (lambda message: None)
    found, notes = approaches()
    say("training the models to compare")
    models = comparison_models(quick)
    rows = []
    with tempfile.TemporaryDirectory(prefix="json-models-compare-") as tmp:
        for i, model in enumerate(models, 1):
            say(f"[{i}/{len(models)}] {model.name}: {len(found)} approaches, {repeat} run(s) each")
            rows += _measure_model(model, found, repeat, Path(tmp))
    notes += [f"{r.model}, {r.approach.name}: failed ({r.error})" for r in rows if r.error]
    return Comparison(rows, notes, repeat)


# ---------------------------------------------------------------- Markdown


COLUMNS = (
    "model",
    "approach",
    "size",
    "size × pickle",
    "save (ms)",
    "load (ms)",
    "load × pickle",
    "other languages",
    "loading runs code",
    "predictions after loading",
)


def _size(n: int) -> str:
    return f"{n / 1024:,.1f} KiB" if n < 1024**2 else f"{n / 1024**2:,.2f} MiB"


def _ms(ms: float) -> str:
    if math.isnan(ms):
        return "—"
    return f"{ms:,.0f}" if ms >= 100 else f"{ms:.3g}"  # 3 digits, never "1e+03"


def _ratio(r: float) -> str:
    return "—" if math.isnan(r) else f"{r:.2f}×"


def _cells(row: Row) -> list[str]:
    a = row.approach
    if row.error:
        return [
            row.model,
            a.name,
            "—",
            "—",
            "—",
            "—",
            "—",
            a.other_languages,
            a.runs_code,
            "failed",
        ]
    return [
        row.model,
        a.name,
        _size(row.size),
        _ratio(row.size_ratio),
        _ms(row.save_ms),
        _ms(row.load_ms),
        _ratio(row.load_ratio),
        a.other_languages,
        a.runs_code,
        row.agreement,
    ]


def markdown_table(result: Comparison) -> str:
    lines = ["| " + " | ".join(COLUMNS) + " |", "|" + "---|" * len(COLUMNS)]
    # A "|" inside a cell (an error message, say) would end the cell early.
    lines += [
        "| " + " | ".join(c.replace("|", "\\|") for c in _cells(row)) + " |" for row in result.rows
    ]
    return "\n".join(lines)


def markdown(result: Comparison) -> str:
    """The whole report: what was measured, the table, and notes."""
    import sklearn

    head = (
        f"# Saving and loading scikit-learn models: a measured comparison\n\n"
        f"Median of {result.repeat} run(s) on Python {platform.python_version()}, "
        f"scikit-learn {sklearn.__version__}, {platform.machine()}. Ratios are against pickle "
        f"in the same run; load means file to a model ready to predict (ONNX: an onnxruntime "
        f"session computing in float32). Predictions are those of the loaded model on the "
        f"held-out rows, compared with the original's.\n"
    )
    notes = "".join(f"- {n}\n" for n in result.notes)
    return f"{head}\n{markdown_table(result)}\n" + (f"\nNotes:\n\n{notes}" if notes else "")


# ---------------------------------------------------------------- SVG chart

WIDTH, LABEL_W, MARGIN = 760, 190, 56  # px: whole chart, approach names, room for bar labels
BAR_H, GAP = 12, 12
SERIES = (("size", "size_ratio", "#4e79a7"), ("load time", "load_ratio", "#f28e2b"))


class _LogScale:
    """x position of a ratio on a log axis that spans every ratio shown, with 1× inside."""

    def __init__(self, ratios, left: float, right: float):
        finite = [r for r in ratios if r > 0 and math.isfinite(r)] or [1.0]
        # Whole decades, and at least one each side of 1x: pickle's line never sits at an edge.
        self.lo = min(10 ** math.floor(math.log10(min(finite))), 0.1)
        self.hi = max(10 ** math.ceil(math.log10(max(finite))), 10.0)
        self.left, self.right = left, right

    def __call__(self, r: float) -> float:
        t = (math.log10(r) - math.log10(self.lo)) / math.log10(self.hi / self.lo)
        return self.left + t * (self.right - self.left)

    def ticks(self) -> list[float]:
        decades = round(math.log10(self.hi / self.lo))
        steps = (1, 2, 5) if decades <= 3 else (1,)
        exps = range(round(math.log10(self.lo)), round(math.log10(self.hi)) + 1)
        return [m * 10.0**e for e in exps for m in steps if self.lo <= m * 10.0**e <= self.hi]


def _text(x, y, s, anchor="start", size=12, weight="normal", fill="#222") -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" font-size="{size}" '
        f'font-weight="{weight}" fill="{fill}">{escape(str(s))}</text>'
    )


def _tick_label(v: float) -> str:
    return f"{v:g}×"


def _panel(model: str, rows: list[Row], scale: _LogScale, top: float) -> tuple[list[str], float]:
    """One model's group of bars; returns the SVG elements and the y below them."""
    parts = [_text(16, top + 14, model, size=14, weight="bold")]
    base = next((r for r in rows if r.approach.name == "pickle"), None)
    if base is not None and base.size:  # the absolute numbers behind 1x
        note = f"pickle: {_size(base.size)}, loads in {_ms(base.load_ms)} ms"
        parts.append(_text(WIDTH - MARGIN, top + 14, note, anchor="end", size=11, fill="#555"))
    y = top + 26
    plot_top = y
    for row in (r for r in rows if r is not base):  # pickle is the 1x line itself
        parts.append(_text(LABEL_W - 8, y + BAR_H + 4, row.approach.name, anchor="end"))
        for k, (_, attr, colour) in enumerate(SERIES):
            r = getattr(row, attr)
            bar_y = y + k * BAR_H
            if not (r > 0 and math.isfinite(r)):
                parts.append(_text(scale(1.0) + 4, bar_y + BAR_H - 2, "n/a", size=10))
                continue
            x0, x1 = sorted((scale(1.0), scale(r)))
            parts.append(
                f'<rect x="{x0:.1f}" y="{bar_y:.1f}" width="{max(x1 - x0, 1):.1f}" '
                f'height="{BAR_H - 1}" fill="{colour}"><title>{escape(row.approach.name)}: '
                f"{SERIES[k][0]} {r:.3g}× pickle</title></rect>"
            )
            # The number sits beyond the bar's far end: right of a bar that grows right.
            right = r >= 1
            parts.append(
                _text(
                    x1 + 4 if right else x0 - 4,
                    bar_y + BAR_H - 2,
                    f"{r:.2g}×",
                    anchor="start" if right else "end",
                    size=10,
                )
            )
        y += 2 * BAR_H + GAP
    # The grid goes first so that the bars are drawn over it.
    return [*_axis(scale, plot_top - 4, y - GAP + 4), *parts], y + 22


def _axis(scale: _LogScale, top: float, bottom: float) -> list[str]:
    parts = []
    for v in scale.ticks():
        x = scale(v)
        strong = v == 1.0
        parts.append(
            f'<line x1="{x:.1f}" y1="{top:.1f}" x2="{x:.1f}" y2="{bottom:.1f}" '
            f'stroke="{"#222" if strong else "#ccc"}" stroke-width="{1.5 if strong else 1}"/>'
        )
        parts.append(_text(x, bottom + 13, _tick_label(v), anchor="middle", size=10, fill="#555"))
    return parts


def svg_chart(result: Comparison) -> str:
    """One panel per model, in it one group per approach: two bars, size and load time relative
    to pickle, on a log axis through pickle's 1× (left of it: smaller or faster than pickle)."""
    shown = [r for r in result.rows if r.approach.name != "pickle"]
    scale = _LogScale(
        [r.size_ratio for r in shown] + [r.load_ratio for r in shown],
        LABEL_W + MARGIN,
        WIDTH - MARGIN,
    )
    parts = [
        _text(16, 24, "Size and load time relative to pickle (log scale)", size=16, weight="bold"),
        _text(
            16,
            42,
            f"left of the dark line: smaller or faster than pickle; median of "
            f"{result.repeat} run(s)",
            size=11,
            fill="#555",
        ),
    ]
    for k, (label, _, colour) in enumerate(SERIES):
        x = WIDTH - 220 + k * 110
        parts.append(f'<rect x="{x}" y="31" width="12" height="12" fill="{colour}"/>')
        parts.append(_text(x + 16, 41, label, size=11))
    y = 58.0
    for model in dict.fromkeys(r.model for r in result.rows):
        elements, y = _panel(model, [r for r in result.rows if r.model == model], scale, y)
        parts += elements
    height = math.ceil(y)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" '
        f'viewBox="0 0 {WIDTH} {height}" font-family="Helvetica, Arial, sans-serif">\n'
        f'<rect width="{WIDTH}" height="{height}" fill="white"/>\n'
        + "\n".join(parts)
        + "\n</svg>\n"
    )


# ---------------------------------------------------------------- command


def write(result: Comparison, out: Path) -> tuple[Path, Path]:
    """Write ``comparison.md`` and ``comparison.svg`` into ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    md, svg = out / "comparison.md", out / "comparison.svg"
    md.write_text(markdown(result), encoding="utf-8")
    svg.write_text(svg_chart(result), encoding="utf-8")
    return md, svg


def progress(prefix: str) -> Callable[[str], None]:
    """A progress printer: one line to stderr per step, so stdout stays the report."""
    return lambda message: print(f"{prefix}: {message}", file=sys.stderr, flush=True)


def cmd_compare(args) -> int:
    if args.repeat < 1:
        print("json-models compare: --repeat must be at least 1", file=sys.stderr)
        return 2
    result = run(args.repeat, args.quick, progress("compare"))
    md, svg = write(result, Path(args.out))
    print(markdown(result))
    print(f"wrote {md} and {svg}", file=sys.stderr)
    return 1 if any(r.error for r in result.rows if r.approach.name.startswith("json")) else 0


ABOUT = dict(
    help="measure pickle, joblib, skops, ONNX and json-models on the same models",
    description="Save and load the same fitted models with each approach; print a Markdown "
    "table and write comparison.md and comparison.svg.",
)


def add_arguments(parser) -> None:
    add_measurement_options(parser, "where to write the report")
    parser.set_defaults(run=_run_with_defaults)


def add_measurement_options(parser, out: str) -> None:
    """``--out``, ``--repeat`` and ``--quick``: the same for ``compare`` and ``demo`` (which
    runs the comparison)."""
    parser.add_argument(
        "--out", default="demo-out", metavar="DIR", help=f"{out} (default: ./demo-out)"
    )
    parser.add_argument(
        "--repeat",
        type=int,
        default=None,
        metavar="N",
        help="timed runs per approach, median reported (default 5; 1 with --quick)",
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="small ensembles and one run: checks that it works, not a measurement",
    )


def _run_with_defaults(args) -> int:
    if args.repeat is None:
        args.repeat = 1 if args.quick else 5
    return cmd_compare(args)
