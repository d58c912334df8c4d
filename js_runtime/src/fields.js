// @ts-check
/**
 * Reading the fields of a parsed document: an object's own keys (`need` names a near miss of
 * a missing key), and scalars of the right type (`finite`, `integer`, `string`).
 * @module
 */
import { at, closest, expected, fail } from "./errors.js";

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
