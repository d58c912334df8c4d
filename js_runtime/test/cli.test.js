// bin/json-models.js: one JSON object on stdout; exit 1 with one line on stderr for a bad
// model or bad input; exit 2 for a wrong command line.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { deflateSync, gzipSync } from "node:zlib";
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
/** Exit status 1, nothing on stdout, one line on stderr: `json-models: ${expected}` (a string) or matching it. */
function assertOneLineError(r, expected) {
  assert.equal(r.code, 1, r.err);
  assert.equal(r.out, "");
  assert.match(r.err, /^json-models: [^\n]+\n$/);
  if (typeof expected === "string") assert.equal(r.err, `json-models: ${expected}\n`);
  else assert.match(r.err, expected);
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
  const bad = file("bad.json", doc);
  assertOneLineError(run("predict", bad, X), `${bad}: /state/tree/children_left/0: expected -1 (leaf) or a node index in (0, 3), found the number 0`);
  const v2 = fx.treeClassifier();
  v2.format_version = "2.0";
  assertOneLineError(run("predict", file("v2.json", v2), X), /\/format_version: unsupported format version 2\.0/);
  const junk = file("junk.json", "{not json");
  assertOneLineError(run("predict", junk, X), `${junk}: /: not valid JSON at line 1, column 2 (byte 1): Expected property name or '}'`);
  const gzjunk = file("gzjunk.json", new Uint8Array([0x1f, 0x8b, 1, 2, 3]));
  assertOneLineError(run("predict", gzjunk, X), /^json-models: \S+gzjunk\.json: \/: not valid gzip data \(.+\)\n$/);
  assertOneLineError(run("predict", join(dir, "missing.json"), X), /ENOENT|no such file/);
});

test("bad input exits 1 with one line naming the row", () => {
  const model = file("tree2.json", fx.treeClassifier());
  assertOneLineError(run("predict", model, file("short.json", [[0, 0], [1]])), "X row 1: expected 2 values, found 1");
  assertOneLineError(run("predict", model, file("notarr.json", { a: 1 })), "X: expected an array of rows, found an object");
  const notjson = file("notjson.json", "[[0,");
  assertOneLineError(run("predict", model, notjson), `${notjson}: not valid JSON at line 1, column 5 (byte 4): the document ends early (is the file truncated?)`);
  const lin = file("lin2.json", fx.linear());
  assertOneLineError(run("predict", lin, X), "X row 2, feature 0: expected a number (this model accepts no missing values), found null");
});

test("a wrong command line exits 2 with usage", () => {
  for (const args of [[], ["predict"], ["predict", "a"], ["fit", "a", "b"], ["predict", "a", "b", "c"]]) {
    const r = run(...args);
    assert.equal(r.code, 2, JSON.stringify(args));
    assert.equal(r.err, "usage: json-models predict MODEL.json X.json\n       json-models --version\n");
  }
  const h = run("--help");
  assert.equal(h.code, 0);
  assert.match(h.out, /^usage: json-models predict MODEL\.json X\.json\n {7}json-models --version\n$/);
});

test("--version and -v print the package version and the format major it reads", () => {
  const { version } = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
  for (const flag of ["--version", "-v"]) {
    const r = run(flag);
    assert.equal(r.code, 0, r.err);
    assert.equal(r.err, "");
    assert.equal(r.out, `json-models ${version} (reads format 1.x)\n`);
  }
});

test("compressed, pickled or non-UTF-8 files: one line saying what they are and what to do", () => {
  const text = JSON.stringify(fx.treeClassifier());
  const cases = [
    ["m.json.xz", Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00, 0x00, 0x04]), 'xz (lzma)-compressed data: decompress it first (xz -d), or write the model with compress="gzip"'],
    ["m.json.bz2", Buffer.from("BZh91AY&SY"), 'bz2-compressed data: decompress it first (bzip2 -d), or write the model with compress="gzip"'],
    ["m.pkl", Buffer.from([0x80, 0x04, 0x95, 0x0a]), "a pickle file, not JSON: json-models reads only JSON documents (write one with json_models.dump)"],
    ["m.joblib", deflateSync(text), "zlib-compressed data (a joblib file?), not JSON"],
    ["m.gz.gz", gzipSync(gzipSync(text)), 'gzip-compressed data: decompress it first (zlib.gunzipSync in Node, DecompressionStream("gzip") in a browser); the json-models CLI and page read .json.gz themselves'],
    ["latin1.json", Buffer.concat([Buffer.from('{"a": "caf'), Buffer.from([0xe9]), Buffer.from('"}')]), "not valid UTF-8 at byte 10 (0xe9): a JSON document is UTF-8 text"],
  ];
  for (const [name, content, message] of cases) {
    const model = file(name, content);
    assertOneLineError(run("predict", model, X), `${model}: /: ${message}`);
    const rows = file(`X-${name}`, content);
    assertOneLineError(run("predict", file("ok.json", fx.treeClassifier()), rows), `${rows}: ${message}`);
  }
});

test("X.json may be gzip-compressed; its syntax errors say where", () => {
  const model = file("tree3.json", fx.treeClassifier());
  const r = run("predict", model, file("X.json.gz", gzipSync(JSON.stringify([[0, 0], [1, 1]]))));
  assert.equal(r.code, 0, r.err);
  assert.deepEqual(JSON.parse(r.out).predict, ["a", "b"]);
  const bad = file("Xbad.json", "[[0, 0],\n [1, x]]");
  assertOneLineError(run("predict", model, bad), `${bad}: not valid JSON at line 2, column 6 (byte 14): Unexpected token 'x'`);
  const empty = file("Xempty.json", "");
  assertOneLineError(run("predict", model, empty), `${empty}: not valid JSON: the document is empty`);
  const gzjunk = file("Xgzjunk.json", new Uint8Array([0x1f, 0x8b, 1, 2, 3]));
  assertOneLineError(run("predict", model, gzjunk), /^json-models: \S+Xgzjunk\.json: not valid gzip data \(.+\)\n$/);
});
