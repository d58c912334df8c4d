// Families `glm` and `linear` (the regressors of issue 18): hand-written documents, valid and
// invalid (refused with the JSON Pointer of the bad place). Agreement with scikit-learn on real
// data is the cross-language suite's.
import { test } from "node:test";
import assert from "node:assert/strict";
import { loadModel } from "../src/index.js";
import { envelope, rejects } from "./fixtures.js";

const glm = (name, params, state) => envelope(`sklearn.linear_model.${name}`, { alpha: 1, fit_intercept: true, max_iter: 100, ...params },
  { n_features_in: 2, coef: [0.5, -1], intercept: 0.25, n_iter: 3, ...state });
const poisson = () => glm("PoissonRegressor", {}, { link: "log" });
const tweedie = (power, link, stateLink) => glm("TweedieRegressor", { power, link }, { link: stateLink });
const linear = (name, state) => envelope(name, {}, { n_features_in: 2, coef: [2, -1], intercept: 1, ...state });

test("GLMs predict the inverse link of the linear predictor", () => {
  const rows = [[1, 2], [0, 0], [-2, 0.5]];
  const eta = rows.map(([a, b]) => 0.5 * a - b + 0.25);
  assert.deepEqual(loadModel(poisson()).predict(rows), eta.map(Math.exp));
  assert.deepEqual(loadModel(glm("GammaRegressor", {}, { link: "log" })).predict(rows), eta.map(Math.exp));
  assert.deepEqual(loadModel(tweedie(0, "auto", "identity")).predict(rows), eta);
  assert.deepEqual(loadModel(tweedie(-1, "auto", "identity")).predict(rows), eta);
  assert.deepEqual(loadModel(tweedie(1.5, "auto", "log")).predict(rows), eta.map(Math.exp));
  assert.deepEqual(loadModel(tweedie(0, "log", "log")).predict(rows), eta.map(Math.exp));
  assert.deepEqual(loadModel(tweedie(2, "identity", "identity")).predict(rows), eta);
});

test("the regressors of the linear family predict intercept + coef @ x", () => {
  const rows = [[1, 2], [3, -1]];
  for (const name of ["RidgeCV", "LassoCV", "ElasticNetCV", "SGDRegressor", "PassiveAggressiveRegressor", "HuberRegressor",
    "QuantileRegressor", "BayesianRidge", "ARDRegression"]) {
    assert.deepEqual(loadModel(linear(`sklearn.linear_model.${name}`)).predict(rows), [1, 8], name);
  }
  // SGD and LinearSVR keep their intercept as an array of one.
  assert.deepEqual(loadModel(linear("sklearn.svm.LinearSVR", { intercept: [1] })).predict(rows), [1, 8]);
  // RidgeCV takes several targets.
  const multi = linear("sklearn.linear_model.RidgeCV", { coef: [[2, -1], [0, 1]], intercept: [1, 0] });
  assert.deepEqual(loadModel(multi).predict(rows), [[1, 2], [8, -1]]);
});

test("invalid GLM documents are refused at the bad place", () => {
  rejects(poisson, (d) => (d.state.link = "identity"), "/state/link", /expected "log", the link of the parameters/);
  rejects(poisson, (d) => delete d.state.link, "/state", /missing key "link"/);
  rejects(poisson, (d) => (d.state.intercept = [0.25]), "/state/intercept", /expected a number/);
  rejects(poisson, (d) => (d.state.coef = [[0.5, -1]]), "/state/coef", /expected 1 dimension/);
  rejects(poisson, (d) => (d.state.coef = [0.5]), "/state/coef", /expected shape \[2\]/);
  rejects(poisson, (d) => (d.state.coef[1] = "NaN"), "/state/coef/1", /expected a number/);
  const auto = () => tweedie(1.5, "auto", "log");
  rejects(auto, (d) => (d.params.power = 0), "/state/link", /expected "identity"/);
  rejects(auto, (d) => (d.params.link = "identity"), "/state/link", /expected "identity"/);
  rejects(auto, (d) => (d.params.link = "inverse"), "/params/link", /expected "auto", "identity" or "log"/);
  rejects(auto, (d) => (d.params.power = "1.5"), "/params/power", /expected a number/);
  rejects(auto, (d) => delete d.params.power, "/params", /missing key "power"/);
  rejects(auto, (d) => (d.state.link = 1), "/state/link", /expected a string/);
});

test("invalid linear documents are refused at the bad place", () => {
  const huber = () => linear("sklearn.linear_model.HuberRegressor");
  rejects(huber, (d) => (d.state.coef = [[2, -1]]), "/state/coef", /expected 1 dimension/);
  rejects(huber, (d) => (d.state.intercept = [1, 2]), "/state/intercept", /expected a number or 1 values/);
  rejects(() => linear("sklearn.svm.LinearSVR"), (d) => (d.state.coef = [2]), "/state/coef", /expected shape \[2\]/);
});
