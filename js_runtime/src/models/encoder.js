// @ts-check
/**
 * Family `encoder`: OneHotEncoder and OrdinalEncoder.
 *
 * Each value is looked up among its feature's categories as scikit-learn does: a string
 * matches only the same string ("1" is not 1), a number the same number, NaN (`null` or NaN
 * in the caller's rows) the NaN category. A feature whose categories have a numeric dtype
 * takes numbers only: a string there is a TypeError. Python's `None` as a category cannot be
 * given from JavaScript (a missing value is NaN), so no input matches it.
 *
 * Infrequent categories (min_frequency, max_categories) share one index after the frequent
 * ones. OrdinalEncoder: that index; `encoded_missing_value` for the NaN category,
 * `unknown_value` for an unknown one. OneHotEncoder: a 1 in the column of that index, less
 * the dropped one (whose rows are all zeros); an unknown value is all zeros ("ignore"), or
 * the infrequent column where the feature has one ("infrequent_if_exist"), or an error, as
 * `state.handle_unknown` says (params' "warn" encodes as one of the first two). Outputs are
 * exact small integers (or NaN) in every `dtype`, and dense rows.
 * @module
 */
import { ndarray } from "../arrays.js";
import { at, expected, fail, quote, show } from "../errors.js";
import { isObject, need, object, own, string } from "../fields.js";
import { value } from "../params.js";

/**
 * @typedef {object} Feature
 * @property {Map<unknown, number>} index category -> its index (NaN as a key finds NaN)
 * @property {number} n number of categories
 * @property {boolean} numeric an integer or float dtype: numbers only
 * @property {boolean} nan whether the last category is NaN
 * @property {(string | number)[]} shown the categories the page offers
 * @property {Int32Array | null} group index -> index after grouping (null: none infrequent)
 * @property {number} width number of categories after grouping
 */

/**
 * One feature's categories, `{"dtype", "values", "nan"}`.
 * @param {unknown} v
 * @param {string} p
 * @returns {Feature}
 */
function categories(v, p) {
  const c = object(v, p);
  const dtype = string(need(c, p, "dtype"), at(p, "dtype"));
  const kind = (/^[<>|=]?([iu][1248]|f[48]|U[1-9][0-9]{0,8}|O)$/.exec(dtype) ?? expected(at(p, "dtype"), 'a numpy dtype of categories ("|O", "<U5", "<i8", "<f8", ...)', dtype))[1][0];
  const numeric = "iuf".includes(kind);
  const vp = at(p, "values");
  const values = need(c, p, "values");
  if (!Array.isArray(values)) return expected(vp, "an array", values);
  const nan = own(c, "nan") ?? false;
  if (typeof nan !== "boolean") expected(at(p, "nan"), "true or false", nan);
  if (nan && kind !== "f" && kind !== "O") fail(at(p, "nan"), `a NaN category needs a float or object dtype, not ${dtype}`);
  const index = new Map();
  /** @type {(string | number)[]} */
  const shown = [];
  const kinds = new Set();
  values.forEach((x, k) => {
    const t = x === null ? kind === "O" && "null" : typeof x === "string" ? !numeric && "string"
      : typeof x === "number" && kind !== "U" && (kind === "f" || kind === "O" || Number.isInteger(x)) && "number";
    if (!t) expected(at(vp, k), numeric ? (kind === "f" ? "a number" : "an integer") : kind === "U" ? "a string" : "a string, a number or null", x);
    if (numeric && k && !(/** @type {number} */ (values[k - 1]) < /** @type {number} */ (x))) fail(at(vp, k), "expected categories in increasing order");
    if (index.has(x)) fail(vp, "expected unique categories");
    index.set(x, k);
    kinds.add(t);
    if (x !== null) shown.push(x);
  });
  if (kinds.has("string") && kinds.has("number")) fail(vp, "expected categories that are all strings or all numbers");
  index.delete(null); // (None: never an input from JavaScript)
  if (nan) index.set(NaN, values.length);
  const n = values.length + +nan;
  if (!n) fail(vp, "expected at least one category");
  return { index, n, numeric, nan, shown, group: null, width: n };
}

/**
 * Group a feature's infrequent categories (`indices`, increasing, among its first `n`).
 * @param {Feature} f
 * @param {unknown} v
 * @param {string} p
 * @param {number} n
 */
function group(f, v, p, n) {
  if (v === null) return;
  const { data } = ndarray(v, p, "i32");
  if (!data.length) fail(p, "expected null or at least one index");
  const map = new Int32Array(n).fill(-1);
  const width = n - data.length;
  data.forEach((k, i) => {
    if (k < 0 || k >= n || (i && k <= data[i - 1])) fail(at(p, i), `expected increasing category indices in [0, ${n - 1}], found ${k}`);
    map[k] = width;
  });
  for (let k = 0, j = 0; k < n; k++) if (map[k] < 0) map[k] = j++;
  f.group = map;
  f.width = width + 1 + f.n - n;
}

/**
 * A parameter that is an integer or NaN (`{"float": "NaN"}`).
 * @param {Record<string, unknown>} params
 * @param {string} key
 */
function code(params, key) {
  const v = value(need(params, "/params", key), at("/params", key));
  if (Number.isInteger(v) || v !== v) return /** @type {number} */ (v);
  return expected(at("/params", key), 'an integer or {"float": "NaN"}', v);
}

/** @type {import("../family.js").Reader} */
const read = (state, params, ctx) => {
  const m = ctx.nFeatures;
  const ordinal = ctx.estimator.endsWith("OrdinalEncoder");
  const p = "/state/categories";
  const raw = need(state, "/state", "categories");
  if (!Array.isArray(raw) || raw.length !== m) return expected(p, `an array of ${m} entries`, raw);
  const features = raw.map((v, j) => categories(v, at(p, j)));
  const infrequent = own(state, "infrequent");
  if (infrequent !== undefined) {
    if (!Array.isArray(infrequent) || infrequent.length !== m) expected("/state/infrequent", `an array of ${m} entries`, infrequent);
    // (OrdinalEncoder never groups its NaN category.)
    features.forEach((f, j) => group(f, infrequent[j], at("/state/infrequent", j), f.n - +(ordinal && f.nan)));
  }
  // (OneHotEncoder: as its writer encoded unknown values, whose handle_unknown="warn" differs
  // across scikit-learn versions.)
  const [from, where] = ordinal ? [params, "/params"] : [state, "/state"];
  const up = at(where, "handle_unknown");
  const unknown = string(need(from, where, "handle_unknown"), up);
  if (!(ordinal ? ["error", "use_encoded_value"] : ["error", "ignore", "infrequent_if_exist"]).includes(unknown)) {
    expected(up, "a handle_unknown this encoder takes", unknown);
  }
  const unknownValue = unknown === "use_encoded_value" ? code(params, "unknown_value") : 0;
  const missingValue = ordinal ? code(params, "encoded_missing_value") : 0;
  const drops = ordinal ? null : need(state, "/state", "drop_idx");
  if (drops !== null && (!Array.isArray(drops) || drops.length !== m)) expected("/state/drop_idx", `null or an array of ${m} entries`, drops);
  /** @type {number[]} dropped column of each feature after grouping, -1: none */
  const drop = features.map((f, j) => {
    const d = drops?.[j] ?? null;
    if (d === null) return -1;
    if (!Number.isInteger(d) || d < 0 || d >= f.n) expected(at("/state/drop_idx", j), `null or a category index in [0, ${f.n - 1}]`, d);
    return f.group ? f.group[d] : d;
  });
  /** @type {number[]} first output column of each feature */
  const offset = [];
  let width = 0;
  features.forEach((f, j) => {
    offset.push(width);
    width += ordinal ? 1 : f.width - +(drop[j] >= 0);
  });

  /**
   * The index of row i's value x among feature j's categories, -1 if unknown.
   * @param {unknown} x
   * @param {number} i
   * @param {number} j
   */
  const find = (x, i, j) => {
    const f = features[j];
    if (typeof x === "string" && f.numeric) throw new TypeError(`X row ${i}, feature ${j}: expected a number, found ${show(x)}`);
    const k = f.index.get(x);
    if (k !== undefined) return k;
    if (unknown === "error") throw new Error(`X row ${i}, feature ${j}: unknown category ${typeof x === "string" ? quote(x) : x}`);
    return -1;
  };

  /** @param {import("../rows.js").Input} X */
  const transform = (X) => {
    const { data, n } = X;
    const out = new Array(n * width).fill(0);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < m; j++) {
        const f = features[j];
        const k = find(data[i * m + j], i, j);
        if (ordinal) {
          out[i * width + j] = k < 0 ? unknownValue : f.nan && k === f.n - 1 ? missingValue : f.group ? f.group[k] : k;
          continue;
        }
        // Unknown: all zeros, or the infrequent column ("infrequent_if_exist").
        if (k < 0 && (unknown === "ignore" || !f.group)) continue;
        const g = k < 0 ? f.width - 1 : f.group ? f.group[k] : k;
        const d = drop[j];
        if (g !== d) out[i * width + offset[j] + g - +(d >= 0 && g > d)] = 1;
      }
    }
    return { data: out, n, m: width, missing: null };
  };
  return {
    classes: null,
    nOutputs: width,
    float32: false,
    allowMissing: true,
    mixed: true,
    transform,
    inputCategories: features.map((f) => f.shown),
    float32Output: /float(32|16)/.test(JSON.stringify(own(params, "dtype") ?? "")),
  };
};

/** Estimators of this family, by public import path. */
export const ESTIMATORS = {
  "sklearn.preprocessing.OneHotEncoder": read,
  "sklearn.preprocessing.OrdinalEncoder": read,
};
