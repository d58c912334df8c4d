// SimpleImputer in the runtime: hand-written invalid documents refused with the JSON Pointer,
// input of the wrong kind refused naming row and feature, and transform on small documents.
// (Agreement with scikit-learn, bit for bit, is tested from Python: tests/test_imputer.py.)
import { test } from "node:test";
import assert from "node:assert/strict";
import { InvalidModelError, loadModel } from "../src/index.js";
import { envelope, rejects } from "./fixtures.js";

const NAN = { float: "NaN" };

/** A mean imputer of 3 numeric features with the indicator (features 0 and 2 had gaps). */
function numeric() {
  return envelope(
    "sklearn.impute.SimpleImputer",
    { add_indicator: true, copy: true, fill_value: null, keep_empty_features: false, missing_values: NAN, strategy: "mean" },
    { n_features_in: 3, fit_dtype: "float64", statistics_dtype: "float64", statistics: [1.5, 2.5, 3.5], indicator_features: [0, 2] },
  );
}

/** A most-frequent imputer of 2 object features, "?" marking missing values. */
function strings() {
  return envelope(
    "sklearn.impute.SimpleImputer",
    { add_indicator: false, copy: true, fill_value: null, keep_empty_features: false, missing_values: "?", strategy: "most_frequent" },
    { n_features_in: 2, fit_dtype: "object", statistics_dtype: "object", statistics: ["Paris", 3], feature_names_in: ["city", "n"] },
  );
}

test("transform fills, drops and indicates as scikit-learn", () => {
  const m = loadModel(numeric());
  assert.equal(m.nOutputs, 5);
  assert.deepEqual(m.transform([[NaN, 7, null], [1, 2, 3]]), [[1.5, 7, 3.5, 1, 1], [1, 2, 3, 0, 0]]);
  const dropped = numeric();
  dropped.state.statistics = [1.5, "NaN", 3.5]; // no observed value of feature 1
  assert.deepEqual(loadModel(dropped).transform([[NaN, NaN, 3]]), [[1.5, 3, 1, 0]]);
  dropped.params.keep_empty_features = true;
  dropped.state.statistics = [1.5, 0, 3.5];
  assert.deepEqual(loadModel(dropped).transform([[NaN, NaN, 3]]), [[1.5, 0, 3, 1, 0]]);
  const s = loadModel(strings());
  assert.deepEqual(s.transform([["?", "?"], ["Lyon", "1"], [{ city: "Nice", n: 2 }][0]]), [["Paris", 3], ["Lyon", "1"], ["Nice", 2]]);
  const f32 = numeric();
  f32.state.fit_dtype = "float32";
  assert.equal(loadModel(f32).transform([[NaN, 0, 0]])[0][0], 1.5);
  f32.state.statistics = [0.1, 0, 0];
  assert.equal(loadModel(f32).transform([[NaN, 0, 0]])[0][0], Math.fround(0.1)); // (from 1.8)
});

test("input of the wrong kind is a TypeError naming row and feature", () => {
  const m = loadModel(numeric());
  assert.throws(() => m.transform([[1, 2, 3], [1, "abc", 3]]), { name: "TypeError", message: /^X row 1, feature 1: expected a number.*, found the string "abc"$/ });
  const s = loadModel(strings());
  assert.throws(() => s.transform([["Paris", 1], ["Lyon", null]]), { name: "TypeError", message: /^X row 1, feature 1: .*no missing values/ });
  assert.throws(() => s.transform([{ city: NaN, n: 1 }]), { name: "TypeError", message: /^X row 0, feature "city": / });
  assert.throws(() => s.transform([["Paris", true]]), { name: "TypeError", message: /^X row 0, feature 1: .*found true/ });
});

test("invalid documents are refused with the pointer of the bad place", () => {
  rejects(numeric, (d) => d.state.statistics.pop(), "/state/statistics", /expected shape \[3\], found \[2\]/);
  rejects(numeric, (d) => (d.state.statistics[1] = "x"), "/state/statistics/1");
  rejects(numeric, (d) => delete d.state.statistics, "/state", /missing key "statistics"/);
  rejects(numeric, (d) => (d.state.fit_dtype = "complex128"), "/state/fit_dtype", /expected one of float64/);
  rejects(numeric, (d) => (d.state.statistics_dtype = "int64"), "/state/statistics/0", /a value of int64/);
  rejects(numeric, (d) => Object.assign(d.state, { statistics_dtype: "float32", statistics: [1.5, 0.1, 1] }), "/state/statistics/1");
  rejects(numeric, (d) => Object.assign(d.state, { statistics_dtype: "object", statistics: [1, "a", 2] }), "/state/statistics/1", /a number \(fit_dtype is float64\)/);
  rejects(numeric, (d) => (d.state.indicator_features = [0, 3]), "/state/indicator_features/1", /\[0, 3\)/);
  rejects(numeric, (d) => (d.state.indicator_features = [2, 0]), "/state/indicator_features/1", /increasing/);
  rejects(numeric, (d) => (d.state.indicator_features = [0.5]), "/state/indicator_features/0");
  rejects(numeric, (d) => delete d.state.indicator_features, "/state", /missing key "indicator_features"/);
  rejects(numeric, (d) => (d.params.add_indicator = false), "/state/indicator_features", /only with add_indicator/);
  rejects(numeric, (d) => (d.params.add_indicator = 1), "/params/add_indicator", /true or false/);
  rejects(numeric, (d) => (d.params.keep_empty_features = "no"), "/params/keep_empty_features", /true or false/);
  rejects(numeric, (d) => (d.state.fills_nan = 0), "/state/fills_nan", /true or false/);
  rejects(numeric, (d) => (d.params.missing_values = { float: "nan" }), "/params/missing_values/float");
  rejects(numeric, (d) => (d.params.missing_values = [1]), "/params/missing_values", /found an array/);
  rejects(strings, (d) => (d.state.statistics[0] = { float: "NaN", extra: 1 }), "/state/statistics/0");
  rejects(strings, (d) => (d.state.statistics = { a: 1 }), "/state/statistics", /expected an array/);
  rejects(strings, (d) => (d.state.statistics = ["Paris"]), "/state/statistics", /expected 2 values, found 1/);
});
