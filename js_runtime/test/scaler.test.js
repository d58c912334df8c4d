// Families `scaler` and `polynomial`: hand-written documents, valid and invalid (refused with the
// JSON Pointer of the bad place), and the rows a transform refuses (TypeError naming the row and
// the feature). Agreement with scikit-learn on real data is the cross-language suite's.
import { test } from "node:test";
import assert from "node:assert/strict";
import { InvalidModelError, loadModel } from "../src/index.js";
import * as scaler from "../src/models/scaler.js";
import * as polynomial from "../src/models/polynomial.js";
import { rejects } from "./fixtures.js";

const READERS = { ...scaler.ESTIMATORS, ...polynomial.ESTIMATORS };

const doc = (name, params, state) => ({
  format: "json-models",
  format_version: "1.2",
  estimator: `sklearn.preprocessing.${name}`,
  params,
  state: { n_features_in: 3, ...state },
});
const standard = () => doc("StandardScaler", { copy: true, with_mean: true, with_std: true },
  { mean: [1, 2, 3], var: [4, 1, 1], scale: [2, 1, 1], n_samples_seen: 10 });
const minMax = () => doc("MinMaxScaler", { copy: true, feature_range: { tuple: [-1, 1] }, clip: true },
  { scale: [0.5, 1, 2], min: [0, -1, 0.25], data_min: [0, 1, -0.125], data_max: [4, 3, 0.875], data_range: [4, 2, 1], n_samples_seen: 5 });
const maxAbs = () => doc("MaxAbsScaler", { copy: true }, { max_abs: [2, 4, 1], scale: [2, 4, 1], n_samples_seen: 5 });
const robust = () => doc("RobustScaler", { with_centering: false, with_scaling: true, quantile_range: { tuple: [25, 75] } },
  { center: null, scale: [1, 2, 4] });
const normalizer = (norm) => doc("Normalizer", { copy: true, norm }, {});
const poly = (params, n) => doc("PolynomialFeatures", { degree: 2, include_bias: true, interaction_only: false, order: "C", ...params },
  { n_output_features: n });

/** The transform of a document, through the model where index.js exposes it, else the reader. */
function transform(d, rows) {
  const model = loadModel(d);
  if (model.transform) return model.transform(rows);
  const parts = READERS[d.estimator](d.state, d.params, { nFeatures: d.state.n_features_in, estimator: d.estimator });
  const m = d.state.n_features_in;
  const out = parts.transform({ data: rows.flat().map((x) => (x === null ? NaN : x)), n: rows.length, m, missing: null });
  return Array.from({ length: out.n }, (_, i) => out.data.slice(i * out.m, (i + 1) * out.m));
}

test("scalers apply scikit-learn's operations, following the parameters", () => {
  assert.deepEqual(transform(standard(), [[3, 2, NaN]]), [[1, 0, NaN]]);
  const noMean = standard();
  noMean.params.with_mean = false; // (mean_ is still there, as scikit-learn keeps it)
  assert.deepEqual(transform(noMean, [[3, 2, 1]]), [[1.5, 2, 1]]);
  noMean.params.with_std = false;
  noMean.state.scale = null;
  noMean.state.var = null;
  assert.deepEqual(transform(noMean, [[3, 2, 1]]), [[3, 2, 1]]);
  // x * scale + min, then clipped to [-1, 1] (NaN stays NaN).
  assert.deepEqual(transform(minMax(), [[1, 2, -0.125], [100, -5, NaN], [-0, 1, 0]]), [[0.5, 1, 0], [1, -1, NaN], [0, 0, 0.25]]);
  assert.deepEqual(transform(maxAbs(), [[-4, 2, 0.5]]), [[-2, 0.5, 0.5]]);
  const clipped = maxAbs();
  clipped.params.clip = true;
  assert.deepEqual(transform(clipped, [[-4, 2, 0.5], [-0, NaN, 3]]), [[-1, 0.5, 0.5], [-0, NaN, 1]]); // (-0 stays -0, as in numpy's clip)
  assert.deepEqual(transform(robust(), [[1, 1, 1]]), [[1, 0.5, 0.25]]);
});

test("Normalizer: l1, l2, max; a zero row stays zero", () => {
  assert.deepEqual(transform(normalizer("l1"), [[1, -3, 0], [0, 0, 0]]), [[0.25, -0.75, 0], [0, 0, 0]]);
  assert.deepEqual(transform(normalizer("l2"), [[3, 0, -4]]), [[0.6, 0, -0.8]]);
  assert.deepEqual(transform(normalizer("max"), [[1, -4, 2]]), [[0.25, -1, 0.5]]);
  assert.throws(() => transform(normalizer("l2"), [[1, null, 2]]), TypeError);
});

test("PolynomialFeatures builds scikit-learn's columns in its order", () => {
  // 1, a, b, c, a², ab, ac, b², bc, c²
  assert.deepEqual(transform(poly({}, 10), [[2, 3, 5]]), [[1, 2, 3, 5, 4, 6, 10, 9, 15, 25]]);
  assert.deepEqual(transform(poly({ interaction_only: true, include_bias: false }, 6), [[2, 3, 5]]), [[2, 3, 5, 6, 10, 15]]);
  // degrees 2..3 with the bias: 1, then a² ... c² and the ten cubes in order
  const y = transform(poly({ degree: { tuple: [2, 3] } }, 17), [[2, 3, 5]]);
  assert.deepEqual(y[0].slice(0, 8), [1, 4, 6, 10, 9, 15, 25, 8]);
  assert.equal(y[0][16], 125);
  assert.deepEqual(transform(poly({ degree: 0 }, 1), [[2, 3, 5]]), [[1]]);
  assert.deepEqual(transform(poly({ degree: [3, 3], interaction_only: true, include_bias: false }, 1), [[2, 3, 5]]), [[30]]);
});

test("invalid scaler documents are refused at the bad place", () => {
  rejects(standard, (d) => d.state.scale.pop(), "/state/scale", /expected shape \[3\], found \[2\]/);
  rejects(standard, (d) => (d.state.mean[1] = "NaN"), "/state/mean/1", /expected a number/);
  rejects(standard, (d) => (d.state.mean = { dtype: "float64", shape: [3], base64: "AAAAAAAA8D8AAAAAAAD4fwAAAAAAAPA/" }), "/state/mean/base64 (value 1)", /finite/);
  rejects(standard, (d) => (d.state.mean = null), "/state/mean", /expected an array/);
  rejects(standard, (d) => delete d.state.scale, "/state/scale", /found nothing/);
  rejects(standard, (d) => (d.params.with_std = "yes"), "/params/with_std", /true or false/);
  rejects(minMax, (d) => (d.state.min = [[0, 1, 2]]), "/state/min/0", /not an array/);
  rejects(minMax, (d) => (d.params.feature_range = { tuple: [1, 0] }), "/params/feature_range", /min < max/);
  rejects(minMax, (d) => (d.params.feature_range = { tuple: [0, "1"] }), "/params/feature_range/tuple/1");
  rejects(robust, (d) => (d.params.with_centering = true), "/state/center", /found null/);
  rejects(() => normalizer("l3"), () => {}, "/params/norm");
});

test("invalid polynomial documents are refused at the bad place, without hanging", () => {
  rejects(() => poly({}, 11), () => {}, "/state/n_output_features", /expected 10 for 3 features/);
  rejects(() => poly({ degree: { tuple: [3, 2] } }, 1), () => {}, "/params/degree");
  rejects(() => poly({ degree: -1 }, 1), () => {}, "/params/degree");
  rejects(() => poly({ degree: 0, include_bias: false }, 1), () => {}, "/params/degree");
  rejects(() => poly({ degree: 1e15 }, 1), () => {}, "/state/n_output_features", /at most/);
  rejects(() => poly({ degree: 1000 }, 1), () => {}, "/state/n_output_features", /at most/);
  rejects(() => poly({}, "10"), () => {}, "/state/n_output_features");
  // interaction_only: no degree beyond the number of features adds a column.
  assert.doesNotThrow(() => loadModel(poly({ degree: 1e15, interaction_only: true }, 8)));
});

test("a value of the wrong kind is a TypeError naming the row and the feature", () => {
  const parts = READERS["sklearn.preprocessing.StandardScaler"](standard().state, standard().params, { nFeatures: 3, estimator: "" });
  const input = { data: [1, 2, 3, 4, "abc", 6], n: 2, m: 3, missing: null };
  assert.throws(() => parts.transform(input), { name: "TypeError", message: 'X row 1, feature 1: expected a number, found the string "abc"' });
  const p = READERS["sklearn.preprocessing.PolynomialFeatures"](poly({}, 10).state, poly({}, 10).params, { nFeatures: 3, estimator: "" });
  assert.throws(() => p.transform({ data: [1, 2, NaN], n: 1, m: 3, missing: null }), { name: "TypeError", message: "X row 0, feature 2: expected a finite number, found the number NaN" });
  assert.equal(p.allowMissing, false);
  assert.equal(parts.allowMissing, true);
});

test("a huge number of features is refused before any memory is taken for it", () => {
  const d = poly({ degree: 1 }, 2 ** 31);
  d.state.n_features_in = 2 ** 31 - 1;
  rejects(() => d, () => {}, "/state/n_output_features", /at most/);
});
