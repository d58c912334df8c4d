// @ts-check
/**
 * Family `linear_classifier`: SGDClassifier, Perceptron, PassiveAggressiveClassifier,
 * RidgeClassifier, RidgeClassifierCV, LinearSVC: the linear classifiers of logistic.js without
 * its probabilities. SGDClassifier has scikit-learn's where its `loss` gives them: "log_loss",
 * one-vs-rest `expit` (logistic.js); "modified_huber", `p = (clip(d, -1, 1) + 1) / 2`, then
 * `[1 - p, p]` for two classes, or each row divided by its sum (a row of zeros: uniform).
 * @module
 */
import { own } from "../fields.js";
import { classifier, normalised, ovr } from "./logistic.js";

/** @type {import("./logistic.js").Proba} */
const huber = (d, n, K) => normalised(d.map((v) => (Math.min(Math.max(v, -1), 1) + 1) / 2), n, K);

/** @type {Record<string, import("./logistic.js").Proba>} */
const BY_LOSS = { log_loss: ovr, modified_huber: huber };

/** @type {import("../family.js").Reader} */
const sgd = (state, params, ctx) =>
  classifier(state, ctx.nFeatures, () => /** @type {import("./logistic.js").Proba | undefined} */ (own(BY_LOSS, String(params.loss))));

/** @type {import("../family.js").Reader} */
const plain = (state, _params, ctx) => classifier(state, ctx.nFeatures, () => undefined);

/** Estimators of this family, by public import path. */
export const ESTIMATORS = {
  "sklearn.linear_model.SGDClassifier": sgd,
  ...Object.fromEntries(
    ["Perceptron", "PassiveAggressiveClassifier", "RidgeClassifier", "RidgeClassifierCV"].map((name) => [`sklearn.linear_model.${name}`, plain]),
  ),
  "sklearn.svm.LinearSVC": plain,
};
