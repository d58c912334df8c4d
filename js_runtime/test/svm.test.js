// Family `svm`: hand-written documents, valid (decision values and votes worked out by hand)
// and invalid (refused with the JSON Pointer of the bad place). Agreement with scikit-learn on
// real data is the cross-language suite's (tests/test_cross_language.py, tests/test_svm.py).
import { test } from "node:test";
import assert from "node:assert/strict";
import { loadModel } from "../src/index.js";
import { envelope, rejects } from "./fixtures.js";

const fitted = (n) => ({ shape_fit: [10, n], fit_status: 0 });

/**
 * SVC, linear kernel, one feature, classes a, b, c with one support vector each (0, 1, 2):
 * K = [0, x, 2x]; pairs (a,b), (a,c), (b,c): d = [-x + b0, -2x + b1, -x + b2].
 */
const svc = (params = {}, intercept = [0.5, 1, 1.5]) => envelope("sklearn.svm.SVC", { kernel: "linear", ...params }, {
  n_features_in: 1, classes: ["a", "b", "c"], n_support: [1, 1, 1], class_weight: [1, 1, 1],
  support: [0, 1, 2], support_vectors: [[0], [1], [2]], dual_coef: [[1, -1, -1], [1, 1, -1]],
  intercept, gamma: 1, n_iter: [1, 1, 1], ...fitted(1),
});
/** Two classes, public signs: d = 2x - 1, "yes" unless d < 0. */
const binary = () => envelope("sklearn.svm.NuSVC", { kernel: "linear", gamma: "auto" }, {
  n_features_in: 1, classes: ["no", "yes"], n_support: [1, 1], class_weight: [1, 1],
  support: [3, 4], support_vectors: [[0], [2]], dual_coef: [[-1, 1]], intercept: [-1], gamma: 1, n_iter: [5], ...fitted(1),
});
const regressor = (kernel, params = {}) => envelope("sklearn.svm.SVR", { kernel, ...params }, {
  n_features_in: 2, support: [0], support_vectors: [[1, 0]], dual_coef: [[2]], intercept: [1], gamma: 0.5, n_iter: [1], ...fitted(2),
});
/** OneClassSVM, linear: d = x - 0.5, offset 0.5. */
const oneClass = () => envelope("sklearn.svm.OneClassSVM", { kernel: "linear" }, {
  n_features_in: 1, support: [0], support_vectors: [[1]], dual_coef: [[1]], intercept: [-0.5], gamma: 1, n_iter: [1], ...fitted(1),
});

test("SVC: one-vs-one decision values, the vote, ties to the first class", () => {
  const model = loadModel(svc({ decision_function_shape: "ovo" }));
  assert.deepEqual(model.decisionFunction([[0], [1]]), [[0.5, 1, 1.5], [-0.5, -1, 0.5]]);
  // x = 0.5: d = [0, 0, 1]; a zero is a vote for the second class of its pair.
  assert.deepEqual(model.predict([[0], [1], [2], [0.5]]), ["a", "b", "c", "b"]);
  // d = [0.5, -1, 1.5]: one vote each, to the lowest class.
  assert.deepEqual(loadModel(svc({}, [0.5, -1, 1.5])).predict([[0]]), ["a"]);
});

test("SVC: scikit-learn's one-vs-rest shape, and break_ties as its argmax", () => {
  // votes [2, 1, 0], summed confidences [1.5, 1, -2.5] moved into (-1/3, 1/3)
  assert.deepEqual(loadModel(svc()).decisionFunction([[0]]), [[2 + 1.5 / (3 * 2.5), 1 + 1 / (3 * 2), 0 + -2.5 / (3 * 3.5)]]);
  // d = [0.5, -1, 1.5]: votes [1, 1, 1], confidences [-0.5, 1, -0.5]: "b" by break_ties
  const tied = (params) => loadModel(svc(params, [0.5, -1, 1.5])).predict([[0]]);
  assert.deepEqual(tied({ break_ties: true }), ["b"]);
  assert.deepEqual(tied({ break_ties: false }), ["a"]);
  const ovo = loadModel(svc({ break_ties: true, decision_function_shape: "ovo" }));
  assert.throws(() => ovo.predict([[0]]), /break_ties/);
});

test("two classes: one decision value in scikit-learn's signs", () => {
  const model = loadModel(binary());
  assert.deepEqual(model.decisionFunction([[0], [1], [0.5]]), [-1, 1, 0]);
  assert.deepEqual(model.predict([[0], [1], [0.5]]), ["no", "yes", "yes"]);
  assert.equal(model.predictProba, undefined); // (Platt scaling: Python only)
});

test("kernels as libsvm computes them", () => {
  // x = [2, 1], sv = [1, 0]: x . sv = 2, ||x - sv||^2 = 2
  const at = (kernel, params) => loadModel(regressor(kernel, params)).predict([[2, 1]])[0];
  assert.equal(at("linear"), 2 * 2 + 1);
  assert.equal(at("rbf"), 2 * Math.exp(-0.5 * 2) + 1);
  assert.equal(at("poly", { degree: 3, coef0: 1 }), 2 * 8 + 1); // (0.5 * 2 + 1) ** 3
  assert.equal(at("poly", { degree: 0 }), 2 * 1 + 1);
  assert.equal(at("sigmoid", { coef0: -1 }), 2 * Math.tanh(0) + 1);
  const none = regressor("rbf");
  Object.assign(none.state, { support: [], support_vectors: [], dual_coef: [[]] });
  assert.deepEqual(loadModel(none).predict([[5, 5]]), [1]); // no support vector: the intercept
  assert.equal(loadModel(none).decisionFunction, undefined);
});

test("OneClassSVM: decision_function, score_samples = decision + offset, predict 1 / -1", () => {
  const model = loadModel(oneClass());
  assert.deepEqual(model.decisionFunction([[0], [1], [0.5]]), [-0.5, 0.5, 0]);
  assert.deepEqual(model.scoreSamples([[0], [1]]), [0, 1]);
  assert.deepEqual(model.predict([[0], [1], [0.5]]), [-1, 1, -1]);
});

test("broken documents are refused at the place", () => {
  rejects(svc, (d) => { d.state.n_support = [1, 1, 2]; }, "/state/n_support", /summing to the 3/);
  rejects(svc, (d) => { d.state.n_support = [-1, 2, 2]; }, "/state/n_support/0");
  rejects(svc, (d) => { d.state.n_support = [1, 2]; }, "/state/n_support");
  rejects(svc, (d) => { d.state.support[1] = 10; }, "/state/support/1");
  rejects(svc, (d) => { d.state.support_vectors = [[0], [1]]; }, "/state/support_vectors");
  rejects(svc, (d) => { d.state.support_vectors[1] = [1, 2]; }, "/state/support_vectors/1");
  rejects(svc, (d) => { d.state.dual_coef = [[1, -1, -1]]; }, "/state/dual_coef");
  rejects(svc, (d) => { d.state.intercept = [0, 0]; }, "/state/intercept");
  rejects(svc, (d) => { d.state.n_iter = [1, 1]; }, "/state/n_iter");
  rejects(svc, (d) => { d.state.shape_fit = [10, 2]; }, "/state/shape_fit/1");
  rejects(svc, (d) => { d.state.fit_status = 3; }, "/state/fit_status");
  rejects(svc, (d) => { d.state.classes = ["a"]; }, "/state/classes");
  rejects(svc, (d) => { delete d.state.class_weight; }, "/state", /class_weight/);
  // ("support" and "n_support" are near misses of each other: neither is offered for the other)
  rejects(svc, (d) => { delete d.state.support; }, "/state", /missing key "support"$/);
  rejects(svc, (d) => { delete d.state.n_support; }, "/state", /missing key "n_support"$/);
  rejects(svc, (d) => { d.state.prob_a = [0, 0, 0]; }, "/state/prob_a", /together/);
  rejects(svc, (d) => { d.state.gamma = -1; }, "/state/gamma");
  rejects(svc, (d) => { d.params.gamma = 2; }, "/state/gamma");
  rejects(svc, (d) => { d.params.gamma = -1; }, "/params/gamma");
  rejects(svc, (d) => { d.params.gamma = "Scale"; }, "/params/gamma");
  rejects(binary, (d) => { d.state.gamma = 0.5; }, "/state/gamma"); // gamma="auto": 1 / n_features
  rejects(svc, (d) => { d.params.kernel = "precomputed"; }, "/params/kernel");
  rejects(svc, (d) => { d.params.degree = 2.5; }, "/params/degree");
  rejects(svc, (d) => { d.params.coef0 = { float: "NaN" }; }, "/params/coef0");
  rejects(svc, (d) => { d.params.decision_function_shape = "ovx"; }, "/params/decision_function_shape");
  rejects(() => regressor("rbf"), (d) => { d.state.classes = [0, 1]; }, "/state/classes");
  rejects(oneClass, (d) => { d.state.prob_b = [1]; }, "/state/prob_b");
  rejects(oneClass, (d) => { d.state.dual_coef = [[1], [1]]; }, "/state/dual_coef");
});
