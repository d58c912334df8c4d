// @ts-check
/**
 * Errors that carry a JSON Pointer, and the words every message uses: where (`at`), what was
 * found (`show`, `quote`), what was expected (`expected`) and "did you mean" (`closest`).
 *
 * Imports nothing: every other module may import it.
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
    /** What was expected (the message without the pointer). */
    this.detail = message;
    /** Whether `pointer` is from the whole document's root (set where steps are read). */
    this.rooted = false;
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
