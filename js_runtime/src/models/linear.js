// @ts-check
/**
 * Family `linear`: LinearRegression, Ridge, Lasso, ElasticNet, RidgeCV, LassoCV, ElasticNetCV,
 * SGDRegressor, PassiveAggressiveRegressor, HuberRegressor, QuantileRegressor, BayesianRidge,
 * ARDRegression, LinearSVR. Every one predicts alike (BayesianRidge and ARDRegression: the mean;
 * `return_std` is Python only); the fields fit leaves besides `coef` and `intercept` are not read.
 *
 * Prediction is `sum_j coef_j * x_j + intercept` (scikit-learn: `X @ coef.T + intercept`).
 * The dot product is summed in feature order; BLAS may associate differently, which SPEC's
 * linear tolerance allows for.
 * @module
 */
import { checkShape, ndarray } from "../arrays.js";
import { fail } from "../errors.js";
import { finite, need } from "../fields.js";
import { rowsOf } from "../rows.js";

/**
 * @typedef {object} Linear
 * @property {Float64Array} coef (nTargets, nFeatures) in C order
 * @property {Float64Array} intercept nTargets values
 * @property {number} nTargets
 * @property {boolean} vector true when `coef` is one-dimensional (one target, numbers out)
 */

/**
 * Read `state.coef` and `state.intercept` (a number, broadcast, or one value per row of coef).
 * @param {Record<string, unknown>} state
 * @param {number} nFeatures
 * @param {number} [rows] required number of coef rows (2-d coef then required)
 * @returns {Linear}
 */
export function readLinear(state, nFeatures, rows) {
  const coef = ndarray(need(state, "/state", "coef"), "/state/coef", "f64", { maxDims: 2 });
  const vector = coef.shape.length === 1 && rows === undefined;
  const nTargets = vector ? 1 : (rows ?? coef.shape[0]);
  checkShape(coef, vector ? [nFeatures] : [nTargets, nFeatures], "/state/coef");
  const raw = need(state, "/state", "intercept");
  const intercept = new Float64Array(nTargets); // (nTargets: rows of coef, read above)
  if (typeof raw === "number") {
    intercept.fill(finite(raw, "/state/intercept"));
  } else {
    const b = ndarray(raw, "/state/intercept", "f64"); // finite numbers
    if (b.data.length !== nTargets) fail("/state/intercept", `expected a number or ${nTargets} values, found ${b.data.length}`);
    intercept.set(b.data);
  }
  return { coef: /** @type {Float64Array} */ (coef.data), intercept, nTargets, vector };
}

/**
 * Decision values, row-major (n, nTargets).
 * @param {Linear} lin
 * @param {import("../rows.js").Input} X
 */
export function scores(lin, X) {
  const { coef, intercept, nTargets } = lin;
  const { data, n, m } = X;
  const out = new Float64Array(n * nTargets);
  for (let i = 0; i < n; i++) {
    for (let t = 0; t < nTargets; t++) {
      let s = 0;
      for (let j = 0; j < m; j++) s += coef[t * m + j] * data[i * m + j];
      out[i * nTargets + t] = s + intercept[t];
    }
  }
  return out;
}

/**
 * The reader of estimators fitted on several targets (`multi`) or one (a 1-D `coef`).
 * @param {boolean} multi
 * @returns {import("../family.js").Reader}
 */
const reader = (multi) => (state, _params, ctx) => {
  const lin = readLinear(state, ctx.nFeatures);
  if (!multi && !lin.vector) fail("/state/coef", "expected 1 dimension(s), found 2");
  return {
    classes: null,
    nOutputs: lin.nTargets,
    float32: false,
    allowMissing: false,
    predict: (X) => (lin.vector ? Array.from(scores(lin, X)) : rowsOf(scores(lin, X), X.n, lin.nTargets)),
  };
};

const MULTI = ["LinearRegression", "Ridge", "Lasso", "ElasticNet", "RidgeCV"];
const SINGLE = ["LassoCV", "ElasticNetCV", "SGDRegressor", "PassiveAggressiveRegressor", "HuberRegressor",
  "QuantileRegressor", "BayesianRidge", "ARDRegression"];

/** Estimators of this family, by public import path. */
export const ESTIMATORS = {
  ...Object.fromEntries(MULTI.map((name) => [`sklearn.linear_model.${name}`, reader(true)])),
  ...Object.fromEntries(SINGLE.map((name) => [`sklearn.linear_model.${name}`, reader(false)])),
  "sklearn.svm.LinearSVR": reader(false),
};
