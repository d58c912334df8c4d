// @ts-check
/**
 * Family `scaler`: StandardScaler, MinMaxScaler, MaxAbsScaler, RobustScaler, Normalizer.
 *
 * scikit-learn's operations in its order, bit for bit on float64 rows: the parameters
 * (`with_mean`, `clip`, ...) decide which statistics are applied, not which ones the document
 * holds. The four scalers pass missing values (NaN) through; Normalizer takes none.
 * @module
 */
import { checkShape, ndarray } from "../arrays.js";
import { at, expected } from "../errors.js";
import { transformer } from "../family.js";
import { own } from "../fields.js";
import { npSum } from "../math.js";
import { flag, pair, param } from "../params.js";
import { numbers } from "../rows.js";

/**
 * A statistic of one value per feature.
 * @param {Record<string, unknown>} state
 * @param {string} key
 * @param {number} n
 */
function column(state, key, n) {
  const p = at("/state", key);
  return /** @type {Float64Array} */ (checkShape(ndarray(own(state, key), p, "f64"), [n], p).data);
}

/**
 * Apply `f(x, j)` to every value of `X` (x of feature j); a new Input of the results.
 * @param {import("../rows.js").Input} X
 * @param {boolean} allowMissing
 * @param {(x: number, j: number) => number} f
 */
function each(X, allowMissing, f) {
  const data = numbers(X, allowMissing).slice();
  for (let k = 0; k < data.length; k++) data[k] = f(data[k], k % X.m);
  return { data, n: X.n, m: X.m, missing: null };
}

/**
 * numpy's clip: x below lo gives lo, above hi gives hi, else x itself (NaN and -0.0 stay).
 * @param {number} x
 * @param {number} lo
 * @param {number} hi
 */
const clip = (x, lo, hi) => (x < lo ? lo : x > hi ? hi : x);

/**
 * `(x - center) / scale` with each step where its flag says: StandardScaler and RobustScaler.
 * @param {string} center state key of the subtrahend
 * @param {string} centerFlag
 * @param {string} scaleFlag
 * @returns {import("../family.js").Reader}
 */
const centerScale = (center, centerFlag, scaleFlag) => (state, params, ctx) => {
  const n = ctx.nFeatures;
  const c = flag(params, "/params", centerFlag, true) ? column(state, center, n) : null;
  const s = flag(params, "/params", scaleFlag, true) ? column(state, "scale", n) : null;
  return transformer(n, true, (X) => each(X, true, (x, j) => {
    if (c) x -= c[j];
    return s ? x / s[j] : x;
  }));
};

/** @type {import("../family.js").Reader} */
const minMax = (state, params, ctx) => {
  const n = ctx.nFeatures;
  const scale = column(state, "scale", n);
  const min = column(state, "min", n);
  const [lo, hi] = pair(params, "feature_range", [0, 1]);
  if (!(lo < hi)) expected("/params/feature_range", "a range with min < max", [lo, hi]);
  const clips = flag(params, "/params", "clip", false);
  return transformer(n, true, (X) => each(X, true, (x, j) => {
    x = x * scale[j] + min[j];
    return clips ? clip(x, lo, hi) : x;
  }));
};

/** @type {import("../family.js").Reader} */
const maxAbs = (state, params, ctx) => {
  const scale = column(state, "scale", ctx.nFeatures);
  const clips = flag(params, "/params", "clip", false);
  return transformer(ctx.nFeatures, true, (X) => each(X, true, (x, j) => (clips ? clip(x / scale[j], -1, 1) : x / scale[j])));
};

/**
 * numpy's `einsum("ij,ij->i", X, X)` on one row (SSE2 build: two lanes, alternate terms,
 * unrolled by four vectors, then the two lanes added).
 * @param {number[]} a
 * @param {number} off
 * @param {number} m
 */
function sumSquares(a, off, m) {
  let s0 = 0;
  let s1 = 0;
  let i = 0;
  for (; m - i >= 8; i += 8) {
    for (let u = 6; u >= 0; u -= 2) {
      s0 = a[off + i + u] * a[off + i + u] + s0;
      s1 = a[off + i + u + 1] * a[off + i + u + 1] + s1;
    }
  }
  for (; i < m; i += 2) {
    s0 += a[off + i] * a[off + i];
    if (i + 1 < m) s1 += a[off + i + 1] * a[off + i + 1];
  }
  return s0 + s1;
}

/** @type {import("../family.js").Reader} */
const normalizer = (_state, params, ctx) => {
  const norm = param(params, "norm", "l2");
  if (norm !== "l1" && norm !== "l2" && norm !== "max") expected("/params/norm", '"l1", "l2" or "max"', norm);
  return transformer(ctx.nFeatures, false, (X) => {
    const { n, m } = X;
    const data = numbers(X, false).slice();
    const abs = data.map(Math.abs);
    for (let i = 0; i < n; i++) {
      const off = i * m;
      let s = norm === "l2" ? Math.sqrt(sumSquares(data, off, m)) : norm === "l1" ? npSum(abs, off, m) : Math.max(...abs.slice(off, off + m));
      if (s < 10 * 2 ** -52) s = 1; // scikit-learn's _handle_zeros_in_scale
      for (let j = off; j < off + m; j++) data[j] /= s;
    }
    return { data, n, m, missing: null };
  });
};

/** Estimators of this family, by public import path. */
export const ESTIMATORS = {
  "sklearn.preprocessing.StandardScaler": centerScale("mean", "with_mean", "with_std"),
  "sklearn.preprocessing.MinMaxScaler": minMax,
  "sklearn.preprocessing.MaxAbsScaler": maxAbs,
  "sklearn.preprocessing.RobustScaler": centerScale("center", "with_centering", "with_scaling"),
  "sklearn.preprocessing.Normalizer": normalizer,
};
