// Families `linear_classifier` and `logistic`: hand-written documents, valid (scikit-learn's
// formulas on hand-checked values) and invalid (refused with the JSON Pointer of the bad place).
// Agreement with scikit-learn on real data is the cross-language suite's.
import { test } from "node:test";
import assert from "node:assert/strict";
import { loadModel } from "../src/index.js";
import { envelope, rejects } from "./fixtures.js";

const sgd = (loss, state) =>
  envelope("sklearn.linear_model.SGDClassifier", { loss, max_iter: 5 }, { n_features_in: 2, t: 10, n_iter: 5, ...state });
const three = (loss) => sgd(loss, { classes: ["a", "b", "c"], coef: [[1, 0], [0, 1], [-1, -1]], intercept: [0, 0, -5] });
const two = (loss) => sgd(loss, { classes: [false, true], coef: [[2, 0]], intercept: [0.5] });
const ridge = (state) =>
  envelope("sklearn.linear_model.RidgeClassifierCV", { alphas: [0.1, 1, 10] }, {
    n_features_in: 2, classes: [3, 7], coef: [[1, -1]], intercept: 0, alpha: 1, best_score: -0.5, ...state,
  });

test("SGDClassifier modified_huber: clipped, normalised; a row of zeros is uniform", () => {
  const model = loadModel(three("modified_huber"));
  const rows = [[0.5, -3], [-2, -2]];
  assert.deepEqual(model.decisionFunction(rows), [[0.5, -3, -2.5], [-2, -2, -1]]);
  assert.deepEqual(model.predict(rows), ["a", "c"]);
  assert.deepEqual(model.predictProba(rows), [[1, 0, 0], [1 / 3, 1 / 3, 1 / 3]]);
  const binary = loadModel(two("modified_huber"));
  assert.deepEqual(binary.predictProba([[0.1, 9], [-1, 0]]), [[1 - 0.85, 0.85], [1, 0]]);
  assert.deepEqual(binary.predict([[0.1, 9], [-1, 0], [-0.25, 0]]), [true, false, false]); // (d = 0: the first class)
});

test("SGDClassifier log_loss: one-vs-rest expit; other losses have no probabilities", () => {
  assert.deepEqual(loadModel(two("log_loss")).predictProba([[-0.25, 1]]), [[0.5, 0.5]]);
  const p = loadModel(three("log_loss")).predictProba([[0, 0]]);
  const e = 1 / (1 + Math.exp(5));
  assert.deepEqual(p, [[0.5 / (1 + e), 0.5 / (1 + e), e / (1 + e)]]);
  for (const loss of ["hinge", "perceptron", "squared_error", "toString", undefined]) {
    assert.equal(loadModel(three(loss)).predictProba, undefined, String(loss));
  }
  for (const name of ["Perceptron", "RidgeClassifier", "PassiveAggressiveClassifier"]) {
    const doc = three("log_loss");
    doc.estimator = `sklearn.linear_model.${name}`;
    assert.equal(loadModel(doc).predictProba, undefined, name);
  }
});

test("RidgeClassifierCV and LinearSVC: an intercept of 0.0 is broadcast", () => {
  const model = loadModel(ridge({}));
  assert.deepEqual(model.decisionFunction([[2, 1], [1, 3]]), [1, -2]);
  assert.deepEqual(model.predict([[2, 1], [1, 3]]), [7, 3]);
  const svc = ridge({});
  svc.estimator = "sklearn.svm.LinearSVC";
  assert.deepEqual(loadModel(svc).predict([[2, 1]]), [7]);
});

test("LogisticRegressionCV reads as LogisticRegression", () => {
  const doc = three("x");
  doc.estimator = "sklearn.linear_model.LogisticRegressionCV";
  doc.state.multi_class = "ovr";
  const p = loadModel(doc).predictProba([[0, 0]]);
  const e = 1 / (1 + Math.exp(5));
  assert.deepEqual(p, [[0.5 / (1 + e), 0.5 / (1 + e), e / (1 + e)]]);
  rejects(() => doc, (d) => { d.state.multi_class = "softmax"; }, "/state/multi_class");
});

test("invalid documents are refused at the bad place", () => {
  const cases = [
    [(d) => { d.state.coef = [[1, 0], [0, 1]]; }, "/state/coef"],
    [(d) => { d.state.coef[1] = [0, 1, 2]; }, "/state/coef/1"],
    [(d) => { d.state.coef[2][1] = "NaN"; }, "/state/coef/2/1"],
    [(d) => { d.state.intercept = [0, 0]; }, "/state/intercept"],
    [(d) => { d.state.intercept = "0"; }, "/state/intercept"],
    [(d) => { d.state.classes = ["a"]; }, "/state/classes"],
    [(d) => { d.state.classes = ["a", "b", "a"]; }, "/state/classes/2"],
    [(d) => { delete d.state.coef; }, "/state"],
  ];
  for (const [edit, pointer] of cases) rejects(() => three("modified_huber"), edit, pointer);
  rejects(() => ridge({}), (d) => { d.state.coef = [[1, 0], [0, 1]]; }, "/state/coef"); // (two classes: one row)
});
