// The tree routing rule: left when float32(x) <= threshold (scikit-learn casts X to float32),
// missing values by missing_go_to_left.
import { test } from "node:test";
import assert from "node:assert/strict";
import { loadModel } from "../src/index.js";
import { stump, treeRegressor, treeClassifier } from "./fixtures.js";

// Thresholds as scikit-learn makes them: float64 midpoints of two float32 feature values.
function threshold(pred) {
  for (let k = 1; k < 1000; k++) {
    const t = (Math.fround(k / 7) + Math.fround(k / 7 + 0.37)) / 2;
    if (pred(t)) return t;
  }
  throw new Error("no such threshold");
}
// float32(t) is above t, and so is float32 of a value halfway below t
const up = threshold((t) => Math.fround(t) > t && Math.fround(t - (Math.fround(t) - t) / 2) > t);
// float32(t) is below t, and so is float32 of a value halfway above t
const down = threshold((t) => Math.fround(t) < t && Math.fround(t + (t - Math.fround(t)) / 2) < t);
const router = (t) => {
  const m = loadModel(treeRegressor(t));
  return (x) => (m.predict([[x, 0]])[0] === -1 ? "left" : "right");
};
const model = loadModel(treeRegressor(0.5));
const route = router(0.5);

test("a value exactly at the threshold goes by its float32 value", () => {
  // A float64 comparison would send x = t left in both cases.
  assert.equal(router(up)(up), "right");
  assert.equal(router(down)(down), "left");
});

test("values between float32(threshold) and threshold follow float32", () => {
  const x = up - (Math.fround(up) - up) / 2; // x < t, but float32(x) > t
  assert.ok(x < up && Math.fround(x) > up);
  assert.equal(router(up)(x), "right");
  const y = down + (down - Math.fround(down)) / 2; // y > t, but float32(y) < t
  assert.ok(y > down && Math.fround(y) < down);
  assert.equal(router(down)(y), "left");
});

test("float32 rounding of values far from the threshold", () => {
  assert.equal(route(-1e30), "left");
  assert.equal(route(1e30), "right");
  assert.equal(route(0), "left");
});

test("missing values (null, NaN) follow missing_go_to_left", () => {
  const left = loadModel(treeClassifier(stump(0.5, undefined, 1)));
  const right = loadModel(treeClassifier(stump(0.5, undefined, 0)));
  assert.deepEqual(left.predict([[null, 0], [NaN, 0]]), ["a", "a"]);
  assert.deepEqual(right.predict([[null, 0], [NaN, 0]]), ["b", "b"]);
});

test('an "Infinity" threshold sends every value left and missing values by the flag', () => {
  const m = loadModel(treeClassifier(stump("Infinity", undefined, 0)));
  assert.deepEqual(m.predict([[1e38, 0], [-5, 1], [null, 1]]), ["a", "a", "b"]);
});

test("values outside float32 range are refused, as numpy's float32 cast makes them infinite", () => {
  assert.throws(() => model.predict([[1e39, 0]]), /^TypeError: X row 0, feature 0: expected a number within float32 range \(tree models compare float32\), found the number 1e\+39$/);
  assert.throws(() => model.predict([[Infinity, 0]]), /^TypeError: X row 0, feature 0: expected a finite number, found the number Infinity$/);
});

test("deep trees are walked iteratively", () => {
  // A chain of 50,000 internal nodes (node 2i tests x0 <= i; its left child 2i+1 is a leaf of
  // value i, its right child 2i+2 the next test): recursion would overflow the stack.
  const n = 50_000;
  const tree = { children_left: [], children_right: [], feature: [], threshold: [], missing_go_to_left: [], value: [] };
  const push = (l, r, f, t, v) => {
    tree.children_left.push(l);
    tree.children_right.push(r);
    tree.feature.push(f);
    tree.threshold.push(t);
    tree.missing_go_to_left.push(0);
    tree.value.push([[v]]);
  };
  for (let i = 0; i < n; i++) {
    push(2 * i + 1, 2 * i + 2, 0, i, 0);
    push(-1, -1, -2, -2, i);
  }
  push(-1, -1, -2, -2, n);
  const doc = treeRegressor();
  doc.state.tree = tree;
  const deep = loadModel(doc);
  assert.deepEqual(deep.predict([[0.5, 0], [n - 1.5, 0], [1e9, 0]]), [1, n - 1, n]);
});
