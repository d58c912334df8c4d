// @ts-check
/**
 * Family `isolation`: IsolationForest.
 *
 * Tree `i` reads the input columns `features` (tree feature `f` is column `features[f]`; all
 * columns as they are when `max_features` is every feature) and walks as every tree does. Its
 * path length at a leaf is `(depth + c) - 1` (the root's depth is 1, `c` the leaf's
 * `average_path_length`): these are the leaf values the tree engine adds, in estimator order
 * from 0, as scikit-learn does. The score is `-(2 ** -(sum / (n_trees * c(max_samples))))`.
 * The engine's compiled trees read their columns of the whole row (their feature numbers are
 * mapped once, at load), so prediction is the forests' walk.
 * @module
 */
import { Scratch, checkShape, ndarray } from "../arrays.js";
import { at, expected } from "../errors.js";
import { finite, integer, isObject, need } from "../fields.js";
import { addLeafValues, readEnsemble, readTree, treeSet } from "../tree-engine.js";

/** @type {import("../family.js").Reader} */
const read = (state, params, ctx) => {
  const p0 = "/state/estimators";
  const list = need(state, "/state", "estimators");
  if (!Array.isArray(list) || list.length < 1) expected(p0, "a non-empty array of trees", list);
  const T = list.length;
  const count = need(params, "/params", "n_estimators");
  if (count !== T) expected("/params/n_estimators", `${T} (the number of trees in the state)`, count);
  const { nFeatures } = ctx;
  const maxFeatures = integer(need(state, "/state", "max_features"), "/state/max_features", 1, nFeatures);
  const offset = finite(need(state, "/state", "offset"), "/state/offset");
  const cp = "/state/average_path_length_max_samples";
  const c = finite(need(state, "/state", "average_path_length_max_samples"), cp);
  const rows = integer(need(state, "/state", "max_samples"), "/state/max_samples", 1, Number.MAX_SAFE_INTEGER);
  // numpy's c(max_samples), stored (Math.log may differ in the last bit): checked as Python does.
  const own = rows < 3 ? rows - 1 : 2 * (Math.log(rows - 1) + 0.5772156649015329) - (2 * (rows - 1)) / rows;
  if (c < 0 || !(Math.abs(c - own) <= 16 * Number.EPSILON * Math.max(1, own))) expected(cp, `${own}, the average path length of ${rows} rows`, c);

  const scratch = new Scratch();
  /** @type {Int32Array[]} */
  const features = [];
  /** @type {Float64Array[]} */
  const lengths = [];
  /** @type {{tree: unknown, pointer: string}[]} */
  const docs = [];
  list.forEach((e, i) => {
    const p = at(p0, i);
    if (!isObject(e)) expected(p, '{"features": ..., "average_path_length": ..., "tree": ...}', e);
    const pointer = at(p, "tree");
    const doc = need(e, p, "tree");
    const { left, right } = readTree(doc, pointer, maxFeatures, 1, null, scratch);
    const n = left.length;
    const fp = at(p, "features");
    const f = /** @type {Int32Array} */ (checkShape(ndarray(need(e, p, "features"), fp, "i32"), [maxFeatures], fp).data);
    f.forEach((x, k) => (x < 0 || x >= nFeatures) && expected(at(fp, k), `an integer in [0, ${nFeatures - 1}]`, x));
    const ap = at(p, "average_path_length");
    const avg = checkShape(ndarray(need(e, p, "average_path_length"), ap, "f64", { memory: scratch.memory("avg") }), [n], ap).data;
    // Depths from the root (1) down: a child's index is greater than its parent's (checked).
    const len = new Float64Array(n);
    len[0] = 1;
    for (let j = 0; j < n; j++) if (left[j] !== -1) len[left[j]] = len[right[j]] = len[j] + 1;
    for (let j = 0; j < n; j++) {
      if (avg[j] < 0) expected(at(ap, j), "a number not below 0", avg[j]);
      len[j] = len[j] + avg[j] - 1;
    }
    features.push(f);
    lengths.push(len);
    // The engine adds each leaf's `value`: here its path length, read when the engine reads it.
    docs.push({ tree: { ...doc, get value() { return Array.from(len, (v) => [[v]]); } }, pointer });
  });
  const e = readEnsemble(docs, maxFeatures, 1, null);
  if (maxFeatures !== nFeatures) {
    // Each tree's internal nodes are numbered in one run, in tree order: map their features
    // to input columns (4 * feature, as the engine keeps them).
    const { nodes } = e;
    for (let t = 0, node = 0; t < T; t++) {
      const f = features[t];
      const end = node + (lengths[t].length - 1) / 2; // (internal nodes of a binary tree)
      for (; node < end; node++) nodes[4 * node] = 4 * f[nodes[4 * node] >> 2];
    }
    const nodesOf = e.nodesOf;
    e.nodesOf = (t) => {
      const tree = nodesOf(t);
      return { ...tree, feature: tree.feature.map((x, j) => (tree.left[j] === -1 ? x : features[t][x])) };
    };
  }
  const denominator = T * c;

  /** @param {import("../rows.js").Input} X */
  const scoreSamples = (X) => {
    const sum = new Float64Array(X.n);
    addLeafValues(e, X, sum, 1, 1);
    // (scikit-learn's division leaves 1 where the denominator is 0: a tree of one row)
    return Array.from(sum, (s) => -(2 ** -(denominator !== 0 ? s / denominator : 1)));
  };
  /** @param {import("../rows.js").Input} X */
  const decisionFunction = (X) => scoreSamples(X).map((s) => s - offset);
  return {
    classes: null,
    nOutputs: 1,
    float32: true,
    allowMissing: true,
    predict: (X) => decisionFunction(X).map((d) => (d < 0 ? -1 : 1)),
    decisionFunction,
    scoreSamples,
    trees: treeSet(e, 1),
  };
};

/** Estimators of this family, by public import path. */
export const ESTIMATORS = {
  "sklearn.ensemble.IsolationForest": read,
};
