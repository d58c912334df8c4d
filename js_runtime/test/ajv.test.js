// The schemas compile in ajv (draft 2020-12, $refs resolved offline by $id), accept the
// hand-written fixtures, and reject malformed documents. The pytest suite compares
// test/ajv-validate.mjs with Python's jsonschema on many more documents.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { SCHEMAS_DIR, makeValidator } from "./ajv-validate.mjs";
import * as fx from "./fixtures.js";

const validate = makeValidator(SCHEMAS_DIR);

test("every fixture is a valid document", () => {
  for (const [name, make] of Object.entries(fx.ALL)) {
    assert.ok(validate(make()), `${name}: ${JSON.stringify(validate.errors)}`);
  }
});

test("binary arrays validate like plain ones", () => {
  const d = fx.linear();
  d.state.coef = { dtype: "float64", shape: [2], base64: fx.b64(Float64Array, [1.5, -2]) };
  assert.ok(validate(d), JSON.stringify(validate.errors));
  d.state.coef.dtype = "int32";
  assert.equal(validate(d), false);
});

test("malformed documents are rejected", () => {
  const cases = {
    format: (d) => (d.format = "pickle"),
    version: (d) => (d.format_version = "2.0"),
    estimator: (d) => (d.estimator = "sklearn.neighbors.KNeighborsClassifier"),
    "no state": (d) => delete d.state,
    "stray state field": (d) => (d.state.extra = 1),
    "threshold string": (d) => (d.state.tree.threshold[0] = "inf"),
    "missing flag 2": (d) => (d.state.tree.missing_go_to_left[0] = 2),
    "duplicate classes": (d) => (d.state.classes = ["a", "a"]),
    "no tree": (d) => delete d.state.tree,
  };
  for (const [name, edit] of Object.entries(cases)) {
    const d = fx.treeClassifier();
    edit(d);
    assert.equal(validate(d), false, name);
  }
});

test("the script prints one JSON line per file", () => {
  const script = fileURLToPath(new URL("./ajv-validate.mjs", import.meta.url));
  const schemaFile = fileURLToPath(new URL("../../schemas/json-models.schema.json", import.meta.url));
  const r = spawnSync(process.execPath, [script, schemaFile, "/nonexistent.json"], { encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
  const lines = r.stdout.trim().split("\n").map((l) => JSON.parse(l));
  assert.equal(lines.length, 2);
  assert.equal(lines[0].file, schemaFile);
  assert.equal(lines[0].valid, false); // a schema is not a document
  assert.ok(lines[0].errors.length > 0);
  assert.equal(lines[1].valid, false);
  assert.equal(spawnSync(process.execPath, [script], { encoding: "utf8" }).status, 2);
});
