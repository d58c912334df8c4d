// @ts-check
/**
 * Family `imputer`: SimpleImputer.
 *
 * Transform, as scikit-learn's: where feature j is missing, `statistics[j]`; the features whose
 * statistic is NaN are dropped (unless `keep_empty_features`, or `fills_nan`); then, with
 * `add_indicator`, one column per feature of `indicator_features`: 1 where it was missing, else 0
 * (scikit-learn's are 1.0/0.0, or True/False next to objects).
 *
 * Missing is NaN (`null` or NaN in the caller's rows) when `missing_values` is NaN; otherwise an
 * input equal to it (a string only the same string), and NaN is refused, as scikit-learn refuses
 * it. Python's None as `missing_values` cannot be given from JavaScript: nothing is missing then.
 * Fitted on numbers (`fit_dtype` not "object"), it takes numbers only; fitted on objects, strings
 * and numbers, passed through as they are. Fitted on float32, the fill values are rounded
 * to float32 first, as scikit-learn does from 1.8.
 * @module
 */
import { checkShape, ndarray } from "../arrays.js";
import { at, expected, fail } from "../errors.js";
import { need, own, string } from "../fields.js";
import { flag, value } from "../params.js";

const DTYPES = ["float64", "float32", "int64", "int32", "int16", "int8", "uint64", "uint32", "uint16", "uint8", "object"];

/**
 * @param {Record<string, unknown>} state
 * @param {string} key
 */
function dtype(state, key) {
  const v = string(need(state, "/state", key), at("/state", key));
  return DTYPES.includes(v) ? v : expected(at("/state", key), `one of ${DTYPES.join(", ")}`, v);
}

/** @type {import("../family.js").Reader} */
const read = (state, params, ctx) => {
  const m = ctx.nFeatures;
  const fit = dtype(state, "fit_dtype");
  const objects = fit === "object";
  const kind = dtype(state, "statistics_dtype");
  const p = "/state/statistics";
  const raw = need(state, "/state", "statistics");
  /** @type {(string | number | boolean | null)[]} */
  let stats;
  if (kind === "object") {
    if (!Array.isArray(raw)) return expected(p, "an array", raw);
    if (raw.length !== m) fail(p, `expected ${m} values, found ${raw.length}`);
    stats = raw.map((v, j) => {
      const x = value(v, at(p, j));
      return objects || typeof x === "number" ? x : expected(at(p, j), `a number (fit_dtype is ${fit})`, x);
    });
  } else {
    const a = ndarray(raw, p, "f64", { nonFinite: true });
    checkShape(a, [m], p);
    stats = Array.from(a.data, (x, j) =>
      (kind === "float32" ? Math.fround(x) === x || x !== x : kind === "float64" || Number.isInteger(x)) ? x : expected(at(p, j), `a value of ${kind}`, x),
    );
  }
  if (fit === "float32") stats = stats.map((x) => (typeof x === "number" ? Math.fround(x) : x));
  const keepAll = flag(params, "/params", "keep_empty_features") || (own(state, "fills_nan") !== undefined && flag(state, "/state", "fills_nan"));
  const kept = [...stats.keys()].filter((j) => keepAll || stats[j] === stats[j]);
  const ip = "/state/indicator_features";
  /** @type {ArrayLike<number>} */
  let indicator = [];
  if (flag(params, "/params", "add_indicator")) {
    indicator = ndarray(need(state, "/state", "indicator_features"), ip, "i32").data;
    for (let k = 0, f; k < indicator.length; k++) {
      if ((f = indicator[k]) < 0 || f >= m || (k > 0 && f <= indicator[k - 1])) fail(at(ip, k), `expected increasing feature indices in [0, ${m}), found ${f}`);
    }
  } else if (own(state, "indicator_features") !== undefined) fail(ip, "expected only with add_indicator true");
  const mv = value(need(params, "/params", "missing_values"), "/params/missing_values");
  const nan = mv !== mv;
  const nOut = kept.length + indicator.length;
  return {
    classes: null,
    nOutputs: nOut,
    float32: false,
    allowMissing: nan,
    mixed: objects, // (fitted on numbers, it reads numbers only: rows are checked for that)
    float32Output: fit === "float32",
    transform: (X) => {
      const { data, n } = X;
      const out = [];
      const miss = new Uint8Array(m);
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < m; j++) {
          const x = data[i * m + j];
          miss[j] = +(nan ? x !== x : x === mv);
        }
        for (const j of kept) out.push(miss[j] ? stats[j] : data[i * m + j]);
        for (let k = 0; k < indicator.length; k++) out.push(miss[indicator[k]]);
      }
      return { data: out, n, m: nOut, missing: null };
    },
  };
};

/** Estimators of this family, by public import path. */
export const ESTIMATORS = { "sklearn.impute.SimpleImputer": read };
