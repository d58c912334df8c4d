// Family `naive_bayes`: hand-written documents, valid (predictions worked out by hand) and
// invalid (refused with the JSON Pointer of the bad place). Agreement with scikit-learn on real
// data is the cross-language suite's (tests/test_cross_language.py, tests/test_naive_bayes.py).
import { test } from "node:test";
import assert from "node:assert/strict";
import { loadModel } from "../src/index.js";
import { envelope, rejects } from "./fixtures.js";

const nb = (name, params, state) => envelope(`sklearn.naive_bayes.${name}`, params, { n_features_in: 2, ...state });
const gaussian = () => nb("GaussianNB", { priors: null, var_smoothing: 1e-9 }, {
  classes: ["a", "b"], theta: [[0, 0], [1, 1]], var: [[1, 1], [1, 1]], class_prior: [0.5, 0.5], class_count: [2, 2], epsilon: 1e-9,
});
const discrete = (name, params, state) => nb(name, { alpha: 1, fit_prior: true, class_prior: null, force_alpha: true, ...params }, {
  classes: [0, 1], class_log_prior: [Math.log(0.5), Math.log(0.5)], class_count: [2, 2], feature_count: [[1, 3], [2, 2]], ...state,
});
const multinomial = () => discrete("MultinomialNB", {}, { feature_log_prob: [[Math.log(0.25), Math.log(0.75)], [Math.log(0.5), Math.log(0.5)]] });
const complement = () => discrete("ComplementNB", { norm: false }, { feature_log_prob: [[1, 0], [0, 1]], class_log_prior: [0, -100], feature_all: [3, 5] });
const bernoulli = (binarize = 0.5) => discrete("BernoulliNB", { binarize }, { feature_log_prob: [[Math.log(0.8), Math.log(0.2)], [Math.log(0.3), Math.log(0.6)]] });

/** Assert rows of probabilities equal `expected` within a few ulp. */
function near(actual, expected) {
  assert.equal(actual.length, expected.length);
  actual.forEach((row, i) => row.forEach((p, j) => assert.ok(Math.abs(p - expected[i][j]) < 1e-15, `${p} vs ${expected[i][j]}`)));
}

test("GaussianNB: Gaussian log-likelihoods plus log priors", () => {
  const model = loadModel(gaussian());
  assert.deepEqual(model.predict([[0, 0], [1, 1], [0.4, 0.7], [0.4, 0.6]]), ["a", "b", "b", "a"]);
  // ([0.4, 0.6] is as far from both means: a tie, to the first class.)
  const e = Math.exp(-1); // one squared unit of distance more for "b" at the origin
  near(model.predictProba([[0, 0], [1, 1]]), [[1 / (1 + e), e / (1 + e)], [e / (1 + e), 1 / (1 + e)]]);
  const skewed = gaussian();
  skewed.state.class_prior = [0, 1]; // a class of prior 0 is never predicted
  assert.deepEqual(loadModel(skewed).predict([[0, 0]]), ["b"]);
  assert.deepEqual(loadModel(skewed).predictProba([[0, 0]]), [[0, 1]]);
});

test("MultinomialNB: X . feature_log_prob + class_log_prior; negative X is taken as scikit-learn's predict takes it", () => {
  const model = loadModel(multinomial());
  assert.deepEqual(model.predict([[1, 0], [0, 3], [-1, 0]]), [1, 0, 0]);
  near(model.predictProba([[1, 0]]), [[1 / 3, 2 / 3]]);
  const zero = multinomial();
  zero.state.class_log_prior = ["-Infinity", 0];
  assert.deepEqual(loadModel(zero).predictProba([[0, 3]]), [[0, 1]]);
});

test("ComplementNB adds class_log_prior for a single class only", () => {
  const model = loadModel(complement());
  assert.deepEqual(model.predict([[2, 1], [0, 1]]), [0, 1]);
  near(model.predictProba([[2, 1]]), [[Math.E / (1 + Math.E), 1 / (1 + Math.E)]]);
  const single = complement();
  Object.assign(single.state, { classes: [7], feature_log_prob: [[1, 2]], class_log_prior: [-1], class_count: [4], feature_count: [[3, 5]] });
  assert.deepEqual(loadModel(single).predict([[1, 1]]), [7]);
  assert.deepEqual(loadModel(single).predictProba([[1, 1]]), [[1]]);
});

test("BernoulliNB binarizes X (x > binarize), or takes it as it is (binarize null)", () => {
  // [1, 0]: class 0 has 0.5 * 0.8 * (1 - 0.2) = 0.32, class 1 has 0.5 * 0.3 * (1 - 0.6) = 0.06
  const expected = [[0.32 / 0.38, 0.06 / 0.38]];
  near(loadModel(bernoulli()).predictProba([[0.7, 0.5]]), expected);
  near(loadModel(bernoulli(null)).predictProba([[1, 0]]), expected);
  assert.deepEqual(loadModel(bernoulli()).predict([[0.7, 0.1], [0, 3]]), [0, 1]);
});

test("invalid naive Bayes documents are refused at the bad place", () => {
  rejects(gaussian, (d) => (d.state.var[1][0] = -1), "/state/var/1/0", /expected a positive variance, found the number -1/);
  rejects(gaussian, (d) => (d.state.var[0][1] = 0), "/state/var/0/1", /positive variance/);
  rejects(gaussian, (d) => d.state.var.pop(), "/state/var", /expected shape \[2,2\], found \[1,2\]/);
  rejects(gaussian, (d) => d.state.theta[0].push(1), "/state/theta/1", /expected 3 entries/);
  rejects(gaussian, (d) => (d.state.class_prior = [0.5, 0.4]), "/state/class_prior", /summing to 1/);
  rejects(gaussian, (d) => (d.state.class_prior = [-0.5, 1.5]), "/state/class_prior/0", /0 or more/);
  rejects(gaussian, (d) => (d.state.class_prior = [0.5, 0.5, 0]), "/state/class_prior", /expected shape \[2\]/);
  rejects(gaussian, (d) => delete d.state.theta, "/state", /missing key "theta"/);
  rejects(multinomial, (d) => (d.state.class_log_prior[1] = "NaN"), "/state/class_log_prior/1", /finite number or "-Infinity"/);
  rejects(multinomial, (d) => (d.state.class_log_prior[0] = "Infinity"), "/state/class_log_prior/0", /finite number or "-Infinity"/);
  rejects(multinomial, (d) => (d.state.feature_log_prob[1][1] = "-Infinity"), "/state/feature_log_prob/1/1", /expected a number/);
  rejects(multinomial, (d) => (d.state.classes = [0, 1, 2]), "/state/feature_log_prob", /expected shape \[3,2\]/);
  rejects(complement, (d) => (d.state.class_log_prior = [0]), "/state/class_log_prior", /expected shape \[2\]/);
  rejects(bernoulli, (d) => (d.state.feature_log_prob[0][1] = 0), "/state/feature_log_prob/0/1", /log of a probability below 1/);
  rejects(bernoulli, (d) => (d.params.binarize = -1), "/params/binarize", /null or a number, 0 or more/);
  rejects(bernoulli, (d) => (d.params.binarize = "0.5"), "/params/binarize", /null or a number/);
});
