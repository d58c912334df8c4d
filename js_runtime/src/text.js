// @ts-check
/**
 * The strings of a document: every one Unicode text (no lone surrogate, which JSON text can
 * write and JSON.parse keeps), and those a model holds as they are, class labels and feature
 * names, exactly as every reader (the Python package's rules) holds them.
 * @module
 */
import { at, expected, fail, quote } from "./errors.js";
import { string } from "./fields.js";
import { loneSurrogate } from "./json.js";

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
      expected(p, Number.isFinite(c) ? "a label below 2**53 in magnitude" : "a finite number", c);
    }
    if (t === "string") {
      if (unicode(c, p).includes("\0")) expected(p, "a label without U+0000", c);
      // (in characters, as numpy counts them: a pair of surrogates is one)
      longest = Math.max(longest, c.length - (c.match(/[\udc00-\udfff]/g)?.length ?? 0));
    }
    const key = `${t}:${c}`;
    if (seen.has(key)) fail(p, `duplicate class label ${t === "string" ? quote(c) : c}`);
    seen.add(key);
  });
  if (longest * v.length > MAX_LABEL_CHARACTERS) {
    fail(pointer, `expected at most ${MAX_LABEL_CHARACTERS} characters of labels, padded to the longest`);
  }
  return v;
}

/**
 * `state.feature_names_in`: absent (null), or `nFeatures` unique strings of Unicode text
 * without U+0000 (which numpy drops at the end of a string).
 * @param {unknown} v
 * @param {number} nFeatures
 * @returns {string[] | null}
 */
export function readFeatureNames(v, nFeatures) {
  if (v === undefined) return null;
  const p = "/state/feature_names_in";
  if (!Array.isArray(v) || v.length !== nFeatures) expected(p, `an array of ${nFeatures} feature names`, v);
  const seen = new Set();
  v.forEach((name, i) => {
    const pi = at(p, i);
    if (unicode(string(name, pi), pi).includes("\0")) expected(pi, "a name without U+0000", name);
    if (seen.has(name)) fail(pi, `duplicate feature name ${quote(name)}`);
    seen.add(name);
  });
  return v;
}
