// Output shapes and semantics of each family on small hand-written documents. Numerical
// agreement with scikit-learn is tested from Python (tests/test_cross_language.py).
import { test } from "node:test";
import assert from "node:assert/strict";
import { loadModel } from "../src/index.js";
import * as fx from "./fixtures.js";

const expit = (x) => 1 / (1 + Math.exp(-x));

test("model properties", () => {
  const m = loadModel(fx.treeClassifier());
  assert.equal(m.estimator, "sklearn.tree.DecisionTreeClassifier");
  assert.equal(m.nFeatures, 2);
  assert.equal(m.nOutputs, 1);
  assert.equal(m.featureNames, null);
  assert.deepEqual(m.classes, ["a", "b"]);
  assert.ok(Object.isFrozen(m));
  const r = loadModel(fx.treeRegressor());
  assert.equal(r.classes, null);
  assert.equal(r.predictProba, undefined);
  assert.equal(r.decisionFunction, undefined);
  assert.equal(m.decisionFunction, undefined);
});

test("tree classifier: leaf fractions are the probabilities, first argmax the label", () => {
  const m = loadModel(fx.treeClassifier(fx.stump(0.5, [[[0.5, 0.5]], [[0.5, 0.5]], [[0.25, 0.75]]])));
  assert.deepEqual(m.predictProba([[0, 0], [1, 0]]), [[0.5, 0.5], [0.25, 0.75]]);
  assert.deepEqual(m.predict([[0, 0], [1, 0]]), ["a", "b"]); // tie -> first class
  assert.deepEqual(m.predict([]), []);
  assert.deepEqual(m.predictProba([]), []);
});

test("forest: sum in estimator order, then divide by the number of trees", () => {
  const m = loadModel(fx.forestClassifier());
  const t = [[1, 0, 0], [0.1, 0.2, 0.7], [0.2, 0.2, 0.6]]; // x0 = 0: left in every tree
  const expected = [0, 1, 2].map((c) => (0 + t[0][c] + t[1][c] + t[2][c]) / 3);
  assert.deepEqual(m.predictProba([[0, 0]]), [expected]);
  // at x0 = 0 classes 0 and 2 both sum to about 1.3; float64 sums decide (1.3000000000000003 > 1.2999999999999998)
  assert.deepEqual(m.predict([[0, 0], [3, 0]]), [0, 2]);
  const r = [[0, 1, 0], [0, 0, 1], [0.3, 0.3, 0.4]]; // x0 = 3: right in every tree
  assert.deepEqual(m.predictProba([[3, 0]]), [[0, 1, 2].map((c) => (0 + r[0][c] + r[1][c] + r[2][c]) / 3)]);
});

test("multi-output classifier: one label array per row, one probability matrix per output", () => {
  const m = loadModel(fx.multiOutputTree());
  assert.deepEqual(m.classes, [[0, 1], ["x", "y", "z"]]);
  assert.equal(m.nOutputs, 2);
  assert.deepEqual(m.predict([[0, 0], [1, 0]]), [[0, "y"], [1, "z"]]);
  // output 0 has 2 classes: its rows drop the value's padding column
  assert.deepEqual(m.predictProba([[0, 0], [1, 0]]), [[[1, 0], [0, 1]], [[0, 1, 0], [0, 0, 1]]]);
});

test("multi-output regressor forest: one array per row, the mean of the trees", () => {
  const leaf = (a, b) => [[a], [b]];
  const tree = (l, r) => ({ random_state: 0, tree: fx.stump(0.5, [leaf(0, 0), l, r]) });
  const doc = fx.envelope("sklearn.ensemble.ExtraTreesRegressor", { n_estimators: 2 }, {
    n_features_in: 2, n_outputs: 2, max_features: 2,
    estimators: [tree(leaf(1, 2), leaf(3, 4)), tree(leaf(0.1, 0.2), leaf(0.3, 0.4))],
  });
  const m = loadModel(doc);
  assert.deepEqual(m.predict([[0, 0], [1, 1]]), [[(1 + 0.1) / 2, (2 + 0.2) / 2], [(3 + 0.3) / 2, (4 + 0.4) / 2]]);
});

test("linear: intercept + dot product; 2-d coef gives an array per row", () => {
  assert.deepEqual(loadModel(fx.linear()).predict([[1, 2], [0, 0]]), [1.5 - 4 + 0.25, 0.25]);
  assert.deepEqual(loadModel(fx.linear(true)).predict([[1, 2]]), [[1.5 - 4 + 0.25, 2 - 1]]);
  const d = fx.linear(true);
  d.state.intercept = 0; // fit_intercept=False stores 0.0 even with several targets
  assert.deepEqual(loadModel(d).predict([[1, 2]]), [[-2.5, 2]]);
});

test("logistic binary: d > 0 picks classes[1]; proba [1 - expit(d), expit(d)]", () => {
  const m = loadModel(fx.logistic(2));
  const X = [[0, 0.5], [1, 0], [0, 1]];
  const d = X.map(([a, b]) => 2 * a - b + 0.5);
  assert.deepEqual(m.decisionFunction(X), d);
  assert.deepEqual(m.predict(X), [false, true, false]); // d = 0 -> classes[0]
  assert.deepEqual(m.predictProba(X), d.map((v) => [1 - expit(v), expit(v)]));
});

test("logistic multiclass: softmax of the decision values, first argmax", () => {
  const m = loadModel(fx.logistic(3));
  const [row] = m.decisionFunction([[1, 2]]);
  assert.deepEqual(row, [1, 2.1, -2.8]);
  const e = row.map((v) => Math.exp(v - 2.1));
  const s = e[0] + e[1] + e[2];
  assert.deepEqual(m.predictProba([[1, 2]]), [e.map((v) => v / s)]);
  assert.deepEqual(m.predict([[1, 2], [0, 0]]), ["g", "b"]);
  assert.deepEqual(m.predict([[0.1, 0]]), ["r"]); // decision [0.1, 0.1, 0.1]: ties go to the first class
});

test("boosting binary: raw = init + sum(rate * leaf); raw >= 0 picks classes[1]", () => {
  const m = loadModel(fx.boostingBinary());
  assert.deepEqual(m.decisionFunction([[0, 0], [1, 0]]), [0 + 0.5 * -1 + 0.5 * -1, 0 + 0.5 + 0.5]);
  assert.deepEqual(m.predict([[0, 0], [1, 0]]), ["neg", "pos"]);
  assert.deepEqual(m.predictProba([[1, 0]]), [[1 - expit(1), expit(1)]]);
  // scikit-learn's GradientBoostingClassifier.predict uses raw >= 0 (LogisticRegression: d > 0)
  const z = fx.boostingBinary();
  z.state.estimators = [[{ tree: fx.stump(0.5, [[[0]], [[0]], [[0]]]) }]];
  z.state.n_estimators = 1;
  assert.deepEqual(loadModel(z).predict([[0, 0]]), ["pos"]);
  const e = loadModel(fx.boostingBinary("exponential"));
  assert.deepEqual(e.predictProba([[1, 0]]), [[1 - expit(2), expit(2)]]);
  assert.throws(() => m.predict([[null, 0]]), /^TypeError: X row 0, feature 0: expected a number \(this model accepts no missing values\), found null$/);
});

test("boosting multiclass and regression", () => {
  const m = loadModel(fx.boostingMulticlass());
  assert.deepEqual(m.decisionFunction([[0, 0], [1, 0]]), [[1, 0, 0], [0, 1, 0]]);
  assert.deepEqual(m.predict([[0, 0], [1, 0]]), [1, 2]);
  const x = [1, Math.exp(-1), Math.exp(-1)]; // exp(raw - max)
  const s = x[0] + x[1] + x[2];
  assert.deepEqual(m.predictProba([[0, 0]]), [x.map((v) => v / s)]);
  const r = loadModel(fx.boostingRegressor());
  assert.deepEqual(r.predict([[0, 0], [1, 0]]), [10 + 0.1 * -5, 10 + 0.1 * 5]);
  assert.equal(r.predictProba, undefined);
  assert.equal(r.decisionFunction, undefined);
});

test("rows: arrays, typed arrays, or objects keyed by feature name (other keys ignored)", () => {
  const doc = fx.linear();
  doc.state.feature_names_in = ["a", "b"];
  const m = loadModel(doc);
  assert.deepEqual(m.featureNames, ["a", "b"]);
  const y = 1.5 * 1 - 2 * 2 + 0.25;
  assert.deepEqual(m.predict([[1, 2], new Float64Array([1, 2]), { b: 2, a: 1 }, { id: 7, a: 1, b: 2, note: "x" }]), [y, y, y, y]);
  assert.throws(() => m.predict([{ a: 1 }]), /^TypeError: X row 0: missing feature "b"$/);
  assert.throws(() => m.predict([{ a: 1, c: 2 }]), /^TypeError: X row 0: missing feature "b"; did you mean "c"\?$/);
  assert.throws(() => m.predict([{ a: 1, b: undefined }]), /^TypeError: X row 0, feature "b": expected a number, found nothing$/);
  assert.throws(() => loadModel(fx.linear()).predict([{ a: 1, b: 2 }]), /^TypeError: X row 0: expected an array of 2 numbers, found an object$/);
});

test("bad input throws a TypeError naming the row", () => {
  const m = loadModel(fx.treeClassifier());
  assert.throws(() => m.predict([[0, 0], [1]]), /^TypeError: X row 1: expected 2 values, found 1$/);
  assert.throws(() => m.predict([[0, 0], [1, 2, 3]]), /^TypeError: X row 1: expected 2 values, found 3$/);
  assert.throws(() => m.predict([[0, "1"]]), /^TypeError: X row 0, feature 1: expected a number or null, found the string "1"$/);
  assert.throws(() => m.predict([[0, true]]), /^TypeError: X row 0, feature 1: expected a number or null, found true$/);
  assert.throws(() => m.predict([[0, undefined]]), /^TypeError: X row 0, feature 1: expected a number or null, found nothing$/);
  assert.throws(() => m.predict([null]), /^TypeError: X row 0: expected an array of 2 numbers, found null$/);
  assert.throws(() => m.predict([[0, 0]][0]), /^TypeError: X row 0: expected an array of 2 numbers, found the number 0$/);
  assert.throws(() => m.predict("[[0, 0]]"), /^TypeError: X: expected an array of rows, found the string "\[\[0, 0\]\]"$/);
  assert.throws(() => loadModel(fx.linear()).predict([[NaN, 0]]), /^TypeError: X row 0, feature 0: expected a number \(this model accepts no missing values\), found the number NaN$/);
  assert.throws(() => loadModel(fx.linear()).predict([[-Infinity, 0]]), /^TypeError: X row 0, feature 0: expected a finite number, found the number -Infinity$/);
  assert.throws(() => loadModel(fx.linear()).predict([[0, "abc"]]), /^TypeError: X row 0, feature 1: expected a number, found the string "abc"$/);
});

test("family: the name of the estimator's family module, as schemas/ and the Python codecs name it", () => {
  const families = {
    treeClassifier: "tree", treeRegressor: "tree", multiOutputTree: "tree", forestClassifier: "forest",
    linear: "linear", linearMulti: "linear", logisticBinary: "logistic", logisticMulti: "logistic",
    boostingBinary: "boosting", boostingExponential: "boosting", boostingMulticlass: "boosting", boostingRegressor: "boosting",
  };
  assert.deepEqual(Object.keys(families).sort(), Object.keys(fx.ALL).sort());
  for (const [name, make] of Object.entries(fx.ALL)) {
    const m = loadModel(make());
    assert.equal(m.family, families[name], name);
    assert.equal("trees" in m, !["linear", "logistic"].includes(m.family), name);
  }
});

test("trees: read-only, the node statistics where the document has them, an index only of a tree", () => {
  const doc = fx.treeClassifier();
  doc.state.tree.n_node_samples = [10, 4, 6];
  doc.state.feature_names_in = ["a", "b"];
  const { trees } = loadModel(doc);
  assert.deepEqual([trees.count, trees.perIteration, trees.nodeCount], [1, 1, 3]);
  const tree = trees.tree();
  assert.equal(trees.tree(0), tree, "kept until another tree is asked for");
  assert.deepEqual(Array.from(tree.samples), [10, 4, 6]);
  assert.deepEqual(Array.from(tree.value), [0.5, 0.5, 1, 0, 0, 1]);
  assert.ok(Object.isFrozen(trees) && Object.isFrozen(tree));
  assert.deepEqual(trees.decisionPath({ a: 0.7, b: 0 }), [0, 2]);
  assert.deepEqual(trees.decisionPath([null, 0], 0), [0, 1]); // missing_go_to_left
  for (const bad of [1, -1, 0.5, NaN]) {
    assert.throws(() => trees.tree(bad), new RegExp(`^RangeError: tree ${bad}: expected an index in \\[0, 0\\]$`), String(bad));
    assert.throws(() => trees.decisionPath([0, 0], bad), RangeError, String(bad));
  }
  doc.state.tree.n_node_samples = [10, 4];
  assert.throws(() => loadModel(doc).trees.tree(0), /^InvalidModelError: \/state\/tree\/n_node_samples: expected shape \[3\], found \[2\]$/);
});
