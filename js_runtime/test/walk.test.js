// The compiled tree walk (node records, float32 thresholds as integer keys, shared leaves,
// four interleaved walks, batches tree by tree and small calls four trees at a time) against a
// plain reference walk written from the format's description, bit for bit, on random trees.
import { test } from "node:test";
import assert from "node:assert/strict";
import { loadModel } from "../src/index.js";
import { float32Below } from "../src/tree-engine.js";
import { envelope } from "./fixtures.js";

/** Deterministic pseudo-random numbers in [0, 1) (mulberry32). */
function rng(seed) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

/** The float32 next to float32 `f` upwards (`up`) or downwards (f finite). */
function step32(f, up) {
  if (f === 0) return up ? 2 ** -149 : -(2 ** -149);
  const a = new Float32Array([f]);
  new Int32Array(a.buffer)[0] += (f > 0) === up ? 1 : -1;
  return a[0];
}

/** The float32 values next to float32 `f`, below and above. */
const neighbours = (f) => [step32(f, false), step32(f, true)];

/**
 * A random tree in scikit-learn's depth-first node order, over `m` features, with leaf values
 * drawn by `leaf()`. Thresholds are midpoints of two float32 values (as scikit-learn makes
 * them), sometimes "Infinity".
 */
function randomTree(random, m, depth, leaf) {
  const t = { children_left: [], children_right: [], feature: [], threshold: [], missing_go_to_left: [], value: [] };
  const grow = (d) => {
    const i = t.children_left.length;
    for (const k of Object.keys(t)) t[k].push(null);
    if (d >= depth || random() < 0.2) {
      t.children_left[i] = t.children_right[i] = -1;
      t.feature[i] = t.threshold[i] = -2;
      t.missing_go_to_left[i] = 0;
      t.value[i] = leaf();
      return i;
    }
    const a = Math.fround(random() * 4 - 2);
    t.feature[i] = Math.floor(random() * m);
    t.threshold[i] = random() < 0.05 ? "Infinity" : (a + Math.fround(a + random() * 0.01)) / 2;
    t.missing_go_to_left[i] = random() < 0.5 ? 1 : 0;
    t.value[i] = leaf();
    t.children_left[i] = grow(d + 1);
    t.children_right[i] = grow(d + 1);
    return i;
  };
  grow(0);
  return t;
}

/** Rows that hit thresholds exactly, their float32 neighbours, values between, and nulls. */
function randomRows(random, trees, m, n) {
  const cuts = trees.flatMap((t) => t.threshold.filter((x) => typeof x === "number" && x !== -2));
  return Array.from({ length: n }, () => Array.from({ length: m }, () => {
    const r = random();
    if (r < 0.1) return null;
    if (r < 0.2) return NaN;
    const c = cuts.length ? cuts[Math.floor(random() * cuts.length)] : 0.5;
    if (r < 0.4) return c; // float32(c) may be on either side of c
    if (r < 0.6) return neighbours(Math.fround(c))[random() < 0.5 ? 0 : 1];
    return random() * 4 - 2;
  }));
}

/** Reference: the nodes one row visits in one tree, root to leaf, as the format describes the walk. */
function referencePath(t, row) {
  const path = [0];
  for (let node = 0; t.children_left[node] !== -1; path.push(node)) {
    const x = row[t.feature[node]];
    const th = t.threshold[node] === "Infinity" ? Infinity : t.threshold[node];
    const left = x === null || Number.isNaN(x) ? t.missing_go_to_left[node] === 1 : Math.fround(x) <= th;
    node = left ? t.children_left[node] : t.children_right[node];
  }
  return path;
}

/** Reference: one tree's leaf value row for one row. */
const leafValue = (t, row) => t.value[referencePath(t, row).at(-1)];

/** Reference forest output per row: sum the trees' values in order from 0, then divide. */
function reference(trees, rows, average) {
  return rows.map((row) => {
    const acc = leafValue(trees[0], row).map((r) => r.map((v) => (average ? 0 + v : v)));
    for (let k = 1; k < trees.length; k++) {
      leafValue(trees[k], row).forEach((r, o) => r.forEach((v, c) => (acc[o][c] += v)));
    }
    return average ? acc.map((r) => r.map((v) => v / trees.length)) : acc;
  });
}

/** Assert equal numbers, bit for bit (Object.is: -0 is not 0). */
function sameBits(actual, expected, what) {
  assert.equal(actual.length, expected.length, what);
  actual.forEach((a, i) => {
    if (Array.isArray(a)) sameBits(a, expected[i], `${what}[${i}]`);
    else assert.ok(Object.is(a, expected[i]), `${what}[${i}]: ${a} !== ${expected[i]}`);
  });
}

test("float32Below(t) is the largest float32 <= t, so float32 x <= t exactly when x <= it", () => {
  const random = rng(1);
  const cases = [0, -0, 1, -1, 0.1, -0.1, 1e-45, -1e-45, 3.4028234663852886e38, 3.5e38, -3.5e38, 1e-320, Infinity, -Infinity];
  for (let k = 0; k < 2000; k++) cases.push((random() - 0.5) * 10 ** Math.floor(random() * 20 - 10));
  for (const t of cases) {
    const b = float32Below(t);
    assert.ok(b <= t && Math.fround(b) === b, `${t}`);
    if (Number.isFinite(b)) assert.ok(step32(b, true) > t, `${t}: the float32 above ${b} is <= t too`);
    const near = Number.isFinite(Math.fround(t)) ? [Math.fround(t), ...neighbours(Math.fround(t))] : [];
    for (const x of [b, ...near]) assert.equal(x <= t, x <= b, `x=${x} t=${t}`);
  }
});

test("forests, trees and batches of every size predict like the reference walk, bit for bit", () => {
  const random = rng(7);
  const m = 3;
  for (const [nTrees, classifier] of [[1, false], [1, true], [2, true], [3, false], [5, true], [9, false]]) {
    // Classifier leaves: often pure (shared by the compiled ensemble), else random fractions.
    const leaf = classifier
      ? () => [random() < 0.6 ? [[1, 0, 0], [0, 1, 0], [0, 0, 1]][Math.floor(random() * 3)] : [random(), random(), random()]]
      : () => [[random() < 0.1 ? -0 : random() < 0.1 ? 0 : random() * 100 - 50]];
    const trees = Array.from({ length: nTrees }, () => randomTree(random, m, 6, leaf));
    const state = { n_features_in: m, n_outputs: 1, max_features: m, ...(classifier ? { classes: [0, 1, 2] } : {}) };
    const doc = nTrees === 1
      ? envelope(`sklearn.tree.DecisionTree${classifier ? "Classifier" : "Regressor"}`, {}, { ...state, tree: trees[0] })
      : envelope(`sklearn.ensemble.RandomForest${classifier ? "Classifier" : "Regressor"}`, {}, { ...state, estimators: trees.map((tree) => ({ random_state: 0, tree })) });
    const model = loadModel(doc); // the object, so -0 leaf values stay -0
    for (const n of [0, 1, 2, 3, 4, 5, 7, 8, 13, 40]) {
      const rows = randomRows(random, trees, m, n);
      const expected = reference(trees, rows, nTrees > 1).map((r) => (classifier ? r[0] : r[0][0]));
      const got = classifier ? model.predictProba(rows) : model.predict(rows);
      sameBits(got, expected, `${nTrees} trees, ${n} rows`);
      rows.forEach((row, i) => sameBits(classifier ? model.predictProba([row]) : model.predict([row]), [expected[i]], `row ${i} alone`));
    }
  }
});

test("boosting adds rate * leaf value to the stored raw prediction, stage by stage, per class", () => {
  const random = rng(3);
  const m = 2;
  const K = 3;
  const stages = Array.from({ length: 6 }, () => Array.from({ length: K }, () => randomTree(random, m, 4, () => [[random() * 2 - 1]])));
  const init = [0.1, -0.2, 0.3];
  const doc = envelope("sklearn.ensemble.GradientBoostingClassifier", { learning_rate: 0.3, loss: "log_loss" }, {
    n_features_in: m, classes: ["a", "b", "c"], n_trees_per_iteration: K, n_estimators: stages.length, max_features: m,
    init_raw_prediction: init, estimators: stages.map((s) => s.map((tree) => ({ tree }))),
  });
  const model = loadModel(doc);
  // Missing values are refused for boosting, so rows without them.
  const rows = randomRows(random, stages.flat(), m, 30).map((r) => r.map((x) => (x === null || Number.isNaN(x) ? 0.5 : x)));
  const expected = rows.map((row) => {
    const raw = [...init];
    for (const s of stages) s.forEach((t, k) => (raw[k] += 0.3 * leafValue(t, row)[0][0]));
    return raw;
  });
  sameBits(model.decisionFunction(rows), expected, "batch");
  sameBits(rows.map((row) => model.decisionFunction([row])[0]), expected, "one row at a time");
});

test("model.trees: the document's trees as written, and each row's path the reference walk's", () => {
  const random = rng(11);
  const m = 3;
  // Pure leaves are often one leaf of the compiled ensemble, both children of a node at times.
  const trees = Array.from({ length: 5 }, () => randomTree(random, m, 6, () => [random() < 0.5 ? [1, 0] : [random(), random()]]));
  const doc = envelope("sklearn.ensemble.RandomForestClassifier", {}, {
    n_features_in: m, n_outputs: 1, max_features: m, classes: [0, 1], estimators: trees.map((tree) => ({ random_state: 0, tree })),
  });
  const model = loadModel(doc);
  assert.equal(model.family, "forest");
  assert.equal(model.trees.count, 5);
  assert.equal(model.trees.perIteration, 1);
  assert.equal(model.trees.nodeCount, trees.reduce((a, t) => a + t.children_left.length, 0));
  trees.forEach((t, i) => {
    const got = model.trees.tree(i);
    assert.deepEqual(Array.from(got.left), t.children_left);
    assert.deepEqual(Array.from(got.right), t.children_right);
    assert.deepEqual(Array.from(got.feature), t.feature);
    assert.deepEqual(Array.from(got.threshold), t.threshold.map(Number));
    assert.deepEqual(Array.from(got.missingLeft), t.missing_go_to_left);
    assert.deepEqual(Array.from(got.value), t.value.flat(2));
    assert.equal(got.samples, null);
    for (const row of randomRows(random, trees, m, 40)) assert.deepEqual(model.trees.decisionPath(row, i), referencePath(t, row), `tree ${i}`);
  });
});

test("model.trees of boosting: stage by stage, one tree per class", () => {
  const random = rng(5);
  const m = 2;
  const K = 3;
  const stages = Array.from({ length: 4 }, () => Array.from({ length: K }, () => randomTree(random, m, 4, () => [[random() * 2 - 1]])));
  const model = loadModel(envelope("sklearn.ensemble.GradientBoostingClassifier", { learning_rate: 0.1, loss: "log_loss" }, {
    n_features_in: m, classes: ["a", "b", "c"], n_trees_per_iteration: K, n_estimators: stages.length, max_features: m,
    init_raw_prediction: [0, 0, 0], estimators: stages.map((s) => s.map((tree) => ({ tree }))),
  }));
  assert.equal(model.family, "boosting");
  assert.equal(model.trees.count, stages.length * K);
  assert.equal(model.trees.perIteration, K);
  const rows = randomRows(random, stages.flat(), m, 20).map((r) => r.map((x) => (x === null || Number.isNaN(x) ? 0.5 : x)));
  stages.flat().forEach((t, i) => {
    assert.deepEqual(Array.from(model.trees.tree(i).left), t.children_left, `tree ${i}`);
    for (const row of rows) assert.deepEqual(model.trees.decisionPath(row, i), referencePath(t, row), `tree ${i}`);
  });
  // A path is refused for a row that prediction refuses: boosting takes no missing value.
  assert.throws(() => model.trees.decisionPath([null, 0], 0), /^TypeError: X row 0, feature 0: expected a number/);
});

test("model.trees of hgb: float64 thresholds, NaN by missing_go_to_left, categories as sets", () => {
  // Feature 0: categorical ("a", "b", "c"); feature 1 numeric. Tree for class k of iteration i.
  // Node 0 splits on feature 0 ({"a", "c"} left, unknown: missing way = right); node 2 on
  // feature 1 at a float64 threshold that float32 would round (NaN goes left).
  const t = 0.1 + 2 ** -40;
  const tree = (v) => ({
    children_left: [1, -1, 3, -1, -1],
    children_right: [2, -1, 4, -1, -1],
    feature: [0, 0, 1, 0, 0],
    threshold: [0, 0, t, 0, 0],
    missing_go_to_left: [0, 0, 1, 0, 0],
    value: [0, v, 0, -v, 2 * v],
    is_categorical: [1, 0, 0, 0, 0],
    bitset_index: [0, -1, -1, -1, -1],
    left_categories: [["c", "a"]],
    count: [30, 10, 20, 5, 15],
  });
  const K = 3;
  const model = loadModel(envelope("sklearn.ensemble.HistGradientBoostingClassifier", { loss: "log_loss" }, {
    n_features_in: 2, classes: ["x", "y", "z"], n_trees_per_iteration: K, n_iter: 2, baseline_prediction: [0, 0, 0],
    do_early_stopping: false, categorical_features: [0], categories: [["a", "b", "c"]], categories_dtype: ["O"],
    categories_missing: [false], predictors: [0, 1].map((i) => [0, 1, 2].map((k) => tree(i * K + k + 1))), train_score: [], validation_score: [],
  }));
  const trees = model.trees;
  assert.equal(trees.count, 6);
  assert.equal(trees.perIteration, K);
  assert.equal(trees.nodeCount, 30);
  const t4 = trees.tree(4); // iteration 1, class 1: leaf values 5, -5, 10
  assert.deepEqual(Array.from(t4.left), [1, -1, 3, -1, -1]);
  assert.deepEqual(Array.from(t4.value), [0, 5, 0, -5, 10]);
  assert.deepEqual(Array.from(t4.samples), [30, 10, 20, 5, 15]);
  assert.equal(t4.threshold[2], t);
  assert.deepEqual(t4.categories(0), ["c", "a"]);
  assert.equal(t4.categories(2), null);
  assert.equal(t4.categories(1), null);
  const cases = [
    [["a", 5], [0, 1]],
    [["c", null], [0, 1]],
    [["b", 0.1], [0, 2, 3]], // 0.1 < t in float64 (float32(0.1) > t)
    [["b", t], [0, 2, 3]],
    [["b", 0.2], [0, 2, 4]],
    [["b", null], [0, 2, 3]], // NaN: missing_go_to_left
    [["zz", 1], [0, 2, 4]], // an unseen category goes the missing way (right)
    [[null, 0], [0, 2, 3]],
  ];
  for (const [row, path] of cases) {
    for (let i = 0; i < trees.count; i++) assert.deepEqual(trees.decisionPath(row, i), path, JSON.stringify(row));
    // The prediction adds the leaves the paths end at.
    const leaf = path[path.length - 1];
    const raw = [0, 1, 2].map((k) => [0, 1].reduce((s, i) => s + trees.tree(i * K + k).value[leaf], 0));
    assert.deepEqual(model.decisionFunction([row])[0], raw, JSON.stringify(row));
  }
  assert.throws(() => trees.tree(6), RangeError);
  assert.throws(() => trees.decisionPath(["b", "x"], 0), /expected a number/); // as predict does
  assert.deepEqual(model.inputCategories, [["a", "b", "c"], null]);
});
