// @ts-check
/**
 * Family `tree`: DecisionTree{Classifier,Regressor}, ExtraTree{Classifier,Regressor}.
 *
 * `state.tree` is one tree; prediction is its leaf's values as they are (see `treeEnsemble`).
 * @module
 */
import { need } from "../fields.js";
import { treeEnsemble } from "../tree-engine.js";

/** @type {import("../family.js").Reader} */
const read = (state, _params, ctx) =>
  treeEnsemble(state, ctx, ctx.estimator.endsWith("Classifier"), [{ tree: need(state, "/state", "tree"), pointer: "/state/tree" }], false);

/** Estimators of this family, by public import path. */
export const ESTIMATORS = {
  "sklearn.tree.DecisionTreeClassifier": read,
  "sklearn.tree.DecisionTreeRegressor": read,
  "sklearn.tree.ExtraTreeClassifier": read,
  "sklearn.tree.ExtraTreeRegressor": read,
};
