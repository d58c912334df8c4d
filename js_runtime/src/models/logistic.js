// @ts-check
/**
 * Family `logistic`: LogisticRegression.
 *
 * Two classes: one decision value d per row, label `classes[d > 0 ? 1 : 0]`, probabilities
 * `[1 - expit(d), expit(d)]`. More classes: one decision value per class, first argmax, and
 * scikit-learn's softmax.
 * @module
 */
import { argmax, expit, fail, labels, own, rowsOf, softmaxInPlace } from "../common.js";
import { readLinear, scores } from "./linear.js";

/** @type {import("../common.js").Reader} */
const read = (state, _params, ctx) => {
  const classes = labels(own(state, "classes"), "/state/classes");
  if (classes.length < 2) fail("/state/classes", "expected at least 2 classes");
  const binary = classes.length === 2;
  const lin = readLinear(state, ctx.nFeatures, binary ? 1 : classes.length);
  const K = lin.nTargets;
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
    predictProba(X) {
      const d = scores(lin, X);
      if (binary) return Array.from(d, (v) => { const p = expit(v); return [1 - p, p]; });
      for (let i = 0; i < X.n; i++) softmaxInPlace(d, i * K, K);
      return rowsOf(d, X.n, K);
    },
  };
};

/** Estimators of this family, by public import path. */
export const ESTIMATORS = {
  "sklearn.linear_model.LogisticRegression": read,
};
