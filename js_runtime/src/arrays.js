// @ts-check
/**
 * Numeric array fields: plain nested JSON lists or binary arrays (`{"dtype", "shape",
 * "base64"}`), read into typed arrays with every value checked for its kind, and reusable
 * memory for reading many of them (`Scratch`).
 * @module
 */
import { base64Size, decodeBase64 } from "./base64.js";
import { at, expected, fail } from "./errors.js";
import { integer, isObject, need, string } from "./fields.js";

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

/**
 * Decode a binary array `{"dtype", "shape", "base64"}` of a field of `kind` into a typed array
 * (over its own aligned memory, so the view needs no copy).
 * @param {Record<string, unknown>} v
 * @param {string} pointer
 * @param {Kind} kind
 * @param {number} maxDims
 * @param {Memory} memory
 * @returns {NDArray}
 */
function decodeBinary(v, pointer, kind, maxDims, memory) {
  const dtype = need(v, pointer, "dtype");
  if (dtype !== DTYPE[kind]) expected(at(pointer, "dtype"), `"${DTYPE[kind]}"`, dtype);
  const Ctor = CTORS[kind];
  const sp = at(pointer, "shape");
  const shapeIn = need(v, pointer, "shape");
  if (!Array.isArray(shapeIn) || shapeIn.length < 1 || shapeIn.length > maxDims) {
    expected(sp, maxDims === 1 ? "an array of 1 size" : `an array of 1 to ${maxDims} sizes`, shapeIn);
  }
  const shape = shapeIn.map((s, i) => integer(s, at(sp, i)));
  const count = shape.reduce((a, b) => a * b, 1);
  const bp = at(pointer, "base64");
  const size = Ctor.BYTES_PER_ELEMENT;
  const text = string(need(v, pointer, "base64"), bp);
  for (const key of Object.keys(v)) {
    if (key !== "dtype" && key !== "shape" && key !== "base64") fail(at(pointer, key), "unexpected field in a binary array");
  }
  // Check the size before decoding: a huge shape must not allocate anything.
  const nBytes = base64Size(text, bp);
  if (nBytes !== count * size) fail(bp, `expected ${count * size} bytes for shape [${shape}] of ${dtype}, found ${nBytes}`);
  const buffer = memory(nBytes);
  decodeBase64(text, bp, new Uint8Array(buffer, 0, nBytes));
  if (LITTLE_ENDIAN || size === 1) return { data: new Ctor(buffer, 0, count), shape };
  // Big-endian host: read each value explicitly as little-endian.
  const view = new DataView(buffer);
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
  const shape = [v.length];
  // Only lists of lists are looked into (reading elements of lists of numbers here as well
  // would make V8 convert every list read here to one representation, a copy of each).
  /** @type {unknown} */
  let cur = v;
  while (shape.length < maxDims && Array.isArray((cur = /** @type {unknown[]} */ (cur)[0]))) shape.push(cur.length);
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
    const x = list[i];
    // (NaN or an infinity where nonFinite: read back from a non-strict JSON parser, kept as is)
    if (typeof x === "number" && (x - x === 0 || nonFinite)) {
      out[first + i] = x;
    } else if (nonFinite && typeof x === "string" && Object.prototype.hasOwnProperty.call(NON_FINITE, x)) {
      out[first + i] = NON_FINITE[/** @type {keyof typeof NON_FINITE} */ (x)];
    } else {
      return i;
    }
  }
  return -1;
}

/**
 * storeFloats for the innermost lists of a nested list (the rows of a tree's `value`). A JS
 * load that sees both lists of small integers and lists of doubles (a classifier's rows are
 * both, e.g. [1, 0, 0] and [0.5, 0.25, 0.25]) makes V8 box what it reads or convert each list
 * to doubles, a copy of each: so a row is copied natively first, and its elements are read by
 * one of two loops, one for rows of integers and one for the others.
 * @param {unknown[]} list
 * @param {Float64Array} out
 * @param {number} first
 * @param {boolean} nonFinite
 */
function storeRow(list, out, first, nonFinite) {
  let integral = true;
  try {
    out.set(/** @type {number[]} */ (list), first);
  } catch {
    integral = false; // a value that no number can be made of: storeFloats reports it
  }
  for (let i = 0; integral && i < list.length; i++) integral = Number.isInteger(out[first + i]);
  if (!integral) return storeFloats(list, out, first, nonFinite);
  for (let i = 0; i < list.length; i++) if (typeof list[i] !== "number") return i;
  return -1;
}

/**
 * Store the values of `list` into `out` from `first` with the function for their kind; return
 * the index of the first bad value, or -1.
 * @param {unknown[]} list
 * @param {Float64Array | Int32Array | Uint8Array} out
 * @param {number} first
 * @param {boolean} row whether `list` is the innermost list of a nested one
 * @param {boolean} nonFinite
 */
function store(list, out, first, row, nonFinite) {
  if (out instanceof Float64Array) return row ? storeRow(list, out, first, nonFinite) : storeFloats(list, out, first, nonFinite);
  return out instanceof Int32Array ? storeInts(list, out, first) : storeFlags(list, out, first);
}

/**
 * Store the integers of `list` into `out` from `first`; return the index of the first value that
 * is not one, or -1: any integer below 2**53 in magnitude (a safe integer), as the Python reader
 * takes, clamped to the int32 range (so an out-of-range child or feature index stays out of range and is
 * reported; a meaningless one at a leaf is accepted).
 * @param {unknown[]} list
 * @param {Int32Array} out
 * @param {number} first
 */
function storeInts(list, out, first) {
  for (let i = 0; i < list.length; i++) {
    const x = list[i];
    if (typeof x !== "number" || !Number.isSafeInteger(x)) return i;
    out[first + i] = x > INT32_MAX ? INT32_MAX : x < -INT32_MAX - 1 ? -INT32_MAX - 1 : x;
  }
  return -1;
}

/**
 * Store the 0/1 flags of `list` into `out` from `first`; return the index of the first value
 * that is not one, or -1.
 * @param {unknown[]} list
 * @param {Uint8Array} out
 * @param {number} first
 */
function storeFlags(list, out, first) {
  for (let i = 0; i < list.length; i++) {
    const x = list[i];
    if (x !== 0 && x !== 1) return i;
    out[first + i] = x;
  }
  return -1;
}

/**
 * @typedef {(bytes: number) => ArrayBuffer} Memory
 * Gives an ArrayBuffer of at least `bytes` for a result (see {@link Scratch}).
 */

/** @type {Memory} */
const fresh = (bytes) => new ArrayBuffer(bytes);

/**
 * Memory reused from one call to the next, one growing buffer per name: reading tree after tree
 * through it allocates next to nothing, which keeps the garbage collector (and its walks over
 * the whole parsed document) away.
 */
export class Scratch {
  constructor() {
    /** @type {Map<string, ArrayBuffer>} */
    this.buffers = new Map();
  }

  /**
   * Memory for `name`: the same buffer on every call, replaced by a larger one when too small.
   * @param {string} name
   * @returns {Memory}
   */
  memory(name) {
    return (bytes) => {
      let b = this.buffers.get(name);
      if (!b || b.byteLength < bytes) this.buffers.set(name, (b = new ArrayBuffer(Math.max(bytes, 2 * (b?.byteLength ?? 0)))));
      return b;
    };
  }
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
 * @param {number} [opts.maxDims] most dimensions accepted (default 1, at most 3)
 * @param {boolean} [opts.nonFinite] accept "Infinity", "-Infinity", "NaN" (floats only)
 * @param {Memory} [opts.memory] where the values go (default: new memory)
 * @returns {NDArray}
 */
export function ndarray(v, pointer, kind, { maxDims = 1, nonFinite = false, memory = fresh } = {}) {
  if (isObject(v)) {
    // A binary array (of the field's dtype, so already integral where it must be): check the
    // values in place, without a copy.
    const { data, shape } = decodeBinary(v, pointer, kind, maxDims, memory);
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
  /**
   * The list at `depth` whose first value is flat index `first`, checked to be as long as the
   * first one at its depth.
   * @param {unknown} list
   * @param {number} depth
   * @param {number} first
   */
  const sized = (list, depth, first) => {
    if (!Array.isArray(list)) expected(ptr(first, depth), `an array of ${shape[depth]} entries (shape [${shape}])`, list);
    if (list.length !== shape[depth]) fail(ptr(first, depth), `expected ${shape[depth]} entries, found ${list.length}`);
    return list;
  };
  // Every list's length is checked before the memory its shape asks for is taken: a long
  // first row must not size memory for rows that the text does not hold.
  for (let i = 0; last > 0 && i < shape[0]; i++) {
    const sub = sized(v[i], 1, i * strides[0]);
    for (let j = 0; last > 1 && j < shape[1]; j++) sized(sub[j], 2, i * strides[0] + j * strides[1]);
  }
  const Ctor = CTORS[kind];
  const count = shape.reduce((a, b) => a * b, 1);
  const data = new Ctor(memory(count * Ctor.BYTES_PER_ELEMENT), 0, count);
  /**
   * Store an innermost list (checked above), whose first value is data[first].
   * @param {unknown[]} list
   * @param {number} first
   */
  const fill = (list, first) => {
    const bad = store(list, data, first, last > 0, nonFinite);
    if (bad >= 0) {
      const x = list[bad];
      expected(ptr(first + bad, shape.length), Array.isArray(x) ? `a number, not an array nested ${shape.length + 1} deep`
        : kind === "u8" ? "0 or 1" : kind === "i32" ? "an integer" : typeof x === "number" ? "a finite number"
        : nonFinite ? 'a number (or "Infinity", "-Infinity", "NaN")' : "a number", x);
    }
  };
  // The rectangular list, in order: one, two or three levels (maxDims <= 3).
  if (last === 0) fill(v, 0);
  for (let i = 0; last > 0 && i < shape[0]; i++) {
    const sub = /** @type {unknown[]} */ (v[i]);
    if (last === 1) fill(sub, i * strides[0]);
    else for (let j = 0; j < shape[1]; j++) fill(/** @type {unknown[]} */ (sub[j]), i * strides[0] + j * strides[1]);
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
    fail(pointer, `expected shape [${shape}], found [${a.shape}]`);
  }
  return a;
}
