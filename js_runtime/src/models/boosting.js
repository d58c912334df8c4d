// @ts-check
/**
 * Family `boosting`: GradientBoosting{Classifier,Regressor}.
 *
 * Raw prediction: start from `state.init_raw_prediction` (K values, as numpy computed them),
 * then stage by stage, tree by tree, `raw[k] += learning_rate * leaf_value`, as
 * scikit-learn's `predict_stages` does. Links: regression identity; binary `log_loss`
 * `expit(raw)`; binary `exponential` `expit(2 * raw)`; multiclass softmax. Binary labels:
 * `classes[raw >= 0 ? 1 : 0]` (scikit-learn's `GradientBoostingClassifier.predict`);
 * multiclass: first argmax of raw.
 * @module
 */
import { ndarray } from "../arrays.js";
import { at, expected, fail } from "../errors.js";
import { finite, isObject, need, string } from "../fields.js";
import { rowsOf } from "../rows.js";
import { labels } from "../text.js";
import { addLeafValues, boostedClassifier, iterations, readEnsemble, treeSet } from "../tree-engine.js";

const REGRESSION_LOSSES = ["squared_error", "absolute_error", "huber", "quantile"];

/** @type {import("../family.js").Reader} */
const read = (state, params, ctx) => {
  const classifier = ctx.estimator.endsWith("Classifier");
  const rate = finite(need(params, "/params", "learning_rate"), "/params/learning_rate");
  if (rate < 0) expected("/params/learning_rate", "a number >= 0", rate);
  const loss = string(need(params, "/params", "loss"), "/params/loss");
  const classes = classifier ? labels(need(state, "/state", "classes"), "/state/classes") : null;
  if (classes && classes.length < 2) fail("/state/classes", "expected at least 2 classes");
  const K = classes && classes.length > 2 ? classes.length : 1;
  const losses = !classes ? REGRESSION_LOSSES : K === 1 ? ["log_loss", "exponential"] : ["log_loss"];
  if (!losses.includes(loss)) expected("/params/loss", `one of ${losses.join(", ")}`, loss);

  const nt = need(state, "/state", "n_trees_per_iteration");
  if (nt !== K) expected("/state/n_trees_per_iteration", `${K} (${classes ? `${classes.length} classes` : "a regressor"})`, nt);
  const init = ndarray(need(state, "/state", "init_raw_prediction"), "/state/init_raw_prediction", "f64").data;
  if (init.length !== K) fail("/state/init_raw_prediction", `expected ${K} values, found ${init.length}`);

  // Trees in stage order: tree s * K + k is stage s's tree for column k.
  const docs = iterations(state, "estimators", "n_estimators", K, "stages", (e, p) => {
    if (!isObject(e)) expected(p, '{"tree": ...}', e);
    return { tree: need(e, p, "tree"), pointer: at(p, "tree") };
  });
  const ensemble = readEnsemble(docs, ctx.nFeatures, 1, null);

  /** @param {import("../rows.js").Input} X */
  const raw = (X) => {
    const out = new Float64Array(X.n * K);
    for (let i = 0; i < X.n; i++) out.set(init, i * K);
    addLeafValues(ensemble, X, out, K, rate);
    return out;
  };
  /** @param {import("../rows.js").Input} X */
  const decision = (X) => (K === 1 ? Array.from(raw(X)) : rowsOf(raw(X), X.n, K));
  // scikit-learn rejects missing values for gradient boosting (its trees ignore missing_go_to_left).
  const common = { nOutputs: 1, float32: true, allowMissing: false, trees: treeSet(ensemble, K) };
  if (!classes) return { ...common, classes: null, predict: decision };
  const scale = loss === "exponential" ? 2 : 1;
  // (a score of exactly 0 is the second class here: scikit-learn's `raw >= 0`)
  return { ...common, classes, decisionFunction: decision, ...boostedClassifier(classes, K, raw, true, scale) };
};

/** Estimators of this family, by public import path. */
export const ESTIMATORS = {
  "sklearn.ensemble.GradientBoostingClassifier": read,
  "sklearn.ensemble.GradientBoostingRegressor": read,
};
