// @ts-check
/**
 * Reading `params` (`get_params(deep=False)` as the Python package writes them): an absent
 * parameter is scikit-learn's default, and a value JSON has no word for is an object of one
 * tagged key: `{"float": "NaN" | "Infinity" | "-Infinity"}`, `{"tuple": [...]}`.
 * @module
 */
import { at, expected } from "./errors.js";
import { finite, isObject, need, own } from "./fields.js";

/** @type {Record<string, number>} */
const NON_FINITE = { NaN: NaN, Infinity: Infinity, "-Infinity": -Infinity };

/**
 * A parameter: `fallback` (its default) when absent.
 * @param {Record<string, unknown>} params
 * @param {string} key
 * @param {unknown} fallback
 */
export function param(params, key, fallback) {
  const v = own(params, key);
  return v === undefined ? fallback : v;
}

/**
 * A boolean field of `obj` (at `pointer`): required, or `fallback` when absent.
 * @param {Record<string, unknown>} obj
 * @param {string} pointer
 * @param {string} key
 * @param {boolean} [fallback]
 */
export function flag(obj, pointer, key, fallback) {
  const v = fallback === undefined ? need(obj, pointer, key) : param(obj, key, fallback);
  return typeof v === "boolean" ? v : expected(at(pointer, key), "true or false", v);
}

/**
 * A scalar as parameters (and object statistics) write it: a JSON scalar, or a non-finite
 * float as `{"float": "NaN"}`.
 * @param {unknown} v
 * @param {string} pointer
 * @returns {string | number | boolean | null}
 */
export function value(v, pointer) {
  if (v === null || typeof v === "string" || typeof v === "boolean" || typeof v === "number") return v;
  const name = isObject(v) && Object.keys(v).length === 1 ? own(v, "float") : undefined;
  if (name === undefined) return expected(pointer, 'a string, number, boolean, null or {"float": "NaN"}', v);
  return typeof name === "string" && own(NON_FINITE, name) !== undefined ? NON_FINITE[name] : expected(at(pointer, "float"), '"NaN", "Infinity" or "-Infinity"', name);
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
