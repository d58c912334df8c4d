// @ts-check
/**
 * Family `logistic`: LogisticRegression, LogisticRegressionCV; and what every linear
 * classifier shares (family `linear_classifier` reads its documents with {@link classifier}).
 *
 * Two classes: one decision value d per row, label `classes[d > 0 ? 1 : 0]`. More classes:
 * one decision value per class, first argmax. Probabilities as `state.multi_class` says (what
 * the writer's scikit-learn did): "ovr", `expit` of each divided by numpy's sum of them
 * (`[1 - expit(d), expit(d)]` for two classes; a row of zeros becomes uniform, as from 1.9);
 * "multinomial", scikit-learn's softmax (of `[-d, d]` for two classes). Absent: "ovr" for two
 * classes, "multinomial" for more.
 * @module
 */
import { expected, fail } from "../errors.js";
import { need, own } from "../fields.js";
import { argmax, expit, npSum, softmaxInPlace } from "../math.js";
import { rowsOf } from "../rows.js";
import { labels } from "../text.js";
import { readLinear, scores } from "./linear.js";

/**
 * Probabilities from decision values `d` (row-major, n rows of K; K = 1 for two classes),
 * computed in place where they can be.
 * @typedef {(d: Float64Array, n: number, K: number) => number[][]} Proba
 */

/**
 * Each row of `d` (n rows of K > 1 values) divided by numpy's sum of it, a row summing to 0
 * uniform (scikit-learn's one-vs-rest normalisation); two classes: `[1 - p, p]`.
 * @param {Float64Array} d
 * @param {number} n
 * @param {number} K
 */
export function normalised(d, n, K) {
  if (K === 1) return Array.from(d, (p) => [1 - p, p]);
  for (let off = 0; off < n * K; off += K) {
    const sum = npSum(d, off, K);
    for (let j = 0; j < K; j++) d[off + j] = sum === 0 ? 1 / K : d[off + j] / sum;
  }
  return rowsOf(d, n, K);
}

/** @type {Proba} scikit-learn's `_predict_proba_lr`: one-vs-rest logistic. */
export const ovr = (d, n, K) => normalised(d.map(expit), n, K);

/** @type {Proba} */
const multinomial = (d, n, K) => {
  if (K === 1)
    return Array.from(d, (v) => {
      const row = [-v, v];
      softmaxInPlace(row, 0, 2);
      return row;
    });
  for (let off = 0; off < n * K; off += K) softmaxInPlace(d, off, K);
  return rowsOf(d, n, K);
};

/**
 * The Parts of a linear classifier: `state.classes`, `state.coef` and `state.intercept`.
 * @param {Record<string, unknown>} state
 * @param {number} nFeatures
 * @param {(binary: boolean) => Proba | undefined} choose how decision values become
 *   probabilities, for two classes or more (undefined: no `predictProba`)
 * @returns {import("../family.js").Parts}
 */
export function classifier(state, nFeatures, choose) {
  const classes = labels(need(state, "/state", "classes"), "/state/classes");
  if (classes.length < 2) fail("/state/classes", "expected at least 2 classes");
  const binary = classes.length === 2;
  const lin = readLinear(state, nFeatures, binary ? 1 : classes.length);
  const K = lin.nTargets;
  const proba = choose(binary);
  return {
    classes,
    nOutputs: 1,
    float32: false,
    allowMissing: false,
    decisionFunction: (X) => (binary ? Array.from(scores(lin, X)) : rowsOf(scores(lin, X), X.n, K)),
    predict(X) {
      const d = scores(lin, X);
      return Array.from({ length: X.n }, (_, i) => classes[binary ? +(d[i] > 0) : argmax(d, i * K, K)]);
    },
    predictProba: proba && ((X) => proba(scores(lin, X), X.n, K)),
  };
}

/** @type {import("../family.js").Reader} */
const read = (state, _params, ctx) =>
  classifier(state, ctx.nFeatures, (binary) => {
    const scheme = own(state, "multi_class") ?? (binary ? "ovr" : "multinomial");
    if (scheme !== "ovr" && scheme !== "multinomial") expected("/state/multi_class", '"ovr" or "multinomial"', scheme);
    return scheme === "ovr" ? ovr : multinomial;
  });

/** Estimators of this family, by public import path. */
export const ESTIMATORS = {
  "sklearn.linear_model.LogisticRegression": read,
  "sklearn.linear_model.LogisticRegressionCV": read,
};
