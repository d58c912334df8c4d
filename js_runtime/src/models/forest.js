// @ts-check
/**
 * Family `forest`: RandomForest{Classifier,Regressor}, ExtraTrees{Classifier,Regressor}.
 *
 * `state.estimators` is a list of `{"random_state", "tree"}`; prediction adds the trees' leaf
 * values in estimator order, then divides by the number of trees (see `treeEnsemble`).
 * @module
 */
import { at, expected } from "../errors.js";
import { isObject, need } from "../fields.js";
import { treeEnsemble } from "../tree-engine.js";

/** @type {import("../family.js").Reader} */
const read = (state, _params, ctx) => {
  const est = need(state, "/state", "estimators");
  if (!Array.isArray(est) || est.length < 1) expected("/state/estimators", "a non-empty array of trees", est);
  const docs = est.map((e, i) => {
    const p = at("/state/estimators", i);
    if (!isObject(e)) expected(p, '{"tree": ...}', e);
    return { tree: need(e, p, "tree"), pointer: at(p, "tree") };
  });
  return treeEnsemble(state, ctx, ctx.estimator.endsWith("Classifier"), docs, true);
};

/** Estimators of this family, by public import path. */
export const ESTIMATORS = {
  "sklearn.ensemble.RandomForestClassifier": read,
  "sklearn.ensemble.RandomForestRegressor": read,
  "sklearn.ensemble.ExtraTreesClassifier": read,
  "sklearn.ensemble.ExtraTreesRegressor": read,
};
