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
import { at, expected, show } from "../errors.js";
import { finite, isObject, own } from "../fields.js";
import { npSum } from "../math.js";

/**
 * The numbers of `X` (a pipeline's earlier step may hand over strings), checked as
 * scikit-learn's `check_array` does: NaN only where `allowMissing`, never an infinity.
 * @param {import("../rows.js").Input} X
 * @param {boolean} allowMissing
 * @returns {number[]}
 */
export function numbers(X, allowMissing) {
  const { data, m } = X;
  for (let k = 0; k < data.length; k++) {
    const x = data[k];
    if (typeof x !== "number" || (x - x !== 0 && !(allowMissing && x !== x))) {
      throw new TypeError(`X row ${Math.floor(k / m)}, feature ${k % m}: expected ${allowMissing ? "a number" : "a finite number"}, found ${show(x)}`);
    }
  }
  return /** @type {number[]} */ (data);
}

/**
 * A parameter read as scikit-learn would take it: `fallback` (its default) when absent.
 * @param {Record<string, unknown>} params
 * @param {string} key
 * @param {unknown} fallback
 */
export function param(params, key, fallback) {
  const v = own(params, key);
  return v === undefined ? fallback : v;
}

/**
 * A boolean parameter.
 * @param {Record<string, unknown>} params
 * @param {string} key
 * @param {boolean} fallback
 */
function flag(params, key, fallback) {
  const v = param(params, key, fallback);
  return typeof v === "boolean" ? v : expected(at("/params", key), "true or false", v);
}

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
  const c = flag(params, centerFlag, true) ? column(state, center, n) : null;
  const s = flag(params, scaleFlag, true) ? column(state, "scale", n) : null;
  return transformer(n, true, (X) => each(X, true, (x, j) => {
    if (c) x -= c[j];
    return s ? x / s[j] : x;
  }));
};

/**
 * The Parts of a transformer of `nOutputs` columns.
 * @param {number} nOutputs
 * @param {boolean} allowMissing
 * @param {(X: import("../rows.js").Input) => import("../rows.js").Input} transform
 */
export function transformer(nOutputs, allowMissing, transform) {
  return { classes: null, nOutputs, float32: false, allowMissing, transform };
}

/**
 * A parameter that is a pair of numbers: a tuple (`{"tuple": [a, b]}`) or a list.
 * @param {Record<string, unknown>} params
 * @param {string} key
 * @param {number[]} fallback
 */
export function pair(params, key, fallback) {
  let v = param(params, key, fallback);
  let p = at("/params", key);
  if (isObject(v) && Object.keys(v).length === 1 && own(v, "tuple") !== undefined) {
    v = v.tuple;
    p = at(p, "tuple");
  }
  if (!Array.isArray(v) || v.length !== 2) return expected(p, "a pair of numbers", v);
  return [finite(v[0], at(p, 0)), finite(v[1], at(p, 1))];
}

/** @type {import("../family.js").Reader} */
const minMax = (state, params, ctx) => {
  const n = ctx.nFeatures;
  const scale = column(state, "scale", n);
  const min = column(state, "min", n);
  const [lo, hi] = pair(params, "feature_range", [0, 1]);
  if (!(lo < hi)) expected("/params/feature_range", "a range with min < max", [lo, hi]);
  const clips = flag(params, "clip", false);
  return transformer(n, true, (X) => each(X, true, (x, j) => {
    x = x * scale[j] + min[j];
    return clips ? clip(x, lo, hi) : x;
  }));
};

/** @type {import("../family.js").Reader} */
const maxAbs = (state, params, ctx) => {
  const scale = column(state, "scale", ctx.nFeatures);
  const clips = flag(params, "clip", false);
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
