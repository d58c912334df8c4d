"""The browser demo (js_runtime/demo/) in real, headless Chromium, driven by Playwright.

A server from ``json_models.serve`` (the one ``json-models serve`` runs) serves the page, the
runtime and a folder of models fitted here. The tests type rows into the page's form, paste
CSV, run the cross-language batch inside the page, and open broken files, comparing what the
page shows with scikit-learn under SPEC's fidelity rules (the page writes its values with
full precision in ``data-*`` attributes: ``JSON.stringify`` round-trips every float64).

Chromium is Debian's (``/usr/bin/chromium``), launched by Playwright's Python package with
``executable_path``: nothing downloads a browser. Locally the browser tests skip when
Chromium or Playwright is missing; in CI (``CI`` set) they fail.

A screenshot goes to ``tests/artifacts/browser.png``; with ``UPDATE_DOCS_SCREENSHOT=1`` it is
also copied to ``docs/browser.png`` (the README's picture).
"""

from __future__ import annotations

import gzip
import http.client
import json
import os
import shutil
import subprocess
import sys
import threading
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from cases import CASE_IDS, _inject_nans, fitted, json_objects, json_values, probe_rows
from conftest import assert_like_scikit_learn
from sklearn import datasets
from sklearn.ensemble import GradientBoostingClassifier, IsolationForest, RandomForestClassifier
from sklearn.linear_model import LinearRegression, LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.neural_network import MLPClassifier
from sklearn.svm import SVC
from sklearn.tree import DecisionTreeClassifier

import json_models as jm
from json_models import serve
from json_models._api import MAX_DOCUMENT_BYTES
from json_models._fidelity import predictions

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "tests" / "artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# ---------------------------------------------------------------- models the page opens


def _frame(name: str, nan: bool = False):
    """``(X_train, X_test, y_train)`` of a bundled dataset as DataFrames with its feature
    names (so the page's form is labelled by them); ``nan`` adds informative missing values."""
    bunch = getattr(datasets, f"load_{name}")(as_frame=True)
    X, y = bunch.data, bunch.target.to_numpy()
    if nan:
        X = pd.DataFrame(_inject_nans(X.to_numpy(), y == 2), columns=X.columns)
    X_train, X_test, y_train, _ = train_test_split(X, y, test_size=0.25, random_state=0)
    return X_train, X_test, y_train


# name -> (family, unfitted estimator, dataset, missing values?, dump options)
PAGE_MODELS = {
    "linear-diabetes.json": ("linear", LinearRegression(), "diabetes", False, {}),
    "logistic-iris.json": ("logistic", LogisticRegression(max_iter=1000), "iris", False, {}),
    # gzip: the page decompresses it with DecompressionStream
    "tree-iris-nan.json.gz": (
        "tree",
        DecisionTreeClassifier(max_depth=4, random_state=0),
        "iris",
        True,
        {"compress": "gzip"},
    ),
    # base64 arrays: the tree drawing decodes them too
    "forest-wine.json": (
        "forest",
        RandomForestClassifier(n_estimators=6, max_depth=5, random_state=0),
        "wine",
        False,
        {"arrays": "base64"},
    ),
    "boosting-wine.json": (
        "boosting",
        GradientBoostingClassifier(n_estimators=4, max_depth=2, random_state=0),
        "wine",
        False,
        {},
    ),
    # The card lists the layers.
    "mlp-iris.json": (
        "mlp",
        MLPClassifier(hidden_layer_sizes=(8, 6), max_iter=400, random_state=0),
        "iris",
        False,
        {},
    ),
    "svm-iris.json": ("svm", SVC(), "iris", False, {}),
    # An outlier detector: its score shown, its trees drawn (each on its own features).
    "isolation-wine.json": (
        "isolation",
        IsolationForest(n_estimators=6, max_features=0.7, random_state=0),
        "wine",
        False,
        {"arrays": "base64"},
    ),
}


@pytest.fixture(scope="module")
def models(tmp_path_factory):
    """The served folder, and ``name -> (family, fitted estimator, rows to type)``."""
    folder = tmp_path_factory.mktemp("models")
    fitted_models = {}
    for name, (family, est, data, nan, options) in PAGE_MODELS.items():
        X_train, X_test, y_train = _frame(data, nan)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # convergence warnings do not matter here
            est.fit(X_train, y_train)
        rows = X_test.iloc[:3].copy()
        if nan:
            rows.iloc[1, 2] = np.nan  # a missing value where the root splits: missing_go_to_left
            rows.iloc[2, :] = np.nan  # every value missing
        jm.dump(est, folder / name, **options)
        fitted_models[name] = (family, est, rows)
    return folder, fitted_models


# ---------------------------------------------------------------- server and browser


@pytest.fixture(scope="module")
def server(models):
    """Base URL of a server for the demo and the models folder, on an ephemeral port."""
    httpd, thread = serve.serve_in_thread(models[0])
    host, port = httpd.server_address[:2]
    yield f"http://{host}:{port}"
    httpd.shutdown()
    httpd.server_close()
    thread.join(timeout=10)


def _missing(what: str):
    if os.environ.get("CI"):
        pytest.fail(f"{what}, and CI must run the browser tests")
    pytest.skip(what)


@pytest.fixture(scope="module")
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing('the playwright Python package is not installed: pip install -e ".[test]"')
    executable = CHROMIUM if os.path.exists(CHROMIUM) else shutil.which("chromium")
    if not executable:
        _missing("Chromium is not installed: apt-get install chromium")
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, server):
    """A fresh page; the test fails if the page logs an error or throws."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    tab.set_default_timeout(15_000)
    problems = []
    tab.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    tab.on(
        "console", lambda m: problems.append(f"console: {m.text}") if m.type == "error" else None
    )
    yield tab
    context.close()
    assert not problems, problems


def open_served(page, server: str, name: str) -> None:
    """Open the page and pick ``name`` in its list of served models."""
    page.goto(f"{server}/demo/")
    page.wait_for_selector("#served:not([hidden])")
    page.select_option("#served-select", value=f"/models/{name}")
    page.wait_for_selector(f'body[data-state="ready"][data-model="{name}"]')


def enter_row(page, values) -> dict:
    """Type ``values`` in the form (NaN: an empty field), predict, and read what the page
    shows, with full precision."""
    for j, v in enumerate(values):
        page.fill(f'#fields input[data-index="{j}"]', "" if np.isnan(v) else repr(float(v)))
    page.click("#predict")
    return shown_prediction(page)


def shown_prediction(page) -> dict:
    """What the page shows for the form's row, with full precision."""
    box = page.locator("#prediction")
    assert box.get_attribute("data-error") is None, box.get_attribute("data-error")
    shown = {"predict": json.loads(box.get_attribute("data-predict"))}
    for attr, method in (
        ("data-proba", "predict_proba"),
        ("data-decision", "decision_function"),
        ("data-score", "score_samples"),
    ):
        value = box.get_attribute(attr)
        if value is not None:
            shown[method] = json.loads(value)
    return shown


def shown_path(page) -> list[int]:
    return [int(n) for n in page.get_attribute("#tree-svg", "data-path").split(",")]


# ---------------------------------------------------------------- tests


@pytest.mark.parametrize("name", list(PAGE_MODELS))
def test_form_predictions_match_scikit_learn(page, server, models, name):
    """Rows typed into the form give scikit-learn's predictions; for trees, the highlighted
    decision path is scikit-learn's ``decision_path`` (of the tree picked in a forest, of the
    stage and class picked in boosting)."""
    family, est, rows = models[1][name]
    open_served(page, server, name)
    card = page.inner_text("#card")
    assert type(est).__name__ in card and f"json-models {jm.FORMAT_VERSION}" in card
    names = page.locator("#fields input").evaluate_all("els => els.map(e => e.name)")
    assert names == list(est.feature_names_in_)

    drawn = None  # (the tree drawn, the rows it takes)
    if family == "tree":
        drawn = est, rows
    elif family == "forest":
        page.select_option("#pick-tree", value="2")
        drawn = est.estimators_[2], rows.to_numpy()  # sub-trees are fitted without names
    elif family == "boosting":
        page.select_option("#pick-stage", value="1")
        page.select_option("#pick-class", value="2")
        drawn = est.estimators_[1, 2], rows.to_numpy()
    elif family == "isolation":
        page.select_option("#pick-tree", value="2")
        drawn = est.estimators_[2], rows.to_numpy()[:, est.estimators_features_[2]]
    elif family == "mlp":
        layers = " → ".join(map(str, [est.n_features_in_, *est.hidden_layer_sizes, 3]))
        assert layers in card and "relu, output softmax" in card

    shown = []
    for i, row in enumerate(rows.to_numpy()):
        shown.append(enter_row(page, row))
        if drawn:
            tree, X = drawn
            assert shown_path(page) == list(tree.decision_path(X[i : i + 1]).indices), i
        if family == "tree" and i == 1:  # the row with a missing value: the README's picture
            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / "browser.png"), full_page=True)
            if os.environ.get("UPDATE_DOCS_SCREENSHOT"):
                (ROOT / "docs").mkdir(exist_ok=True)
                shutil.copy(ARTIFACTS / "browser.png", ROOT / "docs" / "browser.png")
    got = {method: [g[method] for g in shown] for method in shown[0]}
    assert_like_scikit_learn(est, rows, got, predictions(est, rows))


def test_csv_rows_match_scikit_learn(page, server, models):
    """Rows pasted as CSV (with a header in another column order, and empty cells) give
    scikit-learn's outputs bit for bit; clicking a result puts its row in the form."""
    name = "tree-iris-nan.json.gz"
    _, est, _ = models[1][name]
    _, X_test, _ = _frame("iris", nan=True)
    X = X_test.iloc[:12].copy()
    X.iloc[0, 0] = np.nan
    X.iloc[3, 2] = np.nan
    columns = list(reversed(X.columns))
    lines = [",".join(columns)]
    for _, row in X[columns].iterrows():
        lines.append(",".join("" if np.isnan(v) else repr(float(v)) for v in row))
    open_served(page, server, name)
    page.click("#csv-box summary")
    page.fill("#csv", "\n".join(lines) + "\n")
    page.click("#csv-predict")
    table = page.locator("#batch-table tbody tr")
    assert table.count() == len(X)
    got = {"predict": [], "predict_proba": []}
    for i in range(len(X)):
        got["predict"].append(json.loads(table.nth(i).get_attribute("data-predict")))
        got["predict_proba"].append(json.loads(table.nth(i).get_attribute("data-proba")))
    assert_like_scikit_learn(est, X, got, predictions(est, X))

    # The drawing opens and closes: a closed node shows its children when clicked, and
    # "Expand all" draws every node.
    closed = page.locator('#tree-svg [aria-expanded="false"]').first
    node = int(closed.get_attribute("data-node"))
    closed.click()
    child = est.tree_.children_left[node]
    assert page.locator(f'#tree-svg [data-node="{child}"]').count() == 1
    page.click("#expand-all")
    assert page.locator("#tree-svg [data-node]").count() == est.tree_.node_count

    table.nth(3).click()
    assert page.input_value(f'#fields input[name="{X.columns[2]}"]') == ""
    assert shown_path(page) == list(est.decision_path(X.iloc[[3]]).indices)


TRANSFORMERS = ("scaler", "polynomial", "imputer", "encoder")
# Families whose whole zoo runs in the page (the others: the cases below).
WHOLE_ZOOS = (
    "pipeline-", "hgb-", "linear-", "logistic-", "glm-", "linear_classifier-", "svm-",
    "naive_bayes-", "isolation-", "mlp-",
)  # fmt: skip
# Cases of tests/cases.py run through the runtime inside the page (each in plain lists and
# in base64 arrays): whole zoos, or for trees one case per family with missing values (extra
# trees only from scikit-learn 1.6: older versions have no such case to run).
BATCH_CASES = [
    case_id
    for case_id in [
        "tree-DecisionTreeClassifier-iris_nan",
        "tree-ExtraTreeRegressor-diabetes_nan",
        "tree-DecisionTreeClassifier-multi_classification-str",
        "forest-RandomForestClassifier-iris_nan-str",
        "forest-ExtraTreesRegressor-diabetes_nan",
        "boosting-GradientBoostingClassifier-wine",
        "boosting-GradientBoostingRegressor-diabetes-huber",
        # The whole zoos of the families above, one transformer of each other family.
        *(c for c in CASE_IDS if c.startswith(WHOLE_ZOOS)),
        *(next((c for c in CASE_IDS if c.startswith(f"{f}-")), "") for f in TRANSFORMERS),
    ]
    if case_id in CASE_IDS
]

PREDICT_IN_PAGE = """async ([url, rows]) => {
  const { loadModel } = await import("/src/index.js");
  const model = loadModel(await (await fetch(url)).text());
  const out = {};
  if (model.predict) out.predict = model.predict(rows);
  if (model.predictProba) out.predict_proba = model.predictProba(rows);
  if (model.decisionFunction) out.decision_function = model.decisionFunction(rows);
  if (model.scoreSamples) out.score_samples = model.scoreSamples(rows);
  if (model.transform) out.transform = model.transform(rows);
  return out;
}"""


def test_batch_in_page_matches_scikit_learn(page, server, models):
    """The cross-language comparison, in the browser: ``/src/index.js`` imported by the page
    predicts batches of held-out and threshold-probing rows of each family like
    scikit-learn (bit-exact trees and forests, linear within 1e-12 relative); rows of a model
    fitted on a DataFrame also as objects keyed by column name."""
    folder = models[0]
    page.goto(f"{server}/demo/")
    page.wait_for_selector('body:is([data-state="idle"], [data-state="ready"])')
    checked = 0
    for case_id in BATCH_CASES:
        est, data = fitted(case_id)
        X = probe_rows(est, data)
        want = predictions(est, X)
        for mode, options in (("plain", {}), ("base64", {"arrays": "base64"})):
            name = f"batch-{case_id}-{mode}.json"
            jm.dump(est, folder / name, **options)
            forms = [json_values(X)] + ([json_objects(X)] if hasattr(X, "columns") else [])
            for rows in forms:
                got = page.evaluate(PREDICT_IN_PAGE, [f"/models/{name}", rows])
                assert_like_scikit_learn(est, X, got, want)
                checked += len(X)
    assert checked > 2000


def test_invalid_file_shows_where_and_page_stays_usable(page, server, models, tmp_path):
    """A document with a child index out of range shows the JSON Pointer of the place and the
    problem; so do broken JSON and an unsupported version; a valid model opens afterwards."""
    folder, fitted_models = models
    _, est, rows = fitted_models["tree-iris-nan.json.gz"]
    doc = jm.to_dict(est)
    doc["state"]["tree"]["children_left"][2] = 99
    (folder / "broken-child.json").write_text(json.dumps(doc))

    open_served(page, server, "linear-diabetes.json")  # a model on show before the bad one
    page.select_option("#served-select", value="/models/broken-child.json")
    page.wait_for_selector('body[data-state="error"][data-model="broken-child.json"]')
    assert page.is_visible("#error") and page.is_hidden("#card") and page.is_hidden("#input")
    assert page.inner_text("#error-pointer") == "/state/tree/children_left/2"
    assert "99" in page.inner_text("#error-message")
    assert page.get_attribute("#error", "data-pointer") == "/state/tree/children_left/2"

    not_json = tmp_path / "not-json.json"
    not_json.write_text('{"format": "json-models", ')
    page.set_input_files("#file", str(not_json))
    page.wait_for_selector('body[data-state="error"][data-model="not-json.json"]')
    assert "not valid JSON" in page.inner_text("#error-message")
    assert page.inner_text("#error-pointer").startswith("/")

    future = dict(jm.to_dict(est), format_version="2.0")
    newer = tmp_path / "newer.json"
    newer.write_text(json.dumps(future))
    page.set_input_files("#file", str(newer))
    page.wait_for_selector('body[data-state="error"][data-model="newer.json"]')
    assert page.inner_text("#error-title") == "Unsupported format version"
    assert page.inner_text("#error-pointer") == "/format_version"

    # Still usable: a valid (gzipped) model opened from a file predicts like scikit-learn.
    page.set_input_files("#file", str(folder / "tree-iris-nan.json.gz"))
    page.wait_for_selector('body[data-state="ready"][data-model="tree-iris-nan.json.gz"]')
    assert page.is_hidden("#error")
    row = rows.to_numpy()[1]
    got = enter_row(page, row)
    want = predictions(est, rows.iloc[[1]])
    assert_like_scikit_learn(est, rows.iloc[[1]], {m: [v] for m, v in got.items()}, want)


# ---------------------------------------------------------------- limits of the page

#: The page's MAX_FORM_FEATURES: most inputs the form draws.
FORM_FEATURES = 200
#: Most bytes the page decompresses: the runtime's MAX_DOCUMENT_BYTES, as Python's.
DOCUMENT_BYTES = MAX_DOCUMENT_BYTES


def test_a_wide_model_shows_the_first_features_and_what_the_others_hold(page, server, models):
    """With 5,000 features the form draws the first 200 and says what the others hold: 0, or
    the values of a pasted row picked in the table; either way it predicts like scikit-learn."""
    folder = models[0]
    rng = np.random.default_rng(0)
    X = rng.normal(size=(40, 5000))
    est = LogisticRegression(max_iter=1000).fit(X, X[:, 4321] + X[:, 7] > 0)
    name = "logistic-wide.json"
    jm.dump(est, folder / name)
    open_served(page, server, name)
    assert page.locator("#fields input").count() == FORM_FEATURES
    assert page.inner_text("#fields-note").startswith(
        f"Showing the first {FORM_FEATURES} of 5000 features. The other 4800 are 0;"
    )
    zeros = np.zeros((1, 5000))
    got = {m: [v] for m, v in shown_prediction(page).items()}
    assert_like_scikit_learn(est, zeros, got, predictions(est, zeros))

    page.click("#csv-box summary")
    page.fill("#csv", "\n".join(",".join(map(repr, row)) for row in X[:2].tolist()))
    page.click("#csv-predict")
    page.locator('#batch-table tr[data-row="1"]').click()
    assert "The other 4800 hold the values of batch row 1;" in page.inner_text("#fields-note")
    assert float(page.input_value('#fields input[data-index="199"]')) == X[1, 199]
    got = {m: [v] for m, v in shown_prediction(page).items()}
    assert_like_scikit_learn(est, X[1:2], got, predictions(est, X[1:2]))


def test_a_model_claiming_2_31_features_opens_without_rows_that_wide(page, server, models):
    """A valid document may claim n_features_in = 2**31-1 in a few hundred bytes (a tree names
    only the features it splits on): the page shows it, draws 200 inputs and predicts nothing,
    instead of building arrays of 2**31-1 entries."""
    folder = models[0]
    doc = jm.to_dict(DecisionTreeClassifier().fit([[0, 1], [1, 0], [2, 1]], [0, 1, 0]))
    doc["state"]["n_features_in"] = 2**31 - 1
    name = "tree-claims-2-31-features.json"
    (folder / name).write_text(json.dumps(doc))
    open_served(page, server, name)
    assert "2147483647 (no names: x0…)" in page.inner_text("#card")
    assert page.locator("#fields input").count() == FORM_FEATURES
    assert page.inner_text("#fields-note").startswith(
        f"Showing the first {FORM_FEATURES} of 2147483647 features."
    )
    assert "wider than" in page.get_attribute("#prediction", "data-error")


def test_a_gzip_bomb_is_refused_once_it_passes_the_document_cap(page, server, models):
    """A quarter MiB of gzip that expands past 256 MiB: the page stops reading and says why."""
    name = "bomb.json.gz"
    chunk = b" " * 2**20
    with gzip.open(models[0] / name, "wb", compresslevel=1) as f:
        for _ in range(DOCUMENT_BYTES // len(chunk) + 1):
            f.write(chunk)
    page.goto(f"{server}/demo/")
    page.wait_for_selector("#served:not([hidden])")
    page.select_option("#served-select", value=f"/models/{name}")
    page.wait_for_selector(f'body[data-state="error"][data-model="{name}"]')
    assert page.inner_text("#error-message") == f"decompresses to more than {DOCUMENT_BYTES} bytes"


# ---------------------------------------------------------------- the server alone


def _get(server: str, path: str) -> tuple[int, str, bytes]:
    host, port = server.removeprefix("http://").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=10)
    conn.request("GET", path)  # sent as is: no client-side normalisation of ".."
    res = conn.getresponse()
    body = res.read()
    conn.close()
    return res.status, res.getheader("Content-Type", ""), body


def test_server_listing_types_and_roots(server, models, tmp_path):
    folder = models[0]
    status, mime, body = _get(server, "/models/index.json")
    assert status == 200 and mime == "application/json"
    names = [m["name"] for m in json.loads(body)["models"]]
    assert set(PAGE_MODELS) <= set(names) and names == sorted(names)

    assert _get(server, "/src/index.js")[:2] == (200, "text/javascript; charset=utf-8")
    assert _get(server, "/demo/app.js")[1] == "text/javascript; charset=utf-8"
    assert _get(server, "/demo/")[1] == "text/html; charset=utf-8"
    assert _get(server, "/models/tree-iris-nan.json.gz")[1] == "application/gzip"

    outside = tmp_path / "secret.json"
    outside.write_text("{}")
    link = folder / "link.json"
    link.symlink_to(outside)
    try:
        for path in [
            "/models/../pyproject.toml",
            "/models/%2e%2e/%2e%2e/etc/passwd",
            "/models/..%2fsecret.json",
            "/src/../package.json",
            "/src/%2e%2e/package.json",
            "/demo/..%2f..%2fpyproject.toml",
            "/models/link.json",  # a symlink out of the folder
            "/test/routing.test.js",  # js_runtime/ beyond demo/ and src/
            "/node_modules/ajv/package.json",
            "//etc/passwd",
            "/models/",
        ]:
            assert _get(server, path)[0] == 404, path
    finally:
        link.unlink()


def test_serve_command_prints_its_url(models):
    """``json-models serve DIR --port 0`` prints the page's URL and serves from it."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "json_models.cli", "serve", str(models[0]), "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    timer = threading.Timer(60, proc.kill)
    timer.start()
    try:
        line = proc.stdout.readline()
        assert line.startswith("serving the json-models demo at http://127.0.0.1:"), line
        url = line.split()[-1]
        assert url.endswith("/demo/")
        base = url.removesuffix("/demo/")
        status, mime, body = _get(base, "/demo/")
        assert status == 200 and b"app.js" in body
    finally:
        timer.cancel()
        proc.terminate()
        proc.wait(timeout=10)


def test_readme_page_example_runs(browser, tmp_path):
    """The README's page example, as written, served beside the runtime and a model."""
    import functools
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    from test_readme import readme_blocks

    (html,) = [code for lang, code in readme_blocks("html")]
    (tmp_path / "index.html").write_text(html)
    os.symlink(ROOT / "js_runtime", tmp_path / "js_runtime")
    X, y = datasets.load_iris(return_X_y=True)
    model = RandomForestClassifier(random_state=0).fit(X, y)
    jm.dump(model, tmp_path / "iris-forest.json")
    handler = functools.partial(SimpleHTTPRequestHandler, directory=str(tmp_path))
    handler.log_message = lambda *args: None
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    page = browser.new_page()
    try:
        page.goto(f"http://127.0.0.1:{httpd.server_address[1]}/index.html")
        page.wait_for_function("document.body.textContent.length > 0", timeout=15_000)
        shown = page.inner_text("body")
    finally:
        page.close()
        httpd.shutdown()
    assert shown == ", ".join(map(str, model.predict([[5.1, 3.5, 1.4, 0.2]])))


def type_row(page, row: dict, frame) -> pd.DataFrame:
    """Type ``row`` into the page's form (NaN: an empty field, a missing value) and predict;
    the same row as scikit-learn takes it: one row of ``frame``'s columns and dtypes."""
    for column in frame.columns:
        v = row[column]
        page.fill(f'#fields input[name="{column}"]', "" if v != v else str(v))
    page.click("#predict")
    return pd.DataFrame({c: pd.Series([row[c]], dtype=frame[c].dtype) for c in frame.columns})


def test_a_pipeline_lists_its_steps_and_offers_categories(page, server, models):
    """A pipeline fitted on the mixed table: the card lists its steps (the column transformer's
    entries with their input columns), the form names the columns and offers the categories
    of 'city' it knows; rows typed with a known city, an unseen one and empty fields give
    scikit-learn's label and probabilities, and the tree view follows the transformed row."""
    est, data = fitted("pipeline-Pipeline-RandomForestClassifier-mixed-str")
    name = "pipeline-forest-mixed.json"
    jm.dump(est, models[0] / name)
    open_served(page, server, name)
    steps = page.locator("#card-facts .steps li")
    assert steps.evaluate_all("els => els.map(e => e.dataset.step)") == [
        "columntransformer",
        *("num", "simpleimputer", "standardscaler", "cat", "remainder"),
        "randomforestclassifier",
    ]
    assert "OneHotEncoder ← city, color, member" in steps.nth(4).inner_text()
    assert "RandomForestClassifier" in steps.nth(6).inner_text()
    columns = list(est.feature_names_in_)
    names = page.locator("#fields input").evaluate_all("els => els.map(e => e.name)")
    assert names == columns
    city = page.locator('#fields input[name="city"]')
    known = page.locator(f"datalist#{city.get_attribute('list')} option")
    cats = est[0].named_transformers_["cat"].categories_[0]
    assert known.evaluate_all("els => els.map(e => e.value)") == [c for c in cats if c == c]

    page.select_option("#pick-tree", value="2")
    nan = np.nan
    for values in (
        {"age": nan, "income": 31000.5, "city": "Lyon", "color": "red", "n_children": 2},
        {"age": 52.0, "income": 18000.0, "city": "Dijon", "color": "blue", "n_children": 0},
    ):
        row = {"member": nan, **values}  # an empty field: a missing value
        X = type_row(page, row, data.X_train[columns])
        want = {"predict": est.predict(X), "predict_proba": est.predict_proba(X)}
        got = {m: [v] for m, v in shown_prediction(page).items()}
        assert got["predict"] == list(want["predict"])
        assert_like_scikit_learn(est, X, got, want)
        path = est[-1].estimators_[2].decision_path(est[:-1].transform(X)).indices
        assert shown_path(page) == list(path), row


def test_hgb_trees_show_category_sets_and_the_row_path(page, server, models):
    """HistGradientBoosting with categorical features by name (string categories): the card
    counts iterations and trees per iteration; the tree view draws a categorical split as the
    set of categories that go left; for typed rows (a known city, an unseen one, empty fields)
    the highlighted path of the picked iteration is the walk prediction takes in the exported
    document (NaN by missing_go_to_left, a category by membership, an unseen one the missing
    way, numbers by x <= threshold in float64), whose leaves add up to scikit-learn's raw
    prediction; the label and probabilities shown are scikit-learn's."""
    est, data = fitted("hgb-HistGradientBoostingClassifier-mixed-str-names")
    name = "hgb-mixed-names.json"
    doc = jm.to_dict(est)
    jm.dump(est, models[0] / name)
    state = doc["state"]
    known = dict(zip(state["categorical_features"], state["categories"]))
    trees = [tree for iteration in state["predictors"] for tree in iteration]

    def walk(tree, row):
        node, path = 0, [0]
        while tree["children_left"][node] != -1:
            f = tree["feature"][node]
            x = row[f]
            left = tree["missing_go_to_left"][node] == 1
            missing = x is None or (isinstance(x, float) and np.isnan(x))
            if tree["is_categorical"][node]:
                if not missing and x in known[f]:
                    left = x in tree["left_categories"][tree["bitset_index"][node]]
            elif not missing:
                left = x <= float(tree["threshold"][node])
            node = tree["children_left" if left else "children_right"][node]
            path.append(node)
        return path

    def depth_of_first_set(tree):
        depth = {0: 0}
        for n, (lft, rgt) in enumerate(zip(tree["children_left"], tree["children_right"])):
            if lft != -1:
                depth[lft] = depth[rgt] = depth[n] + 1
        cat = [depth[n] for n, c in enumerate(tree["is_categorical"]) if c]
        return min(cat, default=99)

    open_served(page, server, name)
    facts = page.inner_text("#card-facts")
    assert f"iterations\n{est.n_iter_}" in facts and "trees per iteration\n1" in facts, facts
    assert page.is_hidden("#pick-class-label") and "iteration" in page.inner_text(
        "#pick-stage-label"
    )
    # An iteration whose tree splits on a category near the root (drawn at the default depth).
    picked = min(range(len(trees)), key=lambda i: (depth_of_first_set(trees[i]), -i))
    assert depth_of_first_set(trees[picked]) < 3
    page.select_option("#pick-stage", value=str(picked))
    assert page.inner_text("#tree-caption").startswith(f"Iteration {picked + 1}, tree 1: ")

    columns = list(est.feature_names_in_)
    nan = np.nan
    for values in (
        {"age": nan, "income": 31000.5, "city": "Lyon", "color": "red", "n_children": 2},
        {"age": 52.0, "income": 18000.0, "city": "Dijon", "color": "blue", "n_children": 0},
        {"age": 33.5, "income": 52000.0, "city": "Paris", "color": "green", "n_children": 4},
    ):
        row = {"member": nan, **values}  # an empty field: a missing value
        X = type_row(page, row, data.X_train[columns])
        want = {m: getattr(est, m)(X) for m in ("predict", "predict_proba", "decision_function")}
        got = {m: [v] for m, v in shown_prediction(page).items()}
        assert got["predict"] == list(want["predict"])
        assert_like_scikit_learn(est, X, got, want)
        cells = [row[c] for c in columns]
        paths = [walk(tree, cells) for tree in trees]
        leaves = sum(tree["value"][p[-1]] for tree, p in zip(trees, paths))
        raw = state["baseline_prediction"][0] + leaves
        np.testing.assert_allclose(raw, est._raw_predict(X)[0, 0], rtol=1e-12, atol=1e-12)
        assert shown_path(page) == paths[picked], row

    # The categorical splits drawn: "feature ∈ {…}" holding the document's left categories.
    tree = trees[picked]
    drawn = page.locator("#tree-svg g.node[data-categories]")
    assert drawn.count() >= 1
    for k in range(drawn.count()):
        node = drawn.nth(k)
        n = int(node.get_attribute("data-node"))
        left = tree["left_categories"][tree["bitset_index"][n]]
        assert json.loads(node.get_attribute("data-categories")) == left
        head = node.locator("text.head").text_content()
        feature = columns[tree["feature"][n]]
        assert head.startswith(f"{feature} ∈ {{") and head.endswith("}"), head
        first = left[0] if isinstance(left[0], str) else json.dumps(left[0])  # the page's text
        assert first in head, head
