// @ts-check
/**
 * Family `svm`: SVC, NuSVC, SVR, NuSVR, OneClassSVM (libsvm, dense).
 *
 * Kernel values as libsvm's dense `k_function` computes them ("rbf": the squared norm of the
 * difference; "poly": libsvm's `powi`, an integer power by squaring), then one decision value
 * per pair of classes i < j: class i's vectors with `dual_coef[j-1]`, class j's with
 * `dual_coef[i]`, plus `intercept[p]` (scikit-learn's signs; regressors and one-class models:
 * every vector with `dual_coef[0]`). Labels by libsvm's one-vs-one vote (ties to the lowest
 * class), or with `break_ties` the first argmax of scikit-learn's `_ovr_decision_function`.
 * Platt-scaled probabilities (`predict_proba`) are left to Python (libsvm's iterative pairwise
 * coupling).
 * @module
 */
import { checkShape, ndarray } from "../arrays.js";
import { at, expected, fail } from "../errors.js";
import { finite, integer, need, own } from "../fields.js";
import { flag, param } from "../params.js";
import { argmax } from "../math.js";
import { rowsOf } from "../rows.js";
import { labels } from "../text.js";

const INT32_MAX = 2 ** 31 - 1;
const KERNELS = ["linear", "poly", "rbf", "sigmoid"];
const CLASSIFIER_KEYS = ["classes", "n_support", "class_weight", "prob_a", "prob_b"];

/**
 * libsvm's `powi`: `base ** times` by squaring (not `Math.pow`, which rounds otherwise).
 * @param {number} base
 * @param {number} times
 */
function powi(base, times) {
  let tmp = base, ret = 1;
  for (let t = times; t > 0; t = Math.floor(t / 2)) {
    if (t % 2 === 1) ret *= tmp;
    tmp *= tmp;
  }
  return ret;
}

/**
 * A numeric field of `state` checked to `shape`.
 * @param {Record<string, unknown>} state
 * @param {string} key
 * @param {import("../arrays.js").Kind} kind
 * @param {number[]} shape
 */
function field(state, key, kind, shape) {
  const p = at("/state", key);
  return checkShape(ndarray(required(state, key), p, kind, { maxDims: shape.length }), shape, p).data;
}

/**
 * A required field of `state`, without `need`'s "did you mean": "support" and "n_support" are
 * near misses of each other, and both are read.
 * @param {Record<string, unknown>} state
 * @param {string} key
 */
function required(state, key) {
  const v = own(state, key);
  return v === undefined ? fail("/state", `missing key ${JSON.stringify(key)}`) : v;
}

/**
 * The first index of `a` that `bad` holds for, checked at `pointer`.
 * @param {ArrayLike<number>} a
 * @param {string} pointer
 * @param {(x: number) => boolean} bad
 * @param {string} what
 */
function each(a, pointer, bad, what) {
  for (let i = 0; i < a.length; i++) if (bad(a[i])) expected(at(pointer, i), what, a[i]);
}

/** @type {import("../family.js").Reader} */
const read = (state, params, ctx) => {
  const m = ctx.nFeatures;
  const classifier = /\.(Nu)?SVC$/.test(ctx.estimator);
  const oneClass = ctx.estimator.endsWith("OneClassSVM");

  const kernel = param(params, "kernel", "rbf");
  if (typeof kernel !== "string" || !KERNELS.includes(kernel)) expected("/params/kernel", `one of ${KERNELS.join(", ")}`, kernel);
  const degree = integer(param(params, "degree", 3), "/params/degree");
  const coef0 = finite(param(params, "coef0", 0), "/params/coef0");
  const gamma = finite(need(state, "/state", "gamma"), "/state/gamma");
  if (gamma < 0) expected("/state/gamma", "a number >= 0", gamma);
  const gammaParam = param(params, "gamma", "scale");
  if (gammaParam !== "scale" && gammaParam !== "auto" && !(typeof gammaParam === "number" && gammaParam >= 0)) {
    expected("/params/gamma", '"scale", "auto" or a number >= 0', gammaParam);
  }
  const fixed = gammaParam === "auto" ? 1 / m : gammaParam;
  if (gammaParam !== "scale" && gamma !== fixed) fail("/state/gamma", `expected the gamma parameter's value, ${fixed}`);
  const shape = param(params, "decision_function_shape", "ovr");
  if (shape !== "ovr" && shape !== "ovo") expected("/params/decision_function_shape", '"ovr" or "ovo"', shape);
  const breakTies = flag(params, "/params", "break_ties", false);

  const fit = need(state, "/state", "shape_fit");
  if (!Array.isArray(fit) || fit.length !== 2) expected("/state/shape_fit", "[n_samples, n_features_in]", fit);
  const nSamples = integer(fit[0], "/state/shape_fit/0", 1);
  if (fit[1] !== m) expected("/state/shape_fit/1", `${m} (n_features_in)`, fit[1]);
  const support = ndarray(required(state, "support"), "/state/support", "i32").data;
  const nSV = support.length;
  each(support, "/state/support", (s) => s < 0 || s >= nSamples, `a training row index in [0, ${nSamples - 1}]`);
  const raw = required(state, "support_vectors");
  const sv = nSV === 0 && Array.isArray(raw) && raw.length === 0 ? new Float64Array(0) : field(state, "support_vectors", "f64", [nSV, m]);

  let classes = null;
  let nClass = 2;
  /** @type {ArrayLike<number>} */
  let nSupport = [nSV, 0];
  if (classifier) {
    classes = labels(need(state, "/state", "classes"), "/state/classes");
    nClass = classes.length;
    if (nClass < 2) fail("/state/classes", "expected at least 2 classes");
    nSupport = field(state, "n_support", "i32", [nClass]);
    each(nSupport, "/state/n_support", (c) => c < 0, "a count >= 0");
    let total = 0;
    for (let c = 0; c < nClass; c++) total += nSupport[c];
    if (total !== nSV) fail("/state/n_support", `expected counts summing to the ${nSV} support vectors, found ${total}`);
    field(state, "class_weight", "f64", [nClass]);
  } else {
    const key = CLASSIFIER_KEYS.find((k) => own(state, k) !== undefined);
    if (key) fail(at("/state", key), "expected no such field for a regressor");
  }
  const nPairs = (nClass * (nClass - 1)) / 2;
  const rows = nClass - 1;
  const coef = field(state, "dual_coef", "f64", [rows, nSV]);
  const intercept = field(state, "intercept", "f64", [nPairs]);
  const a = own(state, "prob_a"), b = own(state, "prob_b");
  if ((a === undefined) !== (b === undefined)) {
    fail(a === undefined ? "/state/prob_b" : "/state/prob_a", "expected prob_a and prob_b together, for a classifier fitted with probability=True");
  }
  if (a !== undefined) for (const k of ["prob_a", "prob_b"]) field(state, k, "f64", [nPairs]);
  else if (classifier && param(params, "probability", false) === true) fail("/state", 'missing key "prob_a": the model was fitted with probability=True');
  integer(need(state, "/state", "fit_status"), "/state/fit_status", 0, 1);
  each(field(state, "n_iter", "i32", [nPairs]), "/state/n_iter", (c) => c < 0, "a count >= 0");

  // Where each class's vectors start.
  const start = new Int32Array(nClass + 1);
  for (let c = 0; c < nClass; c++) start[c + 1] = start[c] + (classifier ? nSupport[c] : nSV);

  /**
   * One-vs-one decision values, row-major (n, nPairs).
   * @param {import("../rows.js").Input} X
   */
  function decisions(X) {
    const { n } = X;
    const data = Float64Array.from(/** @type {number[]} */ (X.data)); // (one kind of array: one fast path)
    const out = new Float64Array(n * nPairs);
    const K = new Float64Array(nSV);
    const rbf = kernel === "rbf";
    /** @param {number} sum `x . sv`, or for rbf `|x - sv|^2` */
    const k = (sum) => (rbf ? Math.exp(-gamma * sum) : kernel === "linear" ? sum : kernel === "poly" ? powi(gamma * sum + coef0, degree) : Math.tanh(gamma * sum + coef0));
    for (let r = 0; r < n; r++) {
      const off = r * m;
      let s = 0;
      for (; s + 4 <= nSV; s += 4) {
        // Four vectors at a time (each row value read once for all); each sum in libsvm's order.
        const v0 = s * m, v1 = v0 + m, v2 = v1 + m, v3 = v2 + m; // prettier-ignore
        let s0 = 0, s1 = 0, s2 = 0, s3 = 0; // prettier-ignore
        if (rbf) {
          for (let j = 0; j < m; j++) {
            const x = data[off + j];
            const d0 = x - sv[v0 + j], d1 = x - sv[v1 + j], d2 = x - sv[v2 + j], d3 = x - sv[v3 + j]; // prettier-ignore
            s0 += d0 * d0;
            s1 += d1 * d1;
            s2 += d2 * d2;
            s3 += d3 * d3;
          }
        } else {
          for (let j = 0; j < m; j++) {
            const x = data[off + j];
            s0 += x * sv[v0 + j];
            s1 += x * sv[v1 + j];
            s2 += x * sv[v2 + j];
            s3 += x * sv[v3 + j];
          }
        }
        K[s] = k(s0);
        K[s + 1] = k(s1);
        K[s + 2] = k(s2);
        K[s + 3] = k(s3);
      }
      for (; s < nSV; s++) {
        let sum = 0;
        for (let j = 0; j < m; j++) {
          const d = rbf ? data[off + j] - sv[s * m + j] : 0;
          sum += rbf ? d * d : data[off + j] * sv[s * m + j];
        }
        K[s] = k(sum);
      }
      if (!classifier) {
        let sum = 0;
        for (let s = 0; s < nSV; s++) sum += coef[s] * K[s];
        out[r] = sum + intercept[0];
        continue;
      }
      for (let i = 0, p = 0; i < nClass; i++) {
        for (let j = i + 1; j < nClass; j++, p++) {
          let sum = 0;
          for (let s = start[i]; s < start[i + 1]; s++) sum += coef[(j - 1) * nSV + s] * K[s];
          for (let s = start[j]; s < start[j + 1]; s++) sum += coef[i * nSV + s] * K[s];
          out[r * nPairs + p] = sum + intercept[p];
        }
      }
    }
    return out;
  }

  /**
   * scikit-learn's `_ovr_decision_function(d < 0, -d, nClass)`, row-major (n, nClass).
   * @param {Float64Array} d
   * @param {number} n
   */
  function ovr(d, n) {
    const out = new Float64Array(n * nClass);
    const sums = new Float64Array(nClass);
    for (let r = 0; r < n; r++) {
      const votes = out.subarray(r * nClass, (r + 1) * nClass);
      sums.fill(0);
      for (let i = 0, p = 0; i < nClass; i++) {
        for (let j = i + 1; j < nClass; j++, p++) {
          const v = d[r * nPairs + p];
          sums[i] -= -v;
          sums[j] += -v;
          votes[v < 0 ? j : i] += 1;
        }
      }
      for (let c = 0; c < nClass; c++) votes[c] += sums[c] / (3 * (Math.abs(sums[c]) + 1));
    }
    return out;
  }

  /** @type {import("../family.js").Parts} */
  const parts = { classes, nOutputs: 1, float32: false, allowMissing: false };
  if (!classifier) {
    parts.predict = (X) => Array.from(decisions(X), (v) => (oneClass ? (v > 0 ? 1 : -1) : v));
    if (oneClass) {
      parts.decisionFunction = (X) => Array.from(decisions(X));
      parts.scoreSamples = (X) => Array.from(decisions(X), (v) => v + -intercept[0]);
    }
    return parts;
  }
  const labelsOf = /** @type {import("../text.js").Label[]} */ (classes);
  parts.decisionFunction = (X) => {
    const d = decisions(X);
    if (nClass === 2) return Array.from(d);
    return shape === "ovo" ? rowsOf(d, X.n, nPairs) : rowsOf(ovr(d, X.n), X.n, nClass);
  };
  parts.predict = (X) => {
    if (breakTies && shape === "ovo") fail("/params/break_ties", "break_ties must be false when decision_function_shape is \"ovo\" (scikit-learn's predict refuses it)");
    const d = decisions(X);
    if (nClass === 2) return Array.from(d, (v) => labelsOf[v < 0 ? 0 : 1]);
    if (breakTies) {
      const o = ovr(d, X.n);
      return Array.from({ length: X.n }, (_, r) => labelsOf[argmax(o, r * nClass, nClass)]);
    }
    const votes = new Int32Array(nClass);
    return Array.from({ length: X.n }, (_, r) => {
      votes.fill(0);
      for (let i = 0, p = 0; i < nClass; i++) for (let j = i + 1; j < nClass; j++, p++) votes[d[r * nPairs + p] > 0 ? i : j]++;
      return labelsOf[argmax(votes, 0, nClass)];
    });
  };
  return parts;
};

/** Estimators of this family, by public import path. */
export const ESTIMATORS = {
  "sklearn.svm.SVC": read,
  "sklearn.svm.NuSVC": read,
  "sklearn.svm.SVR": read,
  "sklearn.svm.NuSVR": read,
  "sklearn.svm.OneClassSVM": read,
};
