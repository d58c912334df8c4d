// @ts-check
/**
 * Helpers shared by every model family: errors that carry a JSON Pointer, reading fields and
 * numeric arrays (plain nested lists or base64 binary arrays), input rows, and the few
 * numerical functions whose order of operations must follow numpy/scipy/scikit-learn.
 *
 * Nothing here uses a Node-only API: the same file runs in browsers.
 * @module
 */
import { loneSurrogate } from "./json.js";

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
 * A string as JSON text, cut to 60 characters (the last three "...") when longer.
 * @param {string} s
 */
export function quote(s) {
  return s.length > 60 ? `${JSON.stringify(s.slice(0, 57)).slice(0, -1)}..."` : JSON.stringify(s);
}

/**
 * What a found value is, for error messages (never the whole value): `the string "3.8"`,
 * `the number 3`, `true`, `null`, `an array`, `an object`, `nothing` (missing).
 * @param {unknown} v
 */
export function show(v) {
  if (v === undefined) return "nothing";
  if (Array.isArray(v)) return "an array";
  if (typeof v === "object" && v !== null) return "an object";
  if (typeof v === "string") return `the string ${quote(v)}`;
  if (typeof v === "number") return `the number ${v}`; // NaN, Infinity, 1e+39 as JavaScript writes them
  return typeof v === "boolean" || v === null ? String(v) : `a ${typeof v}`;
}

/**
 * Throw "expected ..., found ...".
 * @param {string} pointer
 * @param {string} what
 * @param {unknown} found
 * @returns {never}
 */
export function expected(pointer, what, found) {
  return fail(pointer, `expected ${what}, found ${show(found)}`);
}

/**
 * Levenshtein distance between `a` and `b`.
 * @param {string} a
 * @param {string} b
 */
function distance(a, b) {
  let prev = [...Array(b.length + 1).keys()];
  for (let i = 0; i < a.length; i++) {
    const cur = [i + 1];
    for (let j = 0; j < b.length; j++) cur.push(Math.min(prev[j + 1] + 1, cur[j] + 1, prev[j] + +(a[i] !== b[j])));
    prev = cur;
  }
  return prev[b.length];
}

/**
 * The candidate nearest to `name` by edit distance (Levenshtein), when at most
 * max(2, name.length / 3) edits away (the first of equally near ones); else undefined. What
 * "did you mean" suggests, for estimators, keys and feature names alike. (Names over 1000
 * characters get no suggestion: comparing them would take too long.)
 * @param {string} name
 * @param {Iterable<string>} candidates
 */
export function closest(name, candidates) {
  let limit = Math.max(2, name.length / 3);
  /** @type {string | undefined} */
  let best;
  for (const c of candidates) {
    const d = Math.abs(c.length - name.length) > limit || name.length > 1e3 ? limit + 1 : distance(name, c);
    if (d <= limit) {
      best = c;
      limit = d - 0.5; // then only a nearer one
    }
  }
  return best;
}

/**
 * Keys the runtime reads that are near misses of another key it reads in the same object (a
 * tree's children, a state's estimators and their count): never offered for each other. No
 * other key the runtime reads is that near another of its object, nor is any other field of
 * the format near a key the runtime needs (test/messages.test.js deletes every key of every
 * fixture and checks that nothing is suggested).
 */
const SIBLINGS = ["children_left", "children_right", "estimators", "n_estimators"];

/**
 * The value of the required key `key` of the object at `pointer`. When it is missing, the error
 * points at a key of the object that the runtime does not read and is a near miss of it
 * (`/state/n_feature_in: unknown key; did you mean "n_features_in"?`), or else at the object
 * (`/state: missing key "n_features_in"`).
 * @param {Record<string, unknown>} obj
 * @param {string} pointer
 * @param {string} key
 */
export function need(obj, pointer, key) {
  const v = own(obj, key);
  if (v !== undefined) return v;
  const near = closest(key, Object.keys(obj).filter((k) => !SIBLINGS.includes(k)));
  return near === undefined
    ? fail(pointer, `missing key ${JSON.stringify(key)}`)
    : fail(at(pointer, near), `unknown key; did you mean ${JSON.stringify(key)}?`);
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
  if (typeof v !== "number" || !Number.isFinite(v)) expected(pointer, typeof v === "number" ? "a finite number" : "a number", v);
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

/**
 * `s`, unless it holds a lone surrogate (which no UTF-8 text, numpy string or Python file
 * name can hold): JSON text can write one (`"\ud800"`), and JSON.parse keeps it.
 * @param {string} s
 * @param {string} pointer
 */
export function unicode(s, pointer) {
  const c = loneSurrogate(s);
  if (c) fail(pointer, `expected Unicode text, found a lone surrogate (U+${c.charCodeAt(0).toString(16).toUpperCase()})`);
  return s;
}

/**
 * @typedef {object} Place
 * A value met by {@link refuseLoneSurrogates}: its pointer is built only on failure.
 * @property {any} value
 * @property {Place | null} up the container's place (null at the root)
 * @property {string | number} key its key in the container
 */

/**
 * Refuse a lone surrogate in any string of `doc`, key or value, at its place: in the order
 * Python's reader looks (each object's or array's own entries, then the containers among them,
 * last first), so that both name the same place. Iterative: any depth of nesting.
 * @param {unknown} doc
 */
export function refuseLoneSurrogates(doc) {
  /** @type {Place[]} */
  const stack = typeof doc === "object" && doc !== null ? [{ value: doc, up: null, key: "" }] : [];
  for (let place; (place = stack.pop()); ) {
    const node = place.value;
    const keys = Array.isArray(node) ? null : Object.keys(node);
    const n = keys ? keys.length : node.length;
    for (let i = 0; i < n; i++) {
      const key = keys ? keys[i] : i;
      const value = node[key];
      const text = keys && loneSurrogate(keys[i]) ? keys[i] : typeof value === "string" && loneSurrogate(value) ? value : "";
      if (text) {
        const path = [key];
        for (let p = place; p.up; p = p.up) path.push(p.key);
        unicode(text, path.reverse().reduce(at, ""));
      }
      if (typeof value === "object" && value !== null) stack.push({ value, up: place, key });
    }
  }
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

/** Base64 text is turned into bytes this many characters at a time (a multiple of 4). */
const CHUNK = 1 << 16;
const CHARS = new Uint8Array(CHUNK);
const ENCODER = new TextEncoder();

/**
 * Decode standard padded base64 (RFC 4648 section 4: `+`, `/`, `=` padding, no whitespace) to
 * bytes, into `out` when given (of at least the decoded size). A table decoder over the text's
 * UTF-8 bytes, taken a chunk at a time: no `Buffer` (browsers have none), stricter than `atob`
 * (which accepts whitespace and missing padding), faster than `atob` or `charCodeAt` loops, and
 * no copy of the whole text.
 * @param {string} text
 * @param {string} pointer
 * @param {Uint8Array} [out]
 */
export function decodeBase64(text, pointer, out) {
  const n = base64Size(text, pointer);
  const bytes = out ?? new Uint8Array(n);
  const len = text.length;
  for (let start = 0, j = 0; start < len; start += CHUNK) {
    const { read, written } = ENCODER.encodeInto(text.slice(start, start + CHUNK), CHARS);
    if (written !== Math.min(CHUNK, len - start) || read !== written) {
      fail(pointer, "expected standard padded base64 text (non-ASCII character)"); // it takes 2 or more bytes
    }
    // "A" (0) in place of the padding, whose bits are dropped
    if (start + written === len && n % 3) CHARS[written - 1] = CHARS[written - 3 + (n % 3)] = 65;
    for (let i = 0; i < written; i += 4) {
      const a = B64[CHARS[i]];
      const b = B64[CHARS[i + 1]];
      const c = B64[CHARS[i + 2]];
      const d = B64[CHARS[i + 3]];
      if ((a | b | c | d) < 0) {
        fail(pointer, `expected standard padded base64 text (bad character in ${JSON.stringify(text.slice(start + i, start + i + 4))})`);
      }
      const v = (a << 18) | (b << 12) | (c << 6) | d;
      if (j + 3 <= n) {
        bytes[j] = v >> 16;
        bytes[j + 1] = v >> 8;
        bytes[j + 2] = v;
        j += 3;
      } else {
        bytes[j++] = v >> 16;
        if (j < n) bytes[j++] = v >> 8;
      }
    }
  }
  return bytes;
}

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
 * is not one, or -1: any integer up to 2**53 in magnitude, as the Python reader takes, clamped
 * to the int32 range (so an out-of-range child or feature index stays out of range and is
 * reported; a meaningless one at a leaf is accepted).
 * @param {unknown[]} list
 * @param {Int32Array} out
 * @param {number} first
 */
function storeInts(list, out, first) {
  for (let i = 0; i < list.length; i++) {
    const x = list[i];
    if (typeof x !== "number" || !(Number.isInteger(x) && Math.abs(x) <= 2 ** 53)) return i;
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

/**
 * @typedef {number | string | boolean} Label
 * A class label as scikit-learn stores it in `classes_`.
 */

/** Most characters a list of string labels may take, each padded to the longest (as numpy holds them). */
const MAX_LABEL_CHARACTERS = 2 ** 24;

/**
 * A list of unique class labels, all numbers, all strings or all booleans, that every reader
 * holds exactly (the Python package's rules): numbers finite and below 2**53 in magnitude
 * (beyond, float64 cannot tell neighbouring integers apart), strings without U+0000 (numpy
 * drops a trailing one) and Unicode text, at most MAX_LABEL_CHARACTERS padded to the longest.
 * @param {unknown} v
 * @param {string} pointer
 * @returns {Label[]}
 */
export function labels(v, pointer) {
  if (!Array.isArray(v) || v.length < 1) expected(pointer, "a non-empty array of class labels", v);
  const seen = new Set();
  const type = typeof v[0];
  let longest = 0;
  v.forEach((c, i) => {
    const t = typeof c;
    const p = at(pointer, i);
    if (t !== "string" && t !== "boolean" && t !== "number") expected(p, "a number, string or boolean label", c);
    if (t !== type) expected(p, `a ${type} label like the first one`, c);
    if (t === "number" && !(Math.abs(c) < 2 ** 53)) {
      expected(p, Number.isFinite(c) ? "a label below 2**53 in magnitude (beyond, JavaScript cannot tell neighbouring integers apart)" : "a finite number", c);
    }
    if (t === "string") {
      if (unicode(c, p).includes("\0")) expected(p, "a label without U+0000 (NUL)", c);
      longest = Math.max(longest, c.length);
    }
    const key = `${t}:${c}`;
    if (seen.has(key)) fail(p, `duplicate class label ${t === "string" ? quote(c) : c}`);
    seen.add(key);
  });
  if (longest * v.length > MAX_LABEL_CHARACTERS) {
    fail(pointer, `these labels are ${v.length} of up to ${longest} characters: more than ${MAX_LABEL_CHARACTERS} characters padded to the longest, as numpy holds them`);
  }
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
 * @property {number[]} data row-major values (as float32 for tree models), NaN where missing
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
 * @param {unknown} X
 * @param {number} m number of features
 * @param {string[] | null} names feature names, or null
 * @param {boolean} float32 round values to float32
 * @param {boolean} allowMissing whether the model accepts missing values
 * @returns {Input}
 */
export function readRows(X, m, names, float32, allowMissing) {
  if (!Array.isArray(X)) throw new TypeError(`X: expected an array of rows, found ${show(X)}`);
  const n = X.length;
  /** @type {number[]} */
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
      }
      // numpy would reject it (infinite, or too large for float32 where trees compare float32).
      badRow(`X row ${i}, feature ${named ? JSON.stringify(/** @type {string[]} */ (names)[j]) : j}`, `expected ${
        x === null || x !== x ? "a number (this model accepts no missing values)"
        : typeof x !== "number" ? (allowMissing ? "a number or null" : "a number")
        : Number.isFinite(x) ? "a number within float32 range (tree models compare float32)" : "a finite number"}, found ${show(x)}`);
    }
  }
  return { data, n, m, missing };
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
