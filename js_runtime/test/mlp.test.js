// Family `mlp`: hand-written networks whose outputs can be worked out by hand (scikit-learn's
// forward pass, float64 and float32), the architecture the page shows, and invalid documents
// refused with the JSON Pointer of the bad place. Agreement with scikit-learn on the zoo is the
// cross-language suite's (tests/test_cross_language.py, tests/test_mlp.py).
import { test } from "node:test";
import assert from "node:assert/strict";
import { loadModel } from "../src/index.js";
import { envelope, rejects } from "./fixtures.js";

const NN = "sklearn.neural_network.";
const expit = (x) => 1 / (1 + Math.exp(-x));

/** A 2-3-k network: hidden units x0 + x1, x0 - x1, -x0 (then `activation`), output weights `out`. */
function network(estimator, { activation = "relu", out_activation, out, b2, classes, dtype = "float64", params = {} }) {
  return envelope(NN + estimator, { activation, hidden_layer_sizes: { tuple: [3] }, solver: "adam", ...params }, {
    n_features_in: 2,
    ...(classes && { classes }),
    layer_sizes: [2, 3, out[0].length],
    activation,
    out_activation,
    dtype,
    coefs: [[[1, 1, -1], [1, -1, 0]], out],
    intercepts: [[0, 0, 0.5], b2],
    n_iter: 3,
    t: 30,
    loss: 0.25,
  });
}

const regressor = (extra = {}) => network("MLPRegressor", { out_activation: "identity", out: [[1, 2], [0.5, 0], [1, -1]], b2: [0, 1], ...extra });
const binary = () => network("MLPClassifier", { out_activation: "logistic", out: [[1], [-1], [0]], b2: [0], classes: ["no", "yes"] });
const multiclass = () => network("MLPClassifier", { out_activation: "softmax", out: [[1, 0, 0], [0, 1, 0], [0, 0, 1]], b2: [0, 0, 0], classes: [3, 5, 7] });
const multilabel = () => network("MLPClassifier", { out_activation: "logistic", out: [[1, 0], [0, 1]].concat([[0, 0]]), b2: [0, 0], classes: [0, 1] });

test("the forward pass: relu hidden layer, identity output, one list per row for two outputs", () => {
  const model = loadModel(regressor());
  // x = [2, 1]: hidden relu([3, 1, -1.5]) = [3, 1, 0]; outputs [3 + 0.5, 6 + 1] = [3.5, 7]
  assert.deepEqual(model.predict([[2, 1], [0, 0]]), [[3.5, 7], [0.5 * 0 + 1 * 0.5, 1 - 0.5]]);
  assert.deepEqual(model.architecture, { layers: [2, 3, 2], activation: "relu", outputActivation: "identity" });
  const tanh = loadModel(regressor({ activation: "tanh" }));
  const h = [Math.tanh(3), Math.tanh(1), Math.tanh(-1.5)];
  assert.deepEqual(tanh.predict([[2, 1]]), [[h[0] + 0.5 * h[1] + h[2], 2 * h[0] - h[2] + 1]]);
});

test("one output: numbers; poisson networks end in exp", () => {
  const one = regressor({ out: [[1], [0.5], [1]], b2: [0] });
  assert.deepEqual(loadModel(one).predict([[2, 1]]), [3.5]);
  const poisson = regressor({ out: [[1], [0.5], [1]], b2: [0], out_activation: "exp", params: { loss: "poisson" } });
  assert.deepEqual(loadModel(poisson).predict([[2, 1]]), [Math.exp(3.5)]);
});

test("classifiers: binary [1 - p, p], softmax argmax, multilabel 0/1 per label", () => {
  const b = loadModel(binary());
  const p = expit(3 - 1); // x = [2, 1]: hidden [3, 1, 0]
  assert.deepEqual(b.predictProba([[2, 1], [0, 0]]), [[1 - p, p], [0.5, 0.5]]);
  assert.deepEqual(b.predict([[2, 1], [0, 0], [1, -2]]), ["yes", "no", "no"]); // (0.5 is not above 0.5)
  const m = loadModel(multiclass());
  const e = [Math.exp(0), Math.exp(1 - 3), Math.exp(0 - 3)];
  const sum = e[0] + e[1] + e[2];
  assert.deepEqual(m.predictProba([[2, 1]]), [e.map((v) => v / sum)]);
  assert.deepEqual(m.predict([[2, 1], [-2, 1]]), [3, 7]);
  const l = loadModel(multilabel());
  assert.deepEqual(l.predict([[2, 1], [0, 0], [1, 2]]), [[1, 1], [0, 0], [1, 0]]);
  assert.deepEqual(l.predictProba([[2, 1]]), [[expit(3), expit(1)]]);
  assert.equal(l.nOutputs, 2);
});

test("float32 networks round inputs, sums and activations to float32", () => {
  const f32 = (v) => Math.fround(v);
  const d = network("MLPRegressor", { activation: "logistic", out_activation: "identity", out: [[f32(0.1)], [f32(0.2)], [f32(0.3)]], b2: [f32(0.7)], dtype: "float32" });
  const x = [0.1, 0.3]; // rounded to float32 on the way in, as scikit-learn's float32 input
  const [a, c] = x.map(f32);
  const h = [f32(a + c), f32(a - c), f32(-a + 0.5)].map((z) => f32(expit(z)));
  let s = 0;
  for (const [k, w] of [f32(0.1), f32(0.2), f32(0.3)].entries()) s = f32(s + h[k] * w);
  assert.deepEqual(loadModel(d).predict([x]), [f32(s + f32(0.7))]);
  rejects(() => d, (doc) => { doc.state.coefs[1][2][0] = 0.3; }, "/state/coefs/1/2/0", /float32/);
});

const bad = [
  ["a matrix that does not chain", regressor, (d) => { d.state.coefs[1] = [[1, 2], [3, 4]]; }, "/state/coefs/1", /shape \[3,2\]/],
  ["layer_sizes disagreeing with coefs", regressor, (d) => { d.state.layer_sizes = [2, 4, 2]; }, "/state/coefs/0", /shape \[2,4\]/],
  ["layer_sizes not starting at n_features_in", regressor, (d) => { d.state.layer_sizes[0] = 3; }, "/state/layer_sizes/0", /n_features_in/],
  ["a layer size of 0", regressor, (d) => { d.state.layer_sizes[1] = 0; }, "/state/layer_sizes/1", /integer/],
  ["one layer only", regressor, (d) => { d.state.layer_sizes = [2]; }, "/state/layer_sizes", /two layers/],
  ["an intercept too short", regressor, (d) => { d.state.intercepts[0].pop(); }, "/state/intercepts/0", /shape \[3\]/],
  ["coefs for fewer layers", regressor, (d) => { d.state.coefs.pop(); }, "/state/coefs", /one array per layer/],
  ["a non-finite weight", regressor, (d) => { d.state.coefs[0][1][2] = "NaN"; }, "/state/coefs/0/1/2", /finite|number/],
  ["a weight not a number", regressor, (d) => { d.state.intercepts[1][0] = true; }, "/state/intercepts/1/0", /number/],
  ["an unknown activation", regressor, (d) => { d.state.activation = "gelu"; d.params.activation = "gelu"; }, "/state/activation", /relu/],
  ["activation unlike the parameter", regressor, (d) => { d.state.activation = "tanh"; }, "/state/activation", /parameter/],
  ["a regressor ending in softmax", regressor, (d) => { d.state.out_activation = "softmax"; }, "/state/out_activation", /identity/],
  ["poisson without exp", regressor, (d) => { d.params.loss = "poisson"; }, "/state/out_activation", /exp/],
  ["an unknown dtype", regressor, (d) => { d.state.dtype = "float16"; }, "/state/dtype", /float32/],
  ["binary softmax", binary, (d) => { d.state.out_activation = "softmax"; }, "/state/out_activation", /logistic/],
  ["three classes for one output", binary, (d) => { d.state.classes.push("maybe"); }, "/state/classes", /2 classes/],
  ["classes unlike output units", multiclass, (d) => { d.state.classes.pop(); }, "/state/classes", /3 classes/],
  ["multilabel labels not 0 .. n-1", multilabel, (d) => { d.state.classes = [1, 2]; }, "/state/classes", /multilabel/],
  ["classifier ending in identity", multiclass, (d) => { d.state.out_activation = "identity"; }, "/state/out_activation", /logistic/],
  ["a huge binary shape", regressor, (d) => { d.state.coefs[0] = { dtype: "float64", shape: [2, 1e9], base64: "" }; }, "/state/coefs/0/base64", /bytes/],
];

for (const [name, make, edit, pointer, detail] of bad) {
  test(`refused with the pointer: ${name}`, () => rejects(make, edit, pointer, detail));
}
