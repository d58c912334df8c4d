// @ts-check
/**
 * Family `naive_bayes`: GaussianNB, BernoulliNB, MultinomialNB, ComplementNB.
 *
 * Each computes scikit-learn's joint log-likelihood `jll` (n, n_classes) in its order of
 * operations; `predict` is its first argmax, `predictProba` `exp(jll - logsumexp(jll))` as
 * scikit-learn (and scipy before it) computes logsumexp: the row maximum taken out of the sum
 * and counted, `log1p(s / count) + log(count) + max`. GaussianNB sums over features with numpy's
 * pairwise sum (its rows are contiguous) and its logsumexp over classes left to right (its jll
 * is Fortran-ordered); the others' jll is a matrix product (summed in feature order here, BLAS's
 * order being its own) and their logsumexp sums pairwise.
 * @module
 */
import { checkShape, ndarray } from "../arrays.js";
import { at, expected, fail } from "../errors.js";
import { need } from "../fields.js";
import { argmax, npSum } from "../math.js";
import { param } from "../params.js";
import { rowsOf } from "../rows.js";
import { labels } from "../text.js";

/**
 * A float array field of `state` of `shape` (C order).
 * @param {Record<string, unknown>} state
 * @param {string} key
 * @param {number[]} shape
 * @param {boolean} [nonFinite]
 */
function floats(state, key, shape, nonFinite = false) {
  const p = at("/state", key);
  const a = ndarray(need(state, "/state", key), p, "f64", { maxDims: shape.length, nonFinite });
  return /** @type {Float64Array} */ (checkShape(a, shape, p).data);
}

/**
 * Throw at the first value of `a` (rows of `m` values; `m` 0: one dimension) that `bad` says is.
 * @param {Float64Array} a
 * @param {(x: number) => boolean} bad
 * @param {string} pointer
 * @param {number} m
 * @param {string} what what was expected
 */
function refuse(a, bad, pointer, m, what) {
  const i = a.findIndex(bad);
  if (i >= 0) expected(m ? at(at(pointer, Math.floor(i / m)), i % m) : at(pointer, i), what, a[i]);
}

/**
 * The Parts of a naive Bayes model with these classes and joint log-likelihood.
 * @param {import("../text.js").Label[]} classes
 * @param {(x: any[], off: number, c: number) => number} cell the joint log-likelihood of class
 *   `c` for the row starting at `x[off]`
 * @param {boolean} pairwise whether logsumexp sums pairwise (else left to right)
 * @returns {import("../family.js").Parts}
 */
function parts(classes, cell, pairwise) {
  const k = classes.length;
  /** @param {import("../rows.js").Input} X */
  const jll = (X) => {
    const out = new Float64Array(X.n * k);
    for (let i = 0; i < X.n; i++) for (let c = 0; c < k; c++) out[i * k + c] = cell(X.data, i * X.m, c);
    return out;
  };
  return {
    classes,
    nOutputs: 1,
    float32: false,
    allowMissing: false,
    predict: (X) => {
      const j = jll(X);
      return Array.from({ length: X.n }, (_, i) => classes[argmax(j, i * k, k)]);
    },
    predictProba: (X) => {
      const j = jll(X);
      const e = new Float64Array(k);
      for (let off = 0; off < X.n * k; off += k) {
        let max = -Infinity;
        for (let c = 0; c < k; c++) if (j[off + c] > max) max = j[off + c];
        let count = 0;
        const shift = Number.isFinite(max) ? max : 0;
        for (let c = 0; c < k; c++) {
          const top = j[off + c] === max;
          count += +top;
          e[c] = top ? 0 : Math.exp(j[off + c] - shift);
        }
        let s = 0;
        if (pairwise) s = npSum(e, 0, k);
        else for (let c = 0; c < k; c++) s += e[c];
        if (s !== 0) s /= count;
        const lse = Math.log1p(s) + Math.log(count) + max;
        for (let c = 0; c < k; c++) j[off + c] = Math.exp(j[off + c] - lse);
      }
      return rowsOf(j, X.n, k);
    },
  };
}

/** @type {import("../family.js").Reader} */
const gaussian = (state, _params, ctx) => {
  const classes = labels(need(state, "/state", "classes"), "/state/classes");
  const k = classes.length;
  const m = ctx.nFeatures;
  const theta = floats(state, "theta", [k, m]);
  const variance = floats(state, "var", [k, m]);
  refuse(variance, (v) => !(v > 0), "/state/var", m, "a positive variance");
  const prior = floats(state, "class_prior", [k]);
  refuse(prior, (p) => p < 0, "/state/class_prior", 0, "a probability (0 or more)");
  const total = npSum(prior, 0, k);
  if (!(Math.abs(total - 1) <= 1e-8 + 1e-5)) fail("/state/class_prior", `expected probabilities summing to 1, found a sum of ${total}`);
  // Per class: log(prior) and -0.5 * sum_j log(2 pi var_j), as numpy computes them.
  const logPrior = prior.map(Math.log);
  const t = new Float64Array(m);
  const norm = Float64Array.from(logPrior, (_, c) => {
    for (let f = 0; f < m; f++) t[f] = Math.log(2 * Math.PI * variance[c * m + f]);
    return -0.5 * npSum(t, 0, m);
  });
  const cell = (/** @type {any[]} */ x, /** @type {number} */ off, /** @type {number} */ c) => {
    for (let f = 0; f < m; f++) {
      const d = x[off + f] - theta[c * m + f];
      t[f] = (d * d) / variance[c * m + f];
    }
    return logPrior[c] + (norm[c] - 0.5 * npSum(t, 0, m));
  };
  return parts(classes, cell, false);
};

/**
 * The reader of a discrete naive Bayes estimator.
 * @param {"bernoulli" | "multinomial" | "complement"} kind
 * @returns {import("../family.js").Reader}
 */
const discrete = (kind) => (state, params, ctx) => {
  const classes = labels(need(state, "/state", "classes"), "/state/classes");
  const k = classes.length;
  const m = ctx.nFeatures;
  const weights = floats(state, "feature_log_prob", [k, m]);
  const bias = floats(state, "class_log_prior", [k], true).slice();
  refuse(bias, (b) => b !== b || b === Infinity, "/state/class_log_prior", 0, 'a finite number or "-Infinity"');
  const addBias = kind !== "complement" || k === 1;
  /** @type {number | null} */
  let threshold = null;
  if (kind === "bernoulli") {
    const raw = param(params, "binarize", 0);
    if (raw !== null && !(typeof raw === "number" && raw >= 0 && Number.isFinite(raw))) expected("/params/binarize", "null or a number, 0 or more", raw);
    threshold = /** @type {number | null} */ (raw);
    refuse(weights, (w) => !(Math.exp(w) < 1), "/state/feature_log_prob", m, "the log of a probability below 1");
    // jll = X @ (flp - neg).T + (class_log_prior + sum_j neg), neg = log(1 - exp(flp))
    const neg = new Float64Array(m);
    for (let c = 0; c < k; c++) {
      for (let f = 0; f < m; f++) {
        neg[f] = Math.log(1 - Math.exp(weights[c * m + f]));
        weights[c * m + f] -= neg[f];
      }
      bias[c] += npSum(neg, 0, m);
    }
  }
  const cell = (/** @type {any[]} */ x, /** @type {number} */ off, /** @type {number} */ c) => {
    let s = 0;
    for (let f = 0; f < m; f++) s += (threshold === null ? x[off + f] : +(x[off + f] > threshold)) * weights[c * m + f];
    return addBias ? s + bias[c] : s;
  };
  return parts(classes, cell, true);
};

/** Estimators of this family, by public import path. */
export const ESTIMATORS = {
  "sklearn.naive_bayes.GaussianNB": gaussian,
  "sklearn.naive_bayes.BernoulliNB": discrete("bernoulli"),
  "sklearn.naive_bayes.MultinomialNB": discrete("multinomial"),
  "sklearn.naive_bayes.ComplementNB": discrete("complement"),
};
