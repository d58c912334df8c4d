// bin/json-models.js: one JSON object on stdout; exit 1 with one line on stderr for a bad
// model or bad input; exit 2 for a wrong command line.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import * as fx from "./fixtures.js";

const BIN = fileURLToPath(new URL("../bin/json-models.js", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "json-models-cli-"));
test.after(() => rmSync(dir, { recursive: true, force: true }));

function file(name, content) {
  const p = join(dir, name);
  writeFileSync(p, typeof content === "string" || content instanceof Uint8Array ? content : JSON.stringify(content));
  return p;
}
function run(...args) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: "utf8" });
  return { code: r.status, out: r.stdout, err: r.stderr };
}
function assertOneLineError(r, re) {
  assert.equal(r.code, 1, r.err);
  assert.equal(r.out, "");
  assert.match(r.err, /^json-models: [^\n]+\n$/);
  assert.match(r.err, re);
  assert.doesNotMatch(r.err, /\bat .*\.js:\d+/); // no stack trace
}

const X = file("X.json", [[0, 0], [1, 1], [null, 0]]);

test("predict prints one JSON object with the model's methods", () => {
  const r = run("predict", file("tree.json", fx.treeClassifier()), X);
  assert.equal(r.code, 0, r.err);
  assert.equal(r.err, "");
  assert.deepEqual(JSON.parse(r.out), { predict: ["a", "b", "a"], predict_proba: [[1, 0], [0, 1], [1, 0]] });
  assert.equal(r.out.trim().split("\n").length, 1);
});

test("keys: decision_function where the model has one; regressors only predict", () => {
  const lr = JSON.parse(run("predict", file("lr.json", fx.logistic(2)), file("X2.json", [[1, 0]])).out);
  assert.deepEqual(Object.keys(lr), ["predict", "predict_proba", "decision_function"]);
  assert.deepEqual(lr.decision_function, [2.5]);
  const reg = JSON.parse(run("predict", file("reg.json", fx.treeRegressor()), X).out);
  assert.deepEqual(reg, { predict: [-1, 7, -1] });
});

test("numbers print so that they parse back to the same float64", () => {
  const doc = fx.linear();
  doc.state.coef = [0.1, 1 / 3];
  doc.state.intercept = 5e-324;
  const r = run("predict", file("lin.json", doc), file("X3.json", [[1, 1], [1e-300, 0]]));
  const [a, b] = JSON.parse(r.out).predict;
  assert.equal(a, 0.1 + 1 / 3 + 5e-324);
  assert.equal(b, 0.1 * 1e-300 + 5e-324);
});

test("a gzip-compressed model is detected by its magic bytes", () => {
  const gz = file("tree.json.bin", gzipSync(JSON.stringify(fx.treeClassifier())));
  const r = run("predict", gz, X);
  assert.equal(r.code, 0, r.err);
  assert.deepEqual(JSON.parse(r.out).predict, ["a", "b", "a"]);
});

test("a bad model exits 1 with one line naming the place", () => {
  const doc = fx.treeClassifier();
  doc.state.tree.children_left[0] = 0;
  assertOneLineError(run("predict", file("bad.json", doc), X), /\/state\/tree\/children_left\/0: expected -1 \(leaf\) or a node index/);
  const v2 = fx.treeClassifier();
  v2.format_version = "2.0";
  assertOneLineError(run("predict", file("v2.json", v2), X), /\/format_version: unsupported format version 2\.0/);
  assertOneLineError(run("predict", file("junk.json", "{not json"), X), /^json-models: \/: not valid JSON/);
  assertOneLineError(run("predict", file("gzjunk.json", new Uint8Array([0x1f, 0x8b, 1, 2, 3])), X), /json-models: /);
  assertOneLineError(run("predict", join(dir, "missing.json"), X), /ENOENT|no such file/);
});

test("bad input exits 1 with one line naming the row", () => {
  const model = file("tree2.json", fx.treeClassifier());
  assertOneLineError(run("predict", model, file("short.json", [[0, 0], [1]])), /X row 1: expected 2 values, got 1/);
  assertOneLineError(run("predict", model, file("notarr.json", { a: 1 })), /X: expected an array of rows/);
  assertOneLineError(run("predict", model, file("notjson.json", "[[0,")), /notjson\.json: not valid JSON/);
  const lin = file("lin2.json", fx.linear());
  assertOneLineError(run("predict", lin, X), /X row 2: feature 0: missing value/);
});

test("a wrong command line exits 2 with usage", () => {
  for (const args of [[], ["predict"], ["predict", "a"], ["fit", "a", "b"], ["predict", "a", "b", "c"]]) {
    const r = run(...args);
    assert.equal(r.code, 2, JSON.stringify(args));
    assert.match(r.err, /^usage: json-models predict MODEL\.json X\.json\n$/);
  }
  const h = run("--help");
  assert.equal(h.code, 0);
  assert.match(h.out, /^usage:/);
});
