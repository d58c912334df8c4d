// @ts-check
/**
 * Rows in and out: the caller's `X` (arrays, typed arrays or objects keyed by feature name)
 * checked and copied into one flat array, and flat results back into plain arrays of rows.
 * @module
 */
import { closest, show } from "./errors.js";
import { isObject } from "./fields.js";

/**
 * Rows of a float64 matrix (or of a transformer's values) as plain arrays (what callers and
 * JSON.stringify expect).
 * @param {Float64Array | any[]} data
 * @param {number} n rows
 * @param {number} m columns
 * @param {number} [stride] distance between rows (default m)
 * @param {number} [offset]
 * @returns {number[][]}
 */
export function rowsOf(data, n, m, stride = m, offset = 0) {
  const out = new Array(n);
  for (let i = 0; i < n; i++) {
    /** @type {number[]} */
    const row = [];
    for (let j = 0, at = offset + i * stride; j < m; j++) row.push(data[at + j]);
    out[i] = row;
  }
  return out;
}

/**
 * @typedef {object} Input
 * @property {any[]} data row-major values (as float32 for tree models), NaN where missing;
 *   numbers only, or also strings for a `mixed` family (pipelines, encoders, imputers)
 * @property {number} n number of rows
 * @property {number} m number of features
 * @property {Uint8Array | null} missing 1 for each row with a missing value; null when none has
 */

/**
 * Check and copy the rows `X` into one flat array (a plain array: small typed arrays cost more
 * to allocate than a whole single-row prediction).
 *
 * A row is an array (or typed array) of `m` numbers, `null`/`NaN` for a missing value, or,
 * when `names` is given, an object keyed by feature name (other keys are ignored, such as a
 * database row's `id`). With `float32`, every value is rounded to float32 exactly as numpy's
 * `astype(float32)` does, which is what tree models compare.
 *
 * With `mixed` (pipelines, encoders, imputers), a value may also be a string, kept as it is
 * (a category); `null` and `NaN` are both NaN, the one missing value (pandas' reading of an
 * empty cell).
 *
 * @param {unknown} X
 * @param {number} m number of features
 * @param {string[] | null} names feature names, or null
 * @param {boolean} float32 round values to float32
 * @param {boolean} allowMissing whether the model accepts missing values
 * @param {boolean} [mixed] whether strings are values
 * @returns {Input}
 */
export function readRows(X, m, names, float32, allowMissing, mixed = false) {
  if (!Array.isArray(X)) throw new TypeError(`X: expected an array of rows, found ${show(X)}`);
  const n = X.length;
  /** @type {any[]} */
  const data = [];
  /** @type {Uint8Array | null} */
  let missing = null;
  for (let i = 0; i < n; i++) {
    const row = X[i];
    /** @type {ArrayLike<unknown>} */
    let values;
    let named = false;
    if (Array.isArray(row) || (ArrayBuffer.isView(row) && !(row instanceof DataView))) {
      values = /** @type {ArrayLike<unknown>} */ (row);
      if (values.length !== m) badRow(`X row ${i}`, `expected ${m} values, found ${values.length}`);
    } else if (names && isObject(row)) {
      values = byName(row, names, i);
      named = true;
    } else {
      return badRow(`X row ${i}`, `expected an array of ${m} numbers${names ? " or an object keyed by feature name" : ""}, found ${show(row)}`);
    }
    for (let j = 0; j < m; j++) {
      const x = values[j];
      if (typeof x === "number" && x - x === 0) {
        const v = float32 ? Math.fround(x) : x;
        data.push(v);
        if (v - v === 0) continue;
      } else if (allowMissing && (x === null || x !== x)) {
        data.push(NaN);
        (missing ??= new Uint8Array(n))[i] = 1;
        continue;
      } else if (mixed && typeof x === "string") {
        data.push(x);
        continue;
      }
      badValue(i, named ? JSON.stringify(/** @type {string[]} */ (names)[j]) : j, x, allowMissing, mixed);
    }
  }
  return { data, n, m, missing };
}

/**
 * The rows `X` (a step's output, already checked as rows) as a model that takes numbers only
 * (unless `mixed`) expects them: the same checks and float32 rounding as {@link readRows}.
 * @param {Input} X
 * @param {boolean} float32
 * @param {boolean} allowMissing
 * @param {boolean} mixed
 * @returns {Input}
 */
export function conform(X, float32, allowMissing, mixed) {
  const { data: values, n, m } = X;
  /** @type {unknown[]} */
  const data = new Array(values.length);
  /** @type {Uint8Array | null} */
  let missing = null;
  for (let k = 0; k < values.length; k++) {
    const x = values[k];
    if (typeof x === "number" && x === x) {
      const v = float32 ? Math.fround(x) : x;
      data[k] = v;
      if (v - v === 0) continue;
    } else if (allowMissing && x !== x) {
      data[k] = NaN;
      (missing ??= new Uint8Array(n))[Math.floor(k / m)] = 1;
      continue;
    } else if (mixed && typeof x === "string") {
      data[k] = x;
      continue;
    }
    badValue(Math.floor(k / m), k % m, x, allowMissing, mixed);
  }
  return { data, n, m, missing };
}

/**
 * Throw the TypeError for a value numpy would reject (a string for a numeric model, a missing
 * value where none is allowed, an infinity, or a number beyond float32 where trees compare
 * float32).
 * @param {number} i row
 * @param {number | string} feature its index, or its name as JSON
 * @param {unknown} x
 * @param {boolean} allowMissing
 * @param {boolean} mixed
 * @returns {never}
 */
function badValue(i, feature, x, allowMissing, mixed) {
  return badRow(`X row ${i}, feature ${feature}`, `expected ${
    x === null || x !== x ? "a number (this model accepts no missing values)"
    : typeof x !== "number" ? (mixed ? "a number, a string or null" : allowMissing ? "a number or null" : "a number")
    : Number.isFinite(x) ? "a number within float32 range (tree models compare float32)" : "a finite number"}, found ${show(x)}`);
}

/**
 * The values of a row given as an object keyed by feature name, in feature order; other keys
 * are ignored.
 * @param {Record<string, unknown>} row
 * @param {string[]} names
 * @param {number} i row index, for errors
 */
function byName(row, names, i) {
  return names.map((name) => {
    if (Object.prototype.hasOwnProperty.call(row, name)) return row[name];
    const known = new Set(names); // (not names.includes per key: rows and names may both be long)
    const near = closest(name, Object.keys(row).filter((k) => !known.has(k)));
    return badRow(`X row ${i}`, `missing feature ${JSON.stringify(name)}${near === undefined ? "" : `; did you mean ${JSON.stringify(near)}?`}`);
  });
}

/**
 * Throw the TypeError for bad input at `where`.
 * @param {string} where
 * @param {string} msg
 * @returns {never}
 */
function badRow(where, msg) {
  throw new TypeError(`${where}: ${msg}`);
}

/**
 * The numbers of `X` (a pipeline's earlier step may hand over strings), checked as
 * scikit-learn's `check_array` does: NaN only where `allowMissing`, never an infinity.
 * @param {Input} X
 * @param {boolean} allowMissing
 * @returns {number[]}
 */
export function numbers(X, allowMissing) {
  const { data, m } = X;
  for (let k = 0; k < data.length; k++) {
    const x = data[k];
    if (typeof x !== "number" || (x - x !== 0 && !(allowMissing && x !== x))) {
      badRow(`X row ${Math.floor(k / m)}, feature ${k % m}`, `expected ${allowMissing ? "a number" : "a finite number"}, found ${show(x)}`);
    }
  }
  return /** @type {number[]} */ (data);
}
