// @ts-check
/**
 * Family `hgb`: HistGradientBoosting{Classifier,Regressor}.
 *
 * Raw prediction: start from `state.baseline_prediction` (K values), then iteration by
 * iteration, k = 0 .. K-1, `raw[k] += value[leaf]` of `predictors[i][k]`, as scikit-learn's
 * `_predict_iterations` does. The walk compares float64 `x <= threshold` (no float32 cast); a
 * missing value follows `missing_go_to_left`; a categorical split sends left the raw
 * categories of `left_categories[bitset_index]`, right the feature's other known categories,
 * and anything else (unseen, negative, NaN) the missing way. Links: identity; `exp` (poisson,
 * gamma); binary `expit`, label `classes[raw > 0]`; multiclass softmax, label argmax of raw.
 * `trees` (`model.trees`) gives the trees iteration by iteration, K per iteration, with each
 * categorical split's left categories, and paths walked by the very walk prediction takes;
 * `inputCategories` the categorical features' known categories (the page offers them).
 * @module
 */
import { ndarray } from "../arrays.js";
import { at, expected, fail } from "../errors.js";
import { isObject, need, own, string } from "../fields.js";
import { rowsOf } from "../rows.js";
import { param } from "../params.js";
import { labels } from "../text.js";
import { boostedClassifier, iterations, readTree } from "../tree-engine.js";

const EXP = ["poisson", "gamma"];
const REGRESSION_LOSSES = ["squared_error", "absolute_error", "quantile", ...EXP];

/**
 * Read and check one tree; its categorical splits as sets of raw categories.
 * @param {unknown} t
 * @param {string} p
 * @param {number} m
 * @param {Map<number, Map<unknown, number>>} known categorical features: their categories
 */
function readHgbTree(t, p, m, known) {
  if (!isObject(t)) return expected(p, "a tree object", t);
  const value = /** @type {Float64Array} */ (ndarray(need(t, p, "value"), at(p, "value"), "f64").data);
  const tree = readTree({ ...t, value: Array.from(value, (v) => [[v]]) }, p, m, 1, null);
  const n = tree.left.length;
  const col = (/** @type {string} */ name, /** @type {"u8" | "i32"} */ kind) => {
    const c = ndarray(need(t, p, name), at(p, name), kind).data;
    if (c.length !== n) fail(at(p, name), `expected ${n} nodes like children_left, found ${c.length}`);
    return c;
  };
  const isCat = col("is_categorical", "u8");
  const index = col("bitset_index", "i32");
  const lp = at(p, "left_categories");
  const lists = need(t, p, "left_categories");
  if (!Array.isArray(lists)) return expected(lp, "an array of category lists", lists);
  /** @type {(Set<unknown> | null)[]} */
  const sets = lists.map(() => null);
  /** @type {(Set<unknown> | null)[]} */
  const split = new Array(n).fill(null);
  for (let i = 0; i < n; i++) {
    const c = isCat[i] === 1;
    if (tree.left[i] === -1) {
      if (c) expected(at(at(p, "is_categorical"), i), "0 at a leaf", 1);
      continue;
    }
    const f = tree.feature[i];
    const kn = known.get(f);
    if (c !== !!kn) fail(at(at(p, "is_categorical"), i), `${c ? "a categorical" : "a numeric"} split on feature ${f}, which is ${c ? "not categorical" : "categorical: expected 1"}`);
    if (!kn) continue;
    const b = index[i];
    if (!(b >= 0 && b < lists.length) || sets[b]) expected(at(at(p, "bitset_index"), i), `an unused index into left_categories, in [0, ${lists.length})`, b);
    const bp = at(lp, b);
    const vals = lists[b];
    if (!Array.isArray(vals)) expected(bp, "an array of categories", vals);
    if (vals.length > kn.size) fail(bp, `expected at most ${kn.size} categories (those of feature ${f})`);
    vals.forEach((v, j) => kn.has(v) || fail(at(bp, j), `expected a known category of feature ${f}`));
    split[i] = sets[b] = new Set(vals);
  }
  if (sets.includes(null)) fail(at(p, "bitset_index"), "expected each entry of left_categories used by exactly one split");
  const samples = own(t, "count") === undefined ? null : /** @type {Int32Array} */ (col("count", "i32"));
  const categories = (/** @type {number} */ i) => (split[i] ? /** @type {(string | number)[]} */ ([...split[i]]) : null);
  return { split, nodes: Object.freeze({ ...tree, value, samples, categories }) };
}

/** As Python's reader: HistGradientBoosting bins dense data, far below this many columns. */
const MAX_FEATURES = 2 ** 20;

/** @type {import("../family.js").Reader} */
const read = (state, params, ctx) => {
  const m = ctx.nFeatures;
  if (m > MAX_FEATURES) fail("/state/n_features_in", `expected at most ${MAX_FEATURES}`);
  const classifier = ctx.estimator.endsWith("Classifier");
  const loss = string(need(params, "/params", "loss"), "/params/loss");
  const classes = classifier ? labels(need(state, "/state", "classes"), "/state/classes") : null;
  if (classes && classes.length < 2) fail("/state/classes", "expected at least 2 classes");
  const losses = classes ? ["log_loss"] : REGRESSION_LOSSES;
  if (!losses.includes(loss)) expected("/params/loss", `one of ${losses.join(", ")}`, loss);
  const K = classes && classes.length > 2 ? classes.length : 1;
  const nt = need(state, "/state", "n_trees_per_iteration");
  if (nt !== K) expected("/state/n_trees_per_iteration", `${K}`, nt);
  const base = ndarray(need(state, "/state", "baseline_prediction"), "/state/baseline_prediction", "f64").data;
  if (base.length !== K) fail("/state/baseline_prediction", `expected ${K} values, found ${base.length}`);

  /** @type {Map<number, Map<unknown, number>>} */
  const known = new Map();
  let mixed = false;
  const cf = own(state, "categorical_features");
  if (cf !== undefined) {
    const features = ndarray(cf, "/state/categorical_features", "i32").data;
    const cats = need(state, "/state", "categories");
    if (!Array.isArray(cats) || cats.length !== features.length) expected("/state/categories", `an array of ${features.length} entries`, cats);
    const maxBins = param(params, "max_bins", 255);
    for (const key of ["categories_dtype", "categories_missing"]) {
      const v = need(state, "/state", key);
      if (!Array.isArray(v) || v.length !== features.length) fail(at("/state", key), `expected ${features.length} entries`);
    }
    features.forEach((j, i) => {
      if (!(j >= 0 && j < m) || (i && j <= features[i - 1])) expected(at("/state/categorical_features", i), `increasing feature indices in [0, ${m - 1}]`, j);
      const p = at("/state/categories", i);
      const dtype = /** @type {unknown[]} */ (state.categories_dtype)[i];
      // (true and false: rows of JSON numbers cannot give them as scikit-learn compares them)
      if (dtype === "|b1") fail(at("/state/categories_dtype", i), "expected categories of numbers or strings: boolean categories are not supported here");
      const values = labels(cats[i], p);
      if (typeof maxBins === "number" && values.length > maxBins) fail(p, `expected at most ${maxBins}`);
      values.forEach((v, k) => k && !(values[k - 1] < v) && fail(at(p, k), "expected the categories sorted as scikit-learn's OrdinalEncoder sorts them"));
      mixed ||= typeof values[0] === "string";
      known.set(j, new Map(values.map((v, k) => [v, k])));
    });
  }

  const trees = iterations(state, "predictors", "n_iter", K, "iterations", (t, p) => readHgbTree(t, p, m, known));

  // (the columns a walk reads, in objects of one shape: the frozen public ones are slower to read)
  const walks = trees.map(({ split, nodes: n }) => ({ left: n.left, right: n.right, feature: n.feature, threshold: n.threshold, missingLeft: n.missingLeft, value: n.value, split }));
  /**
   * The leaf of tree `t` that row `r` of `X` reaches, each node visited pushed to `path`.
   * @param {import("../rows.js").Input} X
   * @param {number} r
   * @param {number} t
   * @param {number[]} [path]
   */
  const leaf = (X, r, t, path) => {
    const { left, right, feature, threshold, missingLeft, value, split } = walks[t];
    const data = X.data;
    const off = r * m;
    let node = 0;
    while (left[node] !== -1) {
      const x = data[off + feature[node]];
      const set = split[node];
      const goLeft = set === null
        ? (x <= threshold[node] || (x !== x && missingLeft[node] === 1))
        : known.get(feature[node])?.has(x) ? set.has(x) : missingLeft[node] === 1;
      node = goLeft ? left[node] : right[node];
      if (path) path.push(node);
    }
    return value[node];
  };
  /**
   * The rows as the trees compare them: a string only in a categorical column.
   * @param {import("../rows.js").Input} X
   */
  const check = (X) => {
    if (!mixed) return X; // (rows of numbers only)
    for (let k = 0; k < X.data.length; k++) {
      const f = k % m;
      if (typeof X.data[k] === "string" && !known.has(f)) throw new TypeError(`X row ${(k - f) / m}: expected a number for feature ${f}, found ${JSON.stringify(X.data[k])}`);
    }
    return X;
  };
  /** @param {import("../rows.js").Input} X */
  const raw = (X) => {
    check(X);
    const out = new Float64Array(X.n * K);
    for (let r = 0; r < X.n; r++) {
      for (let k = 0; k < K; k++) out[r * K + k] = 0 + base[k]; // (numpy's zeros + baseline: -0 is 0)
      for (let t = 0; t < trees.length; t++) out[r * K + (t % K)] += leaf(X, r, t);
    }
    return out;
  };
  /** @param {number} i */
  const tree = (i = 0) => {
    if (!trees[i]) throw new RangeError(`tree ${i}: expected an index in [0, ${trees.length - 1}]`);
    return trees[i].nodes;
  };
  /** @type {import("../tree-engine.js").TreeSet} */
  const treeSet = {
    count: trees.length,
    perIteration: K,
    nodeCount: trees.reduce((s, t) => s + t.nodes.left.length, 0),
    tree,
    decisionPath(X, i = 0) {
      const path = [0];
      tree(i);
      leaf(check(X), 0, i, path);
      return path;
    },
  };
  /** @param {import("../rows.js").Input} X */
  const decision = (X) => (K === 1 ? Array.from(raw(X)) : rowsOf(raw(X), X.n, K));
  const common = {
    nOutputs: 1,
    float32: false,
    allowMissing: true,
    mixed,
    trees: treeSet,
    inputCategories: Array.from({ length: m }, (_, j) => { const c = known.get(j); return c ? /** @type {(string | number)[]} */ ([...c.keys()]) : null; }),
  };
  if (!classes) {
    const exp = EXP.includes(loss);
    return { ...common, classes: null, predict: (X) => Array.from(raw(X), (v) => (exp ? Math.exp(v) : v)) };
  }
  // (scikit-learn 1.5+: `raw > 0` for two classes; 1.4 took the argmax of the probabilities)
  return { ...common, classes, decisionFunction: decision, ...boostedClassifier(classes, K, raw, false) };
};

/** Estimators of this family, by public import path. */
export const ESTIMATORS = {
  "sklearn.ensemble.HistGradientBoostingClassifier": read,
  "sklearn.ensemble.HistGradientBoostingRegressor": read,
};
