// @ts-check
/**
 * Helpers shared by every model family: errors that carry a JSON Pointer, reading fields and
 * numeric arrays (plain nested lists or base64 binary arrays), input rows, and the few
 * numerical functions whose order of operations must follow numpy/scipy/scikit-learn.
 *
 * Nothing here uses a Node-only API: the same file runs in browsers.
 * @module
 */

/** A document that is not valid. The message starts with the JSON Pointer of the bad place. */
export class InvalidModelError extends Error {
  /**
   * @param {string} pointer JSON Pointer of the offending place ("" for the whole document)
   * @param {string} message what was expected
   */
  constructor(pointer, message) {
    super(`${pointer || "/"}: ${message}`);
    this.name = "InvalidModelError";
    /** JSON Pointer of the offending place. */
    this.pointer = pointer;
  }
}

/** A document whose format major version this runtime does not read. */
export class UnsupportedVersionError extends InvalidModelError {
  /**
   * @param {string} pointer
   * @param {string} message
   */
  constructor(pointer, message) {
    super(pointer, message);
    this.name = "UnsupportedVersionError";
  }
}

/**
 * Throw an {@link InvalidModelError} for `pointer`.
 * @param {string} pointer
 * @param {string} message
 * @returns {never}
 */
export function fail(pointer, message) {
  throw new InvalidModelError(pointer, message);
}

/**
 * Append one reference token to a JSON Pointer (RFC 6901 escaping).
 * @param {string} pointer
 * @param {string | number} key
 */
export function at(pointer, key) {
  return `${pointer}/${String(key).replace(/~/g, "~0").replace(/\//g, "~1")}`;
}

/**
 * Short description of a JSON value for error messages (never the whole value).
 * @param {unknown} v
 */
function show(v) {
  if (v === undefined) return "nothing";
  if (Array.isArray(v)) return "an array";
  if (typeof v === "object" && v !== null) return "an object";
  if (typeof v === "function" || typeof v === "symbol") return `a ${typeof v}`;
  const s = typeof v === "string" ? JSON.stringify(v) : String(v); // numbers as NaN, Infinity, 1e+39
  return s.length > 40 ? `${s.slice(0, 37)}...` : s;
}

/**
 * Throw "expected ..., got ...".
 * @param {string} pointer
 * @param {string} what
 * @param {unknown} got
 * @returns {never}
 */
export function expected(pointer, what, got) {
  return fail(pointer, `expected ${what}, got ${show(got)}`);
}

/**
 * @param {unknown} v
 * @returns {v is Record<string, unknown>}
 */
export function isObject(v) {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/**
 * The object at `pointer`, or throw.
 * @param {unknown} v
 * @param {string} pointer
 * @returns {Record<string, unknown>}
 */
export function object(v, pointer) {
  if (!isObject(v)) expected(pointer, "an object", v);
  return v;
}

/**
 * An own property of `obj`: never an inherited one such as `constructor`.
 * @param {Record<string, unknown>} obj
 * @param {string} key
 */
export function own(obj, key) {
  return Object.prototype.hasOwnProperty.call(obj, key) ? obj[key] : undefined;
}

/**
 * A finite JSON number.
 * @param {unknown} v
 * @param {string} pointer
 */
export function finite(v, pointer) {
  if (typeof v !== "number" || !Number.isFinite(v)) expected(pointer, "a finite number", v);
  return v;
}

/**
 * An integer in [min, max].
 * @param {unknown} v
 * @param {string} pointer
 * @param {number} [min]
 * @param {number} [max]
 */
export function integer(v, pointer, min = 0, max = 2 ** 31 - 1) {
  if (!Number.isInteger(v) || /** @type {number} */ (v) < min || /** @type {number} */ (v) > max) {
    expected(pointer, `an integer in [${min}, ${max}]`, v);
  }
  return /** @type {number} */ (v);
}

/**
 * A string.
 * @param {unknown} v
 * @param {string} pointer
 */
export function string(v, pointer) {
  if (typeof v !== "string") expected(pointer, "a string", v);
  return v;
}

/** Where the document writes a non-finite float, it writes one of these strings. */
const NON_FINITE = { Infinity: Infinity, "-Infinity": -Infinity, NaN: NaN };

/**
 * @typedef {"f64" | "i32" | "u8"} Kind
 * What a numeric field holds: float64 (`f64`), int32 (`i32`) or a 0/1 flag (`u8`).
 */

/**
 * @typedef {object} NDArray
 * @property {Float64Array | Int32Array | Uint8Array} data C-order values
 * @property {number[]} shape
 */

const INT32_MAX = 2 ** 31 - 1;
const CTORS = { f64: Float64Array, i32: Int32Array, u8: Uint8Array };
/** The dtype a binary array must have in a field of each kind. */
const DTYPE = { f64: "float64", i32: "int32", u8: "uint8" };

/** True where typed arrays are little-endian, which is every engine in practice. */
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Value of each base64 character (RFC 4648 section 4) by byte, -1 for any other byte. */
const B64 = new Int8Array(256).fill(-1);
for (let i = 0; i < 64; i++) B64["ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".charCodeAt(i)] = i;

/**
 * Number of bytes that base64 `text` holds; throws unless its length is a multiple of 4.
 * @param {string} text
 * @param {string} pointer
 */
function base64Size(text, pointer) {
  if (text.length % 4 !== 0) fail(pointer, "expected standard padded base64 text (length not a multiple of 4)");
  return (text.length / 4) * 3 - (text.endsWith("==") ? 2 : text.endsWith("=") ? 1 : 0);
}

/**
 * Decode standard padded base64 (RFC 4648 section 4: `+`, `/`, `=` padding, no whitespace) to
 * bytes. A table decoder over the text's UTF-8 bytes: no `Buffer` (browsers have none), stricter
 * than `atob` (which accepts whitespace and missing padding), and tens of megabytes a second
 * faster than either `atob` or `charCodeAt` loops.
 * @param {string} text
 * @param {string} pointer
 */
export function decodeBase64(text, pointer) {
  const n = base64Size(text, pointer);
  const chars = new TextEncoder().encode(text); // any non-ASCII character becomes bytes >= 128
  const len = chars.length;
  if (len !== text.length) fail(pointer, "expected standard padded base64 text (non-ASCII character)");
  if (n % 3) chars[len - 1] = chars[len - 3 + (n % 3)] = 65; // "A" (0) for the padding, whose bits are dropped
  const out = new Uint8Array(n);
  let j = 0;
  for (let i = 0; i < len; i += 4) {
    const a = B64[chars[i]];
    const b = B64[chars[i + 1]];
    const c = B64[chars[i + 2]];
    const d = B64[chars[i + 3]];
    if ((a | b | c | d) < 0) fail(pointer, `expected standard padded base64 text (bad character in ${JSON.stringify(text.slice(i, i + 4))})`);
    const v = (a << 18) | (b << 12) | (c << 6) | d;
    if (j + 3 <= n) {
      out[j++] = v >> 16;
      out[j++] = (v >> 8) & 255;
      out[j++] = v & 255;
    } else {
      out[j++] = v >> 16;
      if (j < n) out[j++] = (v >> 8) & 255;
    }
  }
  return out;
}

/**
 * Decode a binary array `{"dtype", "shape", "base64"}` of a field of `kind` into a typed array
 * (its own, aligned buffer, so the view needs no copy).
 * @param {Record<string, unknown>} v
 * @param {string} pointer
 * @param {Kind} kind
 * @param {number} maxDims
 * @returns {NDArray}
 */
function decodeBinary(v, pointer, kind, maxDims) {
  for (const key of Object.keys(v)) {
    if (key !== "dtype" && key !== "shape" && key !== "base64") fail(at(pointer, key), "unexpected field in a binary array");
  }
  const dtype = own(v, "dtype");
  if (dtype !== DTYPE[kind]) expected(at(pointer, "dtype"), `"${DTYPE[kind]}"`, dtype);
  const Ctor = CTORS[kind];
  const sp = at(pointer, "shape");
  const shapeIn = own(v, "shape");
  if (!Array.isArray(shapeIn) || shapeIn.length < 1 || shapeIn.length > maxDims) {
    expected(sp, maxDims === 1 ? "an array of 1 size" : `an array of 1 to ${maxDims} sizes`, shapeIn);
  }
  const shape = shapeIn.map((s, i) => integer(s, at(sp, i)));
  const count = shape.reduce((a, b) => a * b, 1);
  const bp = at(pointer, "base64");
  const size = Ctor.BYTES_PER_ELEMENT;
  const text = string(own(v, "base64"), bp);
  // Check the size before decoding: a huge shape must not allocate anything.
  const nBytes = base64Size(text, bp);
  if (nBytes !== count * size) fail(bp, `expected ${count * size} bytes for shape [${shape}] of ${dtype}, got ${nBytes}`);
  const bytes = decodeBase64(text, bp);
  if (LITTLE_ENDIAN || size === 1) return { data: new Ctor(bytes.buffer), shape };
  // Big-endian host: read each value explicitly as little-endian.
  const view = new DataView(bytes.buffer);
  const data = new Ctor(count);
  for (let i = 0; i < count; i++) {
    data[i] = size === 8 ? view.getFloat64(i * 8, true) : view.getInt32(i * 4, true);
  }
  return { data, shape };
}

/**
 * Shape of a plain nested list, read along its first elements (at most `maxDims` deep).
 * @param {unknown[]} v
 * @param {number} maxDims
 */
function listShape(v, maxDims) {
  const shape = [];
  /** @type {unknown} */
  let cur = v;
  while (Array.isArray(cur) && shape.length < maxDims) {
    shape.push(cur.length);
    cur = cur[0];
  }
  return shape;
}

/**
 * Store the numbers of `list` into `out` from `first`; return the index of the first value that
 * is not a finite number (or a non-finite string where `nonFinite`), or -1. One small function
 * per element type keeps the hot loop monomorphic.
 * @param {unknown[]} list
 * @param {Float64Array} out
 * @param {number} first
 * @param {boolean} nonFinite
 */
function storeFloats(list, out, first, nonFinite) {
  for (let i = 0; i < list.length; i++) {
    let x = list[i];
    if (typeof x !== "number" || x - x !== 0) {
      if (typeof x === "number" && nonFinite) {
        // NaN or an infinity read back from a non-strict JSON parser: kept as is
      } else if (nonFinite && typeof x === "string" && Object.prototype.hasOwnProperty.call(NON_FINITE, x)) {
        x = NON_FINITE[/** @type {keyof typeof NON_FINITE} */ (x)];
      } else {
        return i;
      }
    }
    out[first + i] = /** @type {number} */ (x);
  }
  return -1;
}

/**
 * Store the integers of `list` into `out` from `first`; return the index of the first value that
 * is not one, or -1. Int32Array: any integer up to 2**53 in magnitude, as the Python reader
 * takes, clamped to the int32 range (so an out-of-range child or feature index stays out of
 * range and is reported; a meaningless one at a leaf is accepted). Uint8Array: 0 or 1.
 * @param {unknown[]} list
 * @param {Int32Array | Uint8Array} out
 * @param {number} first
 */
function storeInts(list, out, first) {
  const flags = out instanceof Uint8Array;
  for (let i = 0; i < list.length; i++) {
    const x = list[i];
    if (typeof x !== "number" || !(flags ? x === 0 || x === 1 : Number.isInteger(x) && Math.abs(x) <= 2 ** 53)) return i;
    out[first + i] = x > INT32_MAX ? INT32_MAX : x < -INT32_MAX - 1 ? -INT32_MAX - 1 : x;
  }
  return -1;
}

/**
 * Read a numeric array field written either as a plain (nested) JSON list or as a binary
 * array (whose dtype is fixed by `kind`), check every value for `kind` (finite unless
 * `nonFinite`), and return it flat in C order with its shape.
 *
 * @param {unknown} v the field's value
 * @param {string} pointer where it is
 * @param {Kind} kind what each value must be
 * @param {object} [opts]
 * @param {number} [opts.maxDims] most dimensions accepted (default 1)
 * @param {boolean} [opts.nonFinite] accept "Infinity", "-Infinity", "NaN" (floats only)
 * @returns {NDArray}
 */
export function ndarray(v, pointer, kind, { maxDims = 1, nonFinite = false } = {}) {
  if (isObject(v)) {
    // A binary array (of the field's dtype, so already integral where it must be): check the
    // values in place, without a copy.
    const { data, shape } = decodeBinary(v, pointer, kind, maxDims);
    for (let i = 0; i < data.length; i++) {
      const x = data[i];
      if (kind === "u8" ? x > 1 : kind === "f64" && !nonFinite && x - x !== 0) {
        expected(`${at(pointer, "base64")} (value ${i})`, kind === "u8" ? "0 or 1" : "a finite number", x);
      }
    }
    return { data, shape };
  }
  if (!Array.isArray(v)) return expected(pointer, "an array or a binary array object", v);
  const shape = listShape(v, maxDims);
  const last = shape.length - 1;
  const strides = shape.map((_, d) => shape.slice(d + 1).reduce((a, b) => a * b, 1));
  // Pointer of the item at `depth` that holds flat index i (built only for error messages).
  const ptr = (/** @type {number} */ i, /** @type {number} */ depth) =>
    strides.slice(0, depth).reduce((p, s, d) => at(p, Math.floor(i / s) % shape[d]), pointer);
  const data = new CTORS[kind](shape.reduce((a, b) => a * b, 1));
  // Walk the rectangular list with an explicit stack (depth <= maxDims, no recursion), checking
  // and storing the values of each innermost list.
  /** @type {[unknown, number, number][]} list, its depth, flat index of its first value */
  const stack = [[v, 0, 0]];
  while (stack.length) {
    const [node, depth, first] = /** @type {[unknown, number, number]} */ (stack.pop());
    if (!Array.isArray(node) || node.length !== shape[depth]) {
      expected(ptr(first, depth), `an array of ${shape[depth]} items (shape [${shape}])`, node);
    }
    if (depth < last) {
      for (let i = node.length - 1; i >= 0; i--) stack.push([node[i], depth + 1, first + i * strides[depth]]);
      continue;
    }
    const bad = data instanceof Float64Array ? storeFloats(node, data, first, nonFinite) : storeInts(node, data, first);
    if (bad >= 0) {
      const x = node[bad];
      expected(ptr(first + bad, shape.length), Array.isArray(x) ? `a number, not an array nested ${shape.length + 1} deep`
        : typeof x !== "number" ? "a finite number" : kind === "u8" ? "0 or 1" : "an integer", x);
    }
  }
  return { data, shape };
}

/**
 * Check that an array has the expected shape.
 * @param {NDArray} a
 * @param {number[]} shape
 * @param {string} pointer
 */
export function checkShape(a, shape, pointer) {
  if (a.shape.length !== shape.length || a.shape.some((s, i) => s !== shape[i])) {
    fail(pointer, `expected shape [${shape}], got [${a.shape}]`);
  }
  return a;
}

/**
 * @typedef {number | string | boolean} Label
 * A class label as scikit-learn stores it in `classes_`.
 */

/**
 * A list of unique class labels, all numbers, all strings or all booleans.
 * @param {unknown} v
 * @param {string} pointer
 * @returns {Label[]}
 */
export function labels(v, pointer) {
  if (!Array.isArray(v) || v.length < 1) expected(pointer, "a non-empty array of class labels", v);
  const seen = new Set();
  const type = typeof v[0];
  v.forEach((c, i) => {
    const t = typeof c;
    if (t !== "string" && t !== "boolean" && !(t === "number" && Number.isFinite(c))) {
      expected(at(pointer, i), "a number, string or boolean label", c);
    }
    if (t !== type) expected(at(pointer, i), `a ${type} label like the first one`, c);
    const key = `${t}:${c}`;
    if (seen.has(key)) fail(at(pointer, i), `duplicate class label ${JSON.stringify(c)}`);
    seen.add(key);
  });
  return v;
}

/**
 * Index of the first maximum of `a[off .. off+n)` (numpy's argmax, ties to the first).
 * @param {ArrayLike<number>} a
 * @param {number} off
 * @param {number} n
 */
export function argmax(a, off, n) {
  let best = 0;
  for (let j = 1; j < n; j++) if (a[off + j] > a[off + best]) best = j;
  return best;
}

/**
 * scipy.special.expit: 1 / (1 + exp(-x)).
 * @param {number} x
 */
export function expit(x) {
  return 1 / (1 + Math.exp(-x));
}

/**
 * numpy's float64 sum of `a[off .. off+n)`: pairwise summation with blocks of 8, the same
 * association as numpy's `np.sum(X, axis=1)` on a C-contiguous row.
 * @param {ArrayLike<number>} a
 * @param {number} off
 * @param {number} n
 * @returns {number}
 */
export function npSum(a, off, n) {
  if (n < 8) {
    let s = 0;
    for (let i = 0; i < n; i++) s += a[off + i];
    return s;
  }
  if (n <= 128) {
    const r = Array.prototype.slice.call(a, off, off + 8);
    let i = 8;
    for (; i < n - (n % 8); i += 8) for (let j = 0; j < 8; j++) r[j] += a[off + i + j];
    let s = r[0] + r[1] + (r[2] + r[3]) + (r[4] + r[5] + (r[6] + r[7]));
    for (; i < n; i++) s += a[off + i];
    return s;
  }
  let half = Math.floor(n / 2);
  half -= half % 8;
  return npSum(a, off, half) + npSum(a, off + half, n - half);
}

/**
 * scikit-learn's `softmax` (sklearn.utils.extmath) on one row, in place: subtract the row
 * maximum, exponentiate, divide by numpy's sum.
 * @param {Float64Array | number[]} a
 * @param {number} off
 * @param {number} n
 */
export function softmaxInPlace(a, off, n) {
  let max = a[off];
  for (let j = 1; j < n; j++) if (a[off + j] > max) max = a[off + j];
  for (let j = 0; j < n; j++) a[off + j] = Math.exp(a[off + j] - max);
  const sum = npSum(a, off, n);
  for (let j = 0; j < n; j++) a[off + j] /= sum;
}

/**
 * Rows of a float64 matrix as plain arrays (what callers and JSON.stringify expect).
 * @param {Float64Array} data
 * @param {number} n rows
 * @param {number} m columns
 * @param {number} [stride] distance between rows (default m)
 * @param {number} [offset]
 * @returns {number[][]}
 */
export function rowsOf(data, n, m, stride = m, offset = 0) {
  const out = new Array(n);
  for (let i = 0; i < n; i++) out[i] = Array.from(data.subarray(offset + i * stride, offset + i * stride + m));
  return out;
}

/**
 * @typedef {object} Input
 * @property {Float64Array | Float32Array} data row-major values, NaN where missing
 * @property {number} n number of rows
 * @property {number} m number of features
 */

/**
 * Check and copy the rows `X` into one flat typed array.
 *
 * A row is an array (or typed array) of `m` numbers, `null`/`NaN` for a missing value, or,
 * when `names` is given, an object keyed by feature name. `Float32Array` storage rounds every
 * value to float32 exactly as numpy's `astype(float32)` does, which is what tree models compare.
 *
 * @param {unknown} X
 * @param {number} m number of features
 * @param {string[] | null} names feature names, or null
 * @param {Float64ArrayConstructor | Float32ArrayConstructor} Store
 * @param {boolean} allowMissing whether the model accepts missing values
 * @returns {Input}
 */
export function readRows(X, m, names, Store, allowMissing) {
  if (!Array.isArray(X)) throw new TypeError(`X: expected an array of rows, got ${show(X)}`);
  const n = X.length;
  const data = new Store(n * m);
  for (let i = 0; i < n; i++) {
    const row = X[i];
    /** @type {(msg: string) => never} */
    const bad = (msg) => {
      throw new TypeError(`X row ${i}: ${msg}`);
    };
    /** @type {(j: number) => unknown} */
    let get;
    if (Array.isArray(row) || (ArrayBuffer.isView(row) && !(row instanceof DataView))) {
      const r = /** @type {ArrayLike<unknown>} */ (row);
      if (r.length !== m) bad(`expected ${m} values, got ${r.length}`);
      get = (j) => r[j];
    } else if (names && isObject(row)) {
      if (Object.keys(row).length !== m) bad(`expected an object with the ${m} feature names as keys`);
      get = (j) => (Object.prototype.hasOwnProperty.call(row, names[j]) ? row[names[j]] : bad(`missing feature "${names[j]}"`));
    } else {
      return bad(`expected an array of ${m} numbers${names ? " or an object keyed by feature name" : ""}, got ${show(row)}`);
    }
    for (let j = 0; j < m; j++) {
      let x = get(j);
      if (x === null) x = NaN;
      if (typeof x !== "number") bad(`feature ${j}: expected a number or null, got ${show(x)}`);
      data[i * m + j] = x;
      if (Number.isNaN(x)) {
        if (!allowMissing) bad(`feature ${j}: missing value, which this model does not accept`);
      } else if (!Number.isFinite(data[i * m + j])) {
        // numpy would reject it (infinite, or too large for float32 where trees compare float32).
        bad(`feature ${j}: ${x} is not finite${Number.isFinite(x) ? " in float32" : ""}`);
      }
    }
  }
  return { data, n, m };
}

/**
 * @typedef {object} Parts
 * What a family reader builds from a document; `index.js` wraps it into the public model.
 * @property {Label[] | Label[][] | null} classes labels (one list per output for multi-output)
 * @property {number} nOutputs number of outputs (targets)
 * @property {boolean} float32 compare inputs as float32 (trees), else float64
 * @property {boolean} allowMissing whether missing values (null, NaN) are accepted
 * @property {(X: Input) => unknown[]} predict
 * @property {(X: Input) => number[][] | number[][][]} [predictProba]
 * @property {(X: Input) => number[] | number[][]} [decisionFunction]
 */

/**
 * @typedef {object} Context
 * @property {number} nFeatures `state.n_features_in`
 * @property {string} estimator the document's estimator name
 */

/**
 * @typedef {(state: Record<string, unknown>, params: Record<string, unknown>, ctx: Context) => Parts} Reader
 * Reads one estimator's `state` and `params` (at `/state` and `/params`).
 */
