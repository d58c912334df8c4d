// Binary arrays: {"dtype", "shape", "base64"} with little-endian bytes, decoded without Buffer.
import { test } from "node:test";
import assert from "node:assert/strict";
import { ndarray } from "../src/arrays.js";
import { decodeBase64 } from "../src/base64.js";
import { loadModel } from "../src/index.js";
import { b64, forestClassifier, linear, treeClassifier } from "./fixtures.js";

const bin = (dtype, shape, base64) => ({ dtype, shape, base64 });

test("decodeBase64 decodes standard padded base64 to bytes", () => {
  assert.deepEqual(decodeBase64("", "/x"), new Uint8Array([]));
  assert.deepEqual(decodeBase64("AQID", "/x"), new Uint8Array([1, 2, 3]));
  assert.deepEqual(decodeBase64("AQI=", "/x"), new Uint8Array([1, 2]));
  assert.deepEqual(decodeBase64("AQ==", "/x"), new Uint8Array([1]));
  assert.deepEqual(decodeBase64("//79", "/x"), new Uint8Array([255, 254, 253]));
});

test("decodeBase64 decodes long text, taken a chunk at a time", () => {
  for (const n of [65535 * 3, 65536 * 3 + 1, 200002]) {
    const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 2654435761) >>> 24);
    assert.deepEqual(decodeBase64(Buffer.from(bytes).toString("base64"), "/x"), bytes, `${n} bytes`);
  }
  const text = Buffer.from(new Uint8Array(90000)).toString("base64");
  assert.throws(() => decodeBase64(`${text.slice(0, 100000)}é${text.slice(100001)}`, "/x"), /non-ASCII/);
  assert.throws(() => decodeBase64(`${text.slice(0, 100000)}!${text.slice(100001)}`, "/x"), /bad character in "!AAA"/);
});

test("decodeBase64 refuses anything but standard padded base64", () => {
  for (const bad of ["AQ", "AQI", "A===", "AQ=I", "AQ\nID", "AQ ID", "AQ-_", "=AQI", "AQI=AQI="]) {
    assert.throws(() => decodeBase64(bad, "/state/coef/base64"), /^InvalidModelError: \/state\/coef\/base64: expected standard padded base64/, bad);
  }
});

test("float64, int32 and uint8 arrays decode little-endian into typed arrays", () => {
  const f = [0, -0, 1.5, -2.25, Math.PI, Number.MAX_VALUE, 5e-324, -1e-300];
  const a = ndarray(bin("float64", [8], b64(Float64Array, f)), "/p", "f64");
  assert.ok(a.data instanceof Float64Array);
  assert.deepEqual(Array.from(a.data), f);
  assert.deepEqual(a.shape, [8]);
  const i = ndarray(bin("int32", [4], b64(Int32Array, [-1, 0, 2 ** 31 - 1, -(2 ** 31)])), "/p", "i32");
  assert.ok(i.data instanceof Int32Array);
  assert.deepEqual(Array.from(i.data), [-1, 0, 2 ** 31 - 1, -(2 ** 31)]);
  const u = ndarray(bin("uint8", [3], b64(Uint8Array, [1, 0, 1])), "/p", "u8");
  assert.ok(u.data instanceof Uint8Array);
  assert.deepEqual(Array.from(u.data), [1, 0, 1]);
  // Explicit bytes, not produced by this machine: 1.0 as little-endian float64.
  assert.deepEqual(Array.from(ndarray(bin("float64", [1], "AAAAAAAA8D8="), "/p", "f64").data), [1]);
  assert.deepEqual(Array.from(ndarray(bin("int32", [1], "AQIDBA=="), "/p", "i32").data), [0x04030201]);
});

test("multi-dimensional binary arrays keep their C-order shape", () => {
  const a = ndarray(bin("float64", [2, 3], b64(Float64Array, [1, 2, 3, 4, 5, 6])), "/p", "f64", { maxDims: 2 });
  assert.deepEqual(a.shape, [2, 3]);
  assert.deepEqual(Array.from(a.data), [1, 2, 3, 4, 5, 6]);
});

test("non-finite values in float64 bytes are refused where the field must be finite", () => {
  assert.throws(() => ndarray(bin("float64", [2], b64(Float64Array, [1, NaN])), "/state/coef", "f64"),
    /^InvalidModelError: \/state\/coef\/base64 \(value 1\): expected a finite number, found the number NaN$/);
  const thr = ndarray(bin("float64", [2], b64(Float64Array, [Infinity, NaN])), "/t", "f64", { nonFinite: true });
  assert.deepEqual(Array.from(thr.data), [Infinity, NaN]);
});

test("binary array errors name the pointer", () => {
  const cases = [
    [bin("float32", [1], "AAAAAA=="), /\/p\/dtype: expected "float64", found the string "float32"$/],
    [bin("int32", [1], "AAAAAA=="), /\/p\/dtype: expected "float64", found the string "int32"$/],
    [bin("float64", [2], "AAAAAAAA8D8="), /\/p\/base64: expected 16 bytes for shape \[2\] of float64, found 8$/],
    [bin("float64", [1, 1], "AAAAAAAA8D8="), /\/p\/shape: expected an array of 1 size/],
    [bin("float64", [-1], ""), /\/p\/shape\/0: expected an integer/],
    [bin("float64", [1.5], ""), /\/p\/shape\/0: expected an integer/],
    [{ dtype: "float64", shape: [1] }, /\/p: missing key "base64"$/],
    [{ dtype: "float64", shape: [1], base46: "" }, /\/p\/base46: unknown key; did you mean "base64"\?$/],
    [{ dtype: "float64", shape: [1], base64: 1 }, /\/p\/base64: expected a string, found the number 1$/],
    [{ ...bin("float64", [1], "AAAAAAAA8D8="), extra: 1 }, /\/p\/extra: unexpected field/],
    [bin("float64", [2 ** 30, 2 ** 30], ""), /\/p\/shape|\/p\/base64: expected \d+ bytes/],
  ];
  for (const [v, re] of cases) assert.throws(() => ndarray(v, "/p", "f64"), re, JSON.stringify(v));
});

test("documents written with binary arrays predict like plain ones", () => {
  const plain = forestClassifier();
  const binary = forestClassifier();
  for (const e of binary.state.estimators) {
    const t = e.tree;
    const n = t.children_left.length;
    e.tree = {
      children_left: bin("int32", [n], b64(Int32Array, t.children_left)),
      children_right: bin("int32", [n], b64(Int32Array, t.children_right)),
      feature: bin("int32", [n], b64(Int32Array, t.feature)),
      threshold: bin("float64", [n], b64(Float64Array, t.threshold)),
      missing_go_to_left: bin("uint8", [n], b64(Uint8Array, t.missing_go_to_left)),
      value: bin("float64", [n, 1, 3], b64(Float64Array, t.value.flat(2))),
    };
  }
  const X = [[0, 0], [1, 0], [2, 0], [3, 0], [null, 0]];
  assert.deepEqual(loadModel(binary).predictProba(X), loadModel(plain).predictProba(X));
  const lin = linear(true);
  lin.state.coef = bin("float64", [2, 2], b64(Float64Array, lin.state.coef.flat()));
  lin.state.intercept = bin("float64", [2], b64(Float64Array, lin.state.intercept));
  assert.deepEqual(loadModel(lin).predict([[1, 2]]), loadModel(linear(true)).predict([[1, 2]]));
});

test("a binary value array must have the tree's 3-d shape", () => {
  const doc = treeClassifier();
  doc.state.tree.value = bin("float64", [3, 2], b64(Float64Array, [0.5, 0.5, 1, 0, 0, 1]));
  assert.throws(() => loadModel(doc), /^InvalidModelError: \/state\/tree\/value: expected shape \[3,1,2\], found \[3,2\]$/);
});
