// @ts-check
/**
 * Family `logistic`: LogisticRegression.
 *
 * Two classes: one decision value d per row, label `classes[d > 0 ? 1 : 0]`. More classes:
 * one decision value per class, first argmax. Probabilities as `state.multi_class` says (what
 * the writer's scikit-learn did): "ovr", `expit` of each divided by numpy's sum of them
 * (`[1 - expit(d), expit(d)]` for two classes); "multinomial", scikit-learn's softmax (of
 * `[-d, d]` for two classes). Absent: "ovr" for two classes, "multinomial" for more.
 * @module
 */
import { expected, fail } from "../errors.js";
import { need, own } from "../fields.js";
import { argmax, expit, npSum, softmaxInPlace } from "../math.js";
import { rowsOf } from "../rows.js";
import { labels } from "../text.js";
import { readLinear, scores } from "./linear.js";

/** @type {import("../family.js").Reader} */
const read = (state, _params, ctx) => {
  const classes = labels(need(state, "/state", "classes"), "/state/classes");
  if (classes.length < 2) fail("/state/classes", "expected at least 2 classes");
  const binary = classes.length === 2;
  const lin = readLinear(state, ctx.nFeatures, binary ? 1 : classes.length);
  const K = lin.nTargets;
  const scheme = own(state, "multi_class") ?? (binary ? "ovr" : "multinomial");
  if (scheme !== "ovr" && scheme !== "multinomial") expected("/state/multi_class", '"ovr" or "multinomial"', scheme);
  const ovr = scheme === "ovr";
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
      if (binary)
        return Array.from(d, (v) => {
          const row = ovr ? [1 - expit(v), expit(v)] : [-v, v];
          if (!ovr) softmaxInPlace(row, 0, 2);
          return row;
        });
      for (let off = 0; off < X.n * K; off += K) {
        if (!ovr) { softmaxInPlace(d, off, K); continue; }
        for (let j = 0; j < K; j++) d[off + j] = expit(d[off + j]);
        const sum = npSum(d, off, K);
        for (let j = 0; j < K; j++) d[off + j] /= sum;
      }
      return rowsOf(d, X.n, K);
    },
  };
};

/** Estimators of this family, by public import path. */
export const ESTIMATORS = {
  "sklearn.linear_model.LogisticRegression": read,
};
