// @ts-check
/**
 * Family `tree`: DecisionTree{Classifier,Regressor}, ExtraTree{Classifier,Regressor}.
 *
 * Also home of what every tree-based family shares: reading and checking one tree's node
 * columns, walking it, and averaging tree outputs (a single tree is a forest of one that
 * is not divided).
 * @module
 */
import { argmax, at, checkShape, expected, fail, integer, labels, ndarray, own, rowsOf } from "../common.js";

/**
 * @typedef {object} Tree
 * @property {Int32Array} left children_left, -1 at a leaf
 * @property {Int32Array} right children_right
 * @property {Int32Array} feature
 * @property {Float64Array} threshold
 * @property {Uint8Array} missingLeft 1 where a missing value goes left
 * @property {Float64Array} value (node_count, n_outputs, width) in C order
 * @property {number} stride values per node (n_outputs * width)
 * @property {number} width last dimension of value (max_n_classes, 1 for regression)
 */

/**
 * Read and check one tree's node columns at `pointer`, with the Python reader's rules.
 *
 * Checks: equal column lengths; children either both -1 (leaf) or both greater than the
 * node's own index and in range (so the walk always ends), every node but the root the child
 * of exactly one node (none shared, none unreachable); a feature in [0, nFeatures) and a
 * threshold that is not NaN at internal nodes; `value` of shape (node_count, nOutputs,
 * max(classCounts)), and for classifiers no negative class weight and zeros in the padding
 * past an output's own classes (else argmax could pick a class that does not exist).
 *
 * @param {unknown} t the tree object
 * @param {string} pointer
 * @param {number} nFeatures
 * @param {number} nOutputs
 * @param {number[] | null} classCounts number of classes per output (classifiers), or null
 * @returns {Tree}
 */
export function readTree(t, pointer, nFeatures, nOutputs, classCounts) {
  if (typeof t !== "object" || t === null || Array.isArray(t)) expected(pointer, "a tree object", t);
  const tree = /** @type {Record<string, unknown>} */ (t);
  const col = (/** @type {string} */ name, /** @type {import("../common.js").Kind} */ kind, nonFinite = false) => {
    const a = ndarray(own(tree, name), at(pointer, name), kind, { nonFinite });
    return a.data;
  };
  const left = /** @type {Int32Array} */ (col("children_left", "i32"));
  const n = left.length;
  if (n < 1) fail(at(pointer, "children_left"), "expected at least one node");
  const right = /** @type {Int32Array} */ (col("children_right", "i32"));
  const feature = /** @type {Int32Array} */ (col("feature", "i32"));
  const threshold = /** @type {Float64Array} */ (col("threshold", "f64", true));
  const missingLeft = /** @type {Uint8Array} */ (col("missing_go_to_left", "u8"));
  for (const [name, c] of /** @type {const} */ ([["children_right", right], ["feature", feature], ["threshold", threshold], ["missing_go_to_left", missingLeft]])) {
    if (c.length !== n) fail(at(pointer, name), `expected ${n} nodes like children_left, got ${c.length}`);
  }
  const nodeCount = own(tree, "node_count");
  if (nodeCount !== undefined && nodeCount !== n) expected(at(pointer, "node_count"), `${n} (the length of the node columns)`, nodeCount);

  const vp = at(pointer, "value");
  const v = ndarray(own(tree, "value"), vp, "f64", { maxDims: 3 });
  const width = classCounts ? Math.max(...classCounts) : 1;
  checkShape(v, [n, nOutputs, width], vp);
  const value = /** @type {Float64Array} */ (v.data);
  if (classCounts) {
    for (let i = 0, at3 = 0; i < n; i++) {
      for (let k = 0; k < nOutputs; k++) {
        for (let c = 0; c < width; c++, at3++) {
          const x = value[at3];
          if (x < 0 || (x !== 0 && c >= classCounts[k])) {
            fail(at(at(at(vp, i), k), c), `expected a non-negative class weight, and 0 past the output's classes, got ${x}`);
          }
        }
      }
    }
  }
  // Pointers are built only on failure: this loop runs once per node of every tree.
  const bad = (/** @type {string} */ name, /** @type {number} */ i, /** @type {string} */ msg) => fail(at(at(pointer, name), i), msg);
  const parent = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const l = left[i];
    const r = right[i];
    if (l === -1 && r === -1) continue;
    if (l === -1) bad("children_right", i, `expected -1 like children_left (a leaf), got ${r}`);
    if (l <= i || l >= n) bad("children_left", i, `expected -1 (leaf) or a node index in (${i}, ${n}), got ${l}`);
    if (r <= i || r >= n) bad("children_right", i, `expected a node index in (${i}, ${n}), got ${r}`);
    if (parent[l]++) bad("children_left", i, `node ${l} is already the child of another node`);
    if (parent[r]++) bad("children_right", i, `node ${r} is already the child of another node`);
    const f = feature[i];
    if (f < 0 || f >= nFeatures) bad("feature", i, `expected an integer in [0, ${nFeatures - 1}], got ${f}`);
    if (threshold[i] !== threshold[i]) bad("threshold", i, "expected a number (NaN is no threshold)");
  }
  const unreached = parent.indexOf(0, 1);
  if (unreached > 0) fail(at(pointer, "children_left"), `node ${unreached} is not reachable from node 0`);
  return { left, right, feature, threshold, missingLeft, value, stride: nOutputs * width, width };
}

/**
 * The leaf reached by each row (scikit-learn's `tree_.apply`): iterative walk from node 0,
 * left when `float32(x) <= threshold` (the rows are stored as float32 already), a missing
 * value (NaN) by `missing_go_to_left`.
 * @param {Tree} tree
 * @param {import("../common.js").Input} X
 * @returns {Int32Array}
 */
export function applyTree(tree, X) {
  const { left, right, feature, threshold, missingLeft } = tree;
  const { data, n, m } = X;
  const leaves = new Int32Array(n);
  for (let i = 0, base = 0; i < n; i++, base += m) {
    let node = 0;
    while (left[node] !== -1) {
      const x = data[base + feature[node]];
      node = x <= threshold[node] || (x !== x && missingLeft[node]) ? left[node] : right[node];
    }
    leaves[i] = node;
  }
  return leaves;
}

/**
 * Class labels per output: `state.classes` is one list of labels for one output, a list of
 * such lists for several.
 * @param {Record<string, unknown>} state
 * @param {number} nOutputs
 * @returns {import("../common.js").Label[][]}
 */
export function classesPerOutput(state, nOutputs) {
  const v = own(state, "classes");
  if (nOutputs === 1) return [labels(v, "/state/classes")];
  if (!Array.isArray(v) || v.length !== nOutputs) expected("/state/classes", `an array of ${nOutputs} label lists (one per output)`, v);
  return v.map((c, k) => labels(c, at("/state/classes", k)));
}

/**
 * Build the prediction parts of a tree (`average` false, one tree) or a forest (`average`
 * true): scikit-learn adds each tree's leaf values in estimator order into a float64 array of
 * zeros and then divides by the number of trees; a single tree returns its leaf values as is.
 *
 * @param {Record<string, unknown>} state
 * @param {import("../common.js").Context} ctx
 * @param {boolean} classifier
 * @param {{tree: unknown, pointer: string}[]} treeDocs
 * @param {boolean} average
 * @returns {import("../common.js").Parts}
 */
export function treeEnsemble(state, ctx, classifier, treeDocs, average) {
  const nOutputs = integer(own(state, "n_outputs"), "/state/n_outputs", 1);
  const classes = classifier ? classesPerOutput(state, nOutputs) : null;
  const widths = classes ? classes.map((c) => c.length) : new Array(nOutputs).fill(1);
  const trees = treeDocs.map((d) => readTree(d.tree, d.pointer, ctx.nFeatures, nOutputs, classes && widths));
  // Accumulator layout per row: output k's widths[k] columns start at offsets[k].
  const offsets = widths.map((_, k) => widths.slice(0, k).reduce((a, b) => a + b, 0));
  const total = widths.reduce((a, b) => a + b, 0);

  /** @param {import("../common.js").Input} X */
  const raw = (X) => {
    const acc = new Float64Array(X.n * total);
    for (const tree of trees) {
      const leaves = applyTree(tree, X);
      const { value, stride, width } = tree;
      for (let i = 0; i < X.n; i++) {
        for (let k = 0; k < nOutputs; k++) {
          const src = leaves[i] * stride + k * width;
          const dst = i * total + offsets[k];
          for (let c = 0; c < widths[k]; c++) {
            if (average) acc[dst + c] += value[src + c];
            else acc[dst + c] = value[src + c];
          }
        }
      }
    }
    if (average) for (let j = 0; j < acc.length; j++) acc[j] /= trees.length;
    return acc;
  };

  const common = { nOutputs, float32: true, allowMissing: true };
  if (!classes) {
    return {
      ...common,
      classes: null,
      predict: (X) => (nOutputs === 1 ? Array.from(raw(X)) : rowsOf(raw(X), X.n, nOutputs)),
    };
  }
  return {
    ...common,
    classes: nOutputs === 1 ? classes[0] : classes,
    predict(X) {
      const acc = raw(X);
      const out = new Array(X.n);
      for (let i = 0; i < X.n; i++) {
        const row = classes.map((c, k) => c[argmax(acc, i * total + offsets[k], widths[k])]);
        out[i] = nOutputs === 1 ? row[0] : row;
      }
      return out;
    },
    predictProba(X) {
      const acc = raw(X);
      const per = widths.map((w, k) => rowsOf(acc, X.n, w, total, offsets[k]));
      return nOutputs === 1 ? per[0] : per;
    },
  };
}

/** @type {import("../common.js").Reader} */
const read = (state, _params, ctx) =>
  treeEnsemble(state, ctx, ctx.estimator.endsWith("Classifier"), [{ tree: own(state, "tree"), pointer: "/state/tree" }], false);

/** Estimators of this family, by public import path. */
export const ESTIMATORS = {
  "sklearn.tree.DecisionTreeClassifier": read,
  "sklearn.tree.DecisionTreeRegressor": read,
  "sklearn.tree.ExtraTreeClassifier": read,
  "sklearn.tree.ExtraTreeRegressor": read,
};
