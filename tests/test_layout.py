"""The project keeps its promises about itself: one name per model family everywhere, and a
README whose table of supported estimators is the registry's."""

from __future__ import annotations

import json
from pathlib import Path

from cases import CASES
from jsnode import run_node

from json_models import _registry

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "v1"


def _javascript_families() -> dict:
    """Estimator names by family, as the runtime's family modules (``src/models/<family>.js``)
    declare them, and as its index registers them."""
    script = """
        const { readdirSync } = await import("node:fs");
        const out = {};
        for (const file of readdirSync("src/models").filter((f) => f.endsWith(".js"))) {
          out[file.slice(0, -3)] = Object.keys((await import(`./src/models/${file}`)).ESTIMATORS);
        }
        out["(registered by src/index.js)"] = (await import("./src/index.js")).SUPPORTED_ESTIMATORS;
        console.log(JSON.stringify(out));
    """
    result = run_node("--input-type=module", "-e", script)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def _schema_dispatch() -> dict:
    """Estimator names by the family schema the entry schema sends them to."""
    entry = json.loads((ROOT / "schemas" / "json-models.schema.json").read_text())
    out = {"(estimator enum)": entry["properties"]["estimator"]["enum"]}
    for branch in entry["allOf"]:
        named = branch["if"]["properties"]["estimator"]
        family = branch["then"]["$ref"].removesuffix(".schema.json")
        out.setdefault(family, []).extend(named.get("enum", [named.get("const")]))
    return out


def test_every_family_is_registered_on_every_side():
    """Adding a family (CONTRIBUTING.md) touches its codec, schema, JavaScript reader, zoo rows
    and golden fixture; everything else is derived from the registry or checked here, and this
    test says what is missing where."""
    python = {c.FAMILY: sorted(map(_registry.public_name, c.ESTIMATORS)) for c in _registry.CODECS}
    everything = sorted(_registry.SUPPORTED)
    javascript, dispatch = _javascript_families(), _schema_dispatch()
    documents = [p for p in FIXTURES.glob("*.json") if not p.name.endswith(".expected.json")]
    fixtures = {json.loads(p.read_text())["estimator"] for p in documents}
    zoo = {_registry.public_name(type(case.make())) for case in CASES}
    missing = []
    for family, names in python.items():
        if not (ROOT / "schemas" / f"{family}.schema.json").is_file():
            missing.append(f"schemas/{family}.schema.json: the {family} family's schema")
        if sorted(javascript.get(family, [])) != names:
            missing.append(f"js_runtime/src/models/{family}.js: ESTIMATORS should be {names}")
        if sorted(dispatch.get(family, [])) != names:
            missing.append(
                f"schemas/json-models.schema.json: an allOf branch sending {names} "
                f"to {family}.schema.json"
            )
        for name in names:
            if name not in zoo:
                missing.append(f"tests/cases.py: a zoo row (Case) for {name}")
            if name not in fixtures:
                missing.append(
                    f"tests/fixtures/v1: a golden fixture of {name} (tests/fixtures/generate.py)"
                )
    if sorted(dispatch["(estimator enum)"]) != everything:
        missing.append("schemas/json-models.schema.json: properties.estimator.enum = the registry")
    if sorted(javascript["(registered by src/index.js)"]) != everything:
        missing.append("js_runtime/src/index.js: import and register every family module")
    extra = set(javascript) - set(python) - {"(registered by src/index.js)"}
    missing += [f"json_models/codecs/{f}.py: the codec of the {f} family" for f in sorted(extra)]
    assert not missing, "add:\n" + "\n".join(missing)


def test_readme_lists_exactly_the_supported_estimators():
    readme = (ROOT / "README.md").read_text()
    start, end = "<!-- supported-estimators:start -->\n", "\n<!-- supported-estimators:end -->"
    table = readme.split(start, 1)[1].split(end, 1)[0]
    assert table == _registry.supported_markdown()


def test_readme_quickstart_commands():
    readme = (ROOT / "README.md").read_text()
    assert "pip install -e . && json-models demo" in readme
    assert 'pip install -e ".[test]" && pytest' in readme
    ci = (ROOT / ".ci" / "run").read_text().splitlines()
    assert 'pip install -e ".[test]" && pytest' in ci  # as a line of its own, exactly


def test_scikit_learn_private_names_are_used_only_in_compat():
    """One file changes per scikit-learn release: an attribute or function scikit-learn calls
    private (``est._n_samples``, ``booster._raw_predict_init``) is reached only through
    ``json_models/_compat.py``."""
    import ast

    ours = {path.stem for path in (ROOT / "json_models").rglob("*.py")}
    found = []
    for path in sorted((ROOT / "json_models").rglob("*.py")):
        if path.name == "_compat.py":
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            private = (
                isinstance(node, ast.Attribute)
                and node.attr.startswith("_")
                and not node.attr.startswith("__")
                # (not on ``self``, nor a private module or function of our own: ``_api._x``)
                and not (
                    isinstance(node.value, ast.Name) and node.value.id in {"self", "cls", *ours}
                )
                and node.attr not in ours
            )
            if private:
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}: .{node.attr}")
            if (
                isinstance(node, ast.ImportFrom)
                and node.module
                and node.module.startswith("sklearn")
            ):
                hidden = [a.name for a in node.names if a.name.startswith("_")]
                if "._" in node.module or hidden:
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno}: from {node.module}")
    assert not found, "move into json_models/_compat.py:\n" + "\n".join(found)


def test_format_version_is_one_number_everywhere():
    """The places CONTRIBUTING.md's bump procedure lists agree with ``FORMAT_VERSION``."""
    import re

    from json_models import _format, _validate

    major, minor = map(int, _format.FORMAT_VERSION.split("."))
    schemas = {p.name: json.loads(p.read_text()) for p in (ROOT / "schemas").glob("*.json")}
    entry, defs = schemas["json-models.schema.json"], schemas["defs.schema.json"]
    index = (ROOT / "js_runtime" / "src" / "index.js").read_text()
    fixtures = [p for p in FIXTURES.glob("*.json") if not p.name.endswith(".expected.json")]
    disagree = [
        place
        for place, ok in [
            ("json_models/_validate.py FORMAT_MAJOR", _validate.FORMAT_MAJOR == major),
            ("js_runtime/src/index.js FORMAT_MAJOR", f"FORMAT_MAJOR = {major};" in index),
            (
                "schemas/*.schema.json $id",
                all(f"/schemas/{major}/" in s["$id"] for s in schemas.values() if "$id" in s),
            ),
            (
                "schemas/json-models.schema.json format_version pattern",
                entry["properties"]["format_version"]["pattern"].startswith(f"^{major}\\."),
            ),
            (
                "schemas/defs.schema.json known_format_version",
                _format.FORMAT_VERSION
                in defs["$defs"]["known_format_version"]["properties"]["format_version"]["enum"],
            ),
            (
                "tests/fixtures: a golden fixture of the current format version",
                any(
                    f'"format_version":"{major}.{minor}"' in re.sub(r"\s", "", p.read_text()[:200])
                    for p in fixtures
                ),  # fmt: skip
            ),
        ]
        if not ok
    ]
    assert not disagree, f"update for format {_format.FORMAT_VERSION}: " + ", ".join(disagree)


def test_the_page_asks_the_runtime_and_decodes_nothing_itself():
    """The page knows no estimator, family table or number encoding of its own: a new family
    needs nothing there (``model.family``, ``model.trees`` come from the runtime)."""
    page = "\n".join(p.read_text() for p in (ROOT / "js_runtime" / "demo").glob("*.js"))
    own = [token for token in ("sklearn.", "atob(", '"Infinity"', "base64") if token in page]
    assert not own, f"js_runtime/demo decodes or names models itself: {own}"
