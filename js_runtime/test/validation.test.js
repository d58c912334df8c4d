// Structural validation on load: errors are InvalidModelError whose message starts with the
// JSON Pointer of the offending place; nothing hangs or recurses without bound.
import { readFileSync } from "node:fs";
import { test } from "node:test";
import assert from "node:assert/strict";
import { InvalidModelError, UnsupportedVersionError, loadModel, SUPPORTED_ESTIMATORS } from "../src/index.js";
import * as fx from "./fixtures.js";
import { at } from "../src/errors.js";

/**
 * Assert that loading `doc` (after `edit`) fails with a message starting with `pointer: `,
 * followed by `detail` exactly (a string) or matching it (a RegExp).
 */
function rejects(make, edit, pointer, detail = /./) {
  const doc = make();
  edit(doc);
  assert.throws(() => loadModel(doc), (e) => {
    assert.ok(e instanceof InvalidModelError, `not an InvalidModelError: ${e}`);
    assert.ok(e.message.startsWith(`${pointer}: `), `expected ${pointer}, got: ${e.message}`);
    assert.equal(e.pointer, pointer === "/" ? "" : pointer);
    if (typeof detail === "string") assert.equal(e.message, `${pointer}: ${detail}`);
    else assert.match(e.message, detail);
    return true;
  });
}

test("every fixture loads", () => {
  for (const [name, make] of Object.entries(fx.ALL)) assert.doesNotThrow(() => loadModel(make()), name);
});

test("the envelope is checked", () => {
  const t = fx.treeClassifier;
  rejects(t, (d) => (d.format = "pickle"), "/format", 'expected "json-models", found the string "pickle"');
  rejects(t, (d) => delete d.format, "/", 'missing key "format"');
  rejects(t, (d) => { d.formt = d.format; delete d.format; }, "/formt", 'unknown key; did you mean "format"?');
  rejects(t, (d) => (d.format_version = 1), "/format_version", /expected a string/);
  rejects(t, (d) => (d.format_version = "1"), "/format_version", /MAJOR.MINOR/);
  rejects(t, (d) => (d.format_version = "1.0.0"), "/format_version");
  rejects(t, (d) => (d.format_version = "01.0"), "/format_version");
  rejects(t, (d) => (d.format_version = "1.0\n"), "/format_version");
  rejects(t, (d) => (d.estimator = "sklearn.cluster.KMeans"), "/estimator",
    'expected a supported estimator, found "sklearn.cluster.KMeans"; see the README\'s table of supported estimators');
  for (const name of ["constructor", "__proto__", "toString", "hasOwnProperty"]) {
    rejects(t, (d) => (d.estimator = name), "/estimator", /^\/estimator: expected a supported estimator, found "[^"]+"; see the README's/);
  }
  rejects(t, (d) => (d.estimator = 3), "/estimator", "expected a string, found the number 3");
  rejects(t, (d) => delete d.params, "/", 'missing key "params"');
  rejects(t, (d) => (d.params = null), "/params", "expected an object, found null");
  rejects(t, (d) => (d.state = []), "/state", "expected an object, found an array");
  rejects(t, (d) => (d.state.n_features_in = 0), "/state/n_features_in");
  rejects(t, (d) => (d.state.n_features_in = "2"), "/state/n_features_in", 'expected an integer in [1, 2147483647], found the string "2"');
  rejects(t, (d) => delete d.state.n_features_in, "/state", 'missing key "n_features_in"');
});

test("another major version is refused as unsupported; any minor of major 1 is read", () => {
  for (const v of ["2.0", "0.9", "10.1"]) {
    const d = fx.treeClassifier();
    d.format_version = v;
    assert.throws(() => loadModel(d), (e) => e instanceof UnsupportedVersionError && /^\/format_version: unsupported format version .* this runtime reads 1\.x/.test(e.message));
  }
  const d = fx.treeClassifier();
  d.format_version = "1.7";
  d.state.some_future_field = 1; // a newer minor may add fields: ignored
  assert.deepEqual(loadModel(d).predict([[0, 0]]), ["a"]);
});

test("JSON text is accepted; invalid JSON is an InvalidModelError", () => {
  assert.deepEqual(loadModel(JSON.stringify(fx.linear())).predict([[1, 1]]), [-0.25]);
  assert.throws(() => loadModel("{"), (e) => e instanceof InvalidModelError && /^\/: not valid JSON/.test(e.message));
  assert.throws(() => loadModel("[1, 2]"), /^InvalidModelError: \/: expected an object, found an array$/);
  assert.throws(() => loadModel(null), /^InvalidModelError: \/: expected an object, found null$/);
});

test("deeply nested junk neither hangs nor overflows the stack", () => {
  const deep = "[".repeat(200_000) + "]".repeat(200_000);
  assert.throws(() => loadModel(deep), InvalidModelError);
  for (const field of ["coef", "intercept", "n_features_in", "state", "params"]) {
    const text = JSON.stringify(fx.linear()).replace(`"${field}":`, `"${field}":${deep},"x":`);
    assert.throws(() => loadModel(text), InvalidModelError, field);
  }
  const t = JSON.stringify(fx.treeClassifier()).replace('"value":', `"value":${deep},"x":`);
  assert.throws(() => loadModel(t), /^InvalidModelError: \/state\/tree\/value/);
  const c = JSON.stringify(fx.treeClassifier()).replace('"classes":', `"classes":${deep},"x":`);
  assert.throws(() => loadModel(c), /^InvalidModelError: \/state\/classes/);
});

test("tree columns: equal lengths and integer types", () => {
  const t = fx.treeClassifier;
  rejects(t, (d) => d.state.tree.feature.pop(), "/state/tree/feature", "expected 3 nodes like children_left, found 2");
  rejects(t, (d) => d.state.tree.threshold.push(1), "/state/tree/threshold", /expected 3 nodes/);
  rejects(t, (d) => delete d.state.tree.missing_go_to_left, "/state/tree", 'missing key "missing_go_to_left"');
  rejects(t, (d) => (d.state.tree.children_left[1] = 1.5), "/state/tree/children_left/1", "expected an integer, found the number 1.5");
  rejects(t, (d) => (d.state.tree.children_left[1] = 2 ** 54), "/state/tree/children_left/1", /expected an integer/);
  rejects(t, (d) => (d.state.tree.children_left[0] = 2 ** 32 + 1), "/state/tree/children_left/0", /found the number 2147483647$/); // clamped, never wrapped to 1
  rejects(t, (d) => (d.state.tree.feature[0] = 2 ** 32 + 1), "/state/tree/feature/0", /expected an integer in \[0, 1\]/);
  assert.doesNotThrow(() => { const d = t(); d.state.tree.feature[1] = 2 ** 40; loadModel(d); }); // unused at a leaf, as in Python
  rejects(t, (d) => (d.state.tree.feature[0] = "0"), "/state/tree/feature/0", 'expected an integer, found the string "0"');
  rejects(t, (d) => (d.state.tree.missing_go_to_left[0] = 2), "/state/tree/missing_go_to_left/0", "expected 0 or 1, found the number 2");
  rejects(t, (d) => (d.state.tree.missing_go_to_left[0] = true), "/state/tree/missing_go_to_left/0");
  rejects(t, (d) => (d.state.tree.children_left = []), "/state/tree/children_left", /at least one node/);
  rejects(t, (d) => (d.state.tree.threshold[0] = "inf"), "/state/tree/threshold/0", 'expected a number (or "Infinity", "-Infinity", "NaN"), found the string "inf"');
  rejects(t, (d) => (d.state.tree.threshold[0] = "3.819999933242798"), "/state/tree/threshold/0",
    'expected a number (or "Infinity", "-Infinity", "NaN"), found the string "3.819999933242798"');
  rejects(t, (d) => (d.state.tree.value[1][0][0] = "NaN"), "/state/tree/value/1/0/0", 'expected a number, found the string "NaN"');
  // Anything a number could be made of is still no number, in rows of integers or not.
  for (const [bad, detail] of [[null, "found null"], [true, "found true"], ["1", 'found the string "1"'], [[1], "not an array nested 4 deep, found an array"], [{}, "found an object"], [Symbol("x"), "found a symbol"], [10n, "found a bigint"]]) {
    rejects(t, (d) => (d.state.tree.value[1][0] = [bad, 0]), "/state/tree/value/1/0/0", `expected a number, ${detail}`);
    rejects(t, (d) => (d.state.tree.value[1][0] = [0.5, bad]), "/state/tree/value/1/0/1", `expected a number, ${detail}`);
  }
  rejects(t, (d) => delete d.state.tree, "/state", 'missing key "tree"');
  rejects(t, (d) => (d.state.tree = []), "/state/tree", "expected a tree object, found an array");
});

test("tree structure: children in range, after their parent, each reached once", () => {
  const t = fx.treeClassifier;
  const ptr = "/state/tree/children_left/0";
  rejects(t, (d) => (d.state.tree.children_left[0] = 0), ptr, "expected -1 (leaf) or a node index in (0, 3), found the number 0"); // self-loop
  rejects(t, (d) => (d.state.tree.children_left[0] = 3), ptr, /found the number 3$/);
  rejects(t, (d) => (d.state.tree.children_left[0] = -2), ptr, /found the number -2$/);
  rejects(t, (d) => (d.state.tree.children_right[0] = -1), "/state/tree/children_right/0", /found the number -1$/); // half a leaf
  rejects(t, (d) => (d.state.tree.children_left[1] = 2), "/state/tree/children_right/1", "expected a node index in (1, 3), found the number -1");
  rejects(t, (d) => (d.state.tree.children_right[1] = 2), "/state/tree/children_right/1", "expected -1 like children_left (a leaf), found the number 2");
  rejects(t, (d) => (d.state.tree.children_right[0] = 1), "/state/tree/children_right/0", /node 1 is already the child of another node/);
  rejects(t, (d) => (d.state.tree.threshold[0] = "NaN"), "/state/tree/threshold/0", 'expected a number (NaN is no threshold), found the string "NaN"');
  assert.doesNotThrow(() => { const d = t(); d.state.tree.threshold[1] = "NaN"; loadModel(d); }); // at a leaf: unused
  // An unreachable node: node 3 is nobody's child.
  const orphan = fx.stump();
  orphan.children_left.push(-1);
  orphan.children_right.push(-1);
  orphan.feature.push(-2);
  orphan.threshold.push(-2);
  orphan.missing_go_to_left.push(0);
  orphan.value.push([[1, 0]]);
  rejects(() => fx.treeClassifier(orphan), () => {}, "/state/tree/children_left", /node 3 is not reachable from node 0/);
  // A cycle back to an earlier node is excluded by "greater than its own index".
  const cyc = fx.stump();
  cyc.children_left = [1, 2, -1, -1];
  cyc.children_right = [3, 0, -1, -1];
  cyc.feature = [0, 1, -2, -2];
  cyc.threshold = [0.5, 0.5, -2, -2];
  cyc.missing_go_to_left = [0, 0, 0, 0];
  cyc.value.push([[1, 0]]);
  rejects(() => fx.treeClassifier(cyc), () => {}, "/state/tree/children_right/1", /found the number 0$/);
});

test("tree features and values", () => {
  const t = fx.treeClassifier;
  rejects(t, (d) => (d.state.tree.feature[0] = 2), "/state/tree/feature/0", "expected an integer in [0, 1], found the number 2");
  rejects(t, (d) => (d.state.tree.feature[0] = -2), "/state/tree/feature/0");
  // leaves may hold any feature (scikit-learn writes -2)
  assert.doesNotThrow(() => { const d = t(); d.state.tree.feature[1] = 7; loadModel(d); });
  rejects(t, (d) => d.state.tree.value.pop(), "/state/tree/value", "expected shape [3,1,2], found [2,1,2]");
  rejects(t, (d) => (d.state.tree.value = d.state.tree.value.map((r) => [r[0].slice(0, 1)])), "/state/tree/value", /expected shape \[3,1,2\]/);
  rejects(t, (d) => (d.state.tree.value[2] = [[0, 1, 0]]), "/state/tree/value/2/0", /expected 2 entries, found 3/);
  rejects(t, (d) => (d.state.tree.value[2] = [0, 1]), "/state/tree/value/2", "expected 1 entries, found 2");
  rejects(t, (d) => (d.state.tree.value[2] = 5), "/state/tree/value/2", "expected an array of 1 entries (shape [3,1,2]), found the number 5");
  rejects(t, (d) => (d.state.tree.value[2][0][1] = [1]), "/state/tree/value/2/0/1", /not an array/);
  rejects(t, (d) => (d.state.tree.value = {}), "/state/tree/value", 'missing key "dtype"');
  rejects(t, (d) => (d.state.tree.value = 3), "/state/tree/value", "expected an array or a binary array object, found the number 3");
  // more classes than the value's last dimension
  rejects(t, (d) => (d.state.classes = ["a", "b", "c"]), "/state/tree/value", /expected shape \[3,1,3\]/);
  // the last dimension is the largest class count, exactly
  rejects(t, (d) => (d.state.tree.value = d.state.tree.value.map((r) => [[...r[0], 0]])), "/state/tree/value", "expected shape [3,1,2], found [3,1,3]");
  rejects(fx.treeRegressor, (d) => (d.state.tree.value = d.state.tree.value.map((r) => [[r[0][0], 0]])), "/state/tree/value", /expected shape \[3,1,1\]/);
  // class weights: never negative, zero in the padding of an output with fewer classes
  rejects(t, (d) => (d.state.tree.value[1][0][1] = -0.5), "/state/tree/value/1/0/1",
    "expected a non-negative class weight, and 0 past the output's classes, found the number -0.5");
  rejects(fx.multiOutputTree, (d) => (d.state.tree.value[2][0][2] = 0.1), "/state/tree/value/2/0/2", /0 past the output's classes/);
  assert.doesNotThrow(() => loadModel(fx.multiOutputTree()));
  // regression leaves may be negative
  assert.doesNotThrow(() => loadModel(fx.treeRegressor()));
});

test("classes: unique labels of one type, one list per output", () => {
  const t = fx.treeClassifier;
  rejects(t, (d) => (d.state.classes = ["a", "a"]), "/state/classes/1", /duplicate class label "a"/);
  rejects(t, (d) => (d.state.classes = ["a", 1]), "/state/classes/1", /a string label like the first one/);
  rejects(t, (d) => (d.state.classes = ["a", null]), "/state/classes/1", /number, string or boolean/);
  rejects(t, (d) => (d.state.classes = []), "/state/classes", /non-empty array/);
  rejects(t, (d) => delete d.state.classes, "/state", 'missing key "classes"');
  rejects(fx.multiOutputTree, (d) => (d.state.classes = [[0, 1]]), "/state/classes", /2 label lists/);
  rejects(fx.multiOutputTree, (d) => (d.state.classes[1] = ["x", "x"]), "/state/classes/1/1", /duplicate/);
  rejects(fx.treeClassifier, (d) => (d.state.n_outputs = 0), "/state/n_outputs");
  rejects(fx.logistic, (d) => (d.state.classes = [true]), "/state/classes", /at least 2 classes/);
});

test("forest estimators", () => {
  const f = fx.forestClassifier;
  rejects(f, (d) => (d.state.estimators = []), "/state/estimators", /non-empty array/);
  rejects(f, (d) => (d.state.estimators[1] = null), "/state/estimators/1", /expected \{"tree": \.\.\.\}/);
  rejects(f, (d) => (d.state.estimators[2].tree.children_left[0] = 9), "/state/estimators/2/tree/children_left/0");
  rejects(f, (d) => (d.state.estimators[1].tree.value[1] = [[1, 0]]), "/state/estimators/1/tree/value/1/0", /expected 3 entries, found 2/);
});

test("linear and logistic coefficients agree with features, targets and classes", () => {
  rejects(fx.linear, (d) => d.state.coef.push(1), "/state/coef", "expected shape [2], found [3]");
  rejects(fx.linear, (d) => (d.state.coef[1] = "NaN"), "/state/coef/1", 'expected a number, found the string "NaN"');
  rejects(fx.linear, (d) => (d.state.coef[1] = "3.8"), "/state/coef/1", 'expected a number, found the string "3.8"');
  rejects(fx.linear, (d) => (d.state.intercept = [1, 2]), "/state/intercept", "expected a number or 1 values, found 2");
  rejects(fx.linear, (d) => (d.state.intercept = "0"), "/state/intercept", 'expected an array or a binary array object, found the string "0"');
  rejects(fx.linear, (d) => delete d.state.coef, "/state", 'missing key "coef"');
  rejects(fx.linear, (d) => { d.state.coef_ = d.state.coef; delete d.state.coef; }, "/state/coef_", 'unknown key; did you mean "coef"?');
  rejects(() => fx.linear(true), (d) => (d.state.intercept = [1]), "/state/intercept", "expected a number or 2 values, found 1");
  rejects(() => fx.linear(true), (d) => (d.state.coef[1] = [1]), "/state/coef/1", /expected 2 entries, found 1/);
  rejects(fx.logistic, (d) => (d.state.coef = [[1, 2], [3, 4]]), "/state/coef", "expected shape [1,2], found [2,2]");
  rejects(fx.logistic, (d) => (d.state.coef = [1, 2]), "/state/coef", "expected shape [1,2], found [2]");
  rejects(() => fx.logistic(3), (d) => d.state.coef.pop(), "/state/coef", /expected shape \[3,2\]/);
  rejects(() => fx.logistic(3), (d) => d.state.intercept.pop(), "/state/intercept", "expected a number or 3 values, found 2");
});

test("boosting stages, losses and raw prediction", () => {
  const b = fx.boostingBinary;
  rejects(b, (d) => (d.params.learning_rate = "0.1"), "/params/learning_rate", 'expected a number, found the string "0.1"');
  rejects(b, (d) => (d.params.learning_rate = -1), "/params/learning_rate", "expected a number >= 0, found the number -1");
  rejects(b, (d) => delete d.params.learning_rate, "/params", 'missing key "learning_rate"');
  rejects(b, (d) => { d.params.learningrate = 0.1; delete d.params.learning_rate; }, "/params/learningrate", 'unknown key; did you mean "learning_rate"?');
  rejects(b, (d) => (d.params.loss = "squared_error"), "/params/loss", /one of log_loss, exponential/);
  rejects(fx.boostingMulticlass, (d) => (d.params.loss = "exponential"), "/params/loss", /one of log_loss/);
  rejects(fx.boostingRegressor, (d) => (d.params.loss = "log_loss"), "/params/loss");
  rejects(b, (d) => (d.state.init_raw_prediction = [0, 0]), "/state/init_raw_prediction", "expected 1 values, found 2");
  rejects(b, (d) => (d.state.n_trees_per_iteration = 2), "/state/n_trees_per_iteration", /expected 1 \(2 classes\)/);
  rejects(fx.boostingMulticlass, (d) => (d.state.n_trees_per_iteration = 1), "/state/n_trees_per_iteration", /expected 3/);
  rejects(b, (d) => (d.state.n_estimators = 3), "/state/n_estimators", /expected 2/);
  rejects(b, (d) => d.state.estimators[1].push(d.state.estimators[1][0]), "/state/estimators/1", /an array of 1 trees/);
  rejects(b, (d) => (d.state.estimators[0][0] = []), "/state/estimators/0/0", /\{"tree": \.\.\.\}/);
  rejects(b, (d) => (d.state.estimators[1][0].tree.value[2] = [[1, 2]]), "/state/estimators/1/0/tree/value/2/0", /expected 1 entries, found 2/);
});

test("feature names: unique strings, one per feature", () => {
  const withNames = (names) => () => { const d = fx.linear(); d.state.feature_names_in = names; return d; };
  rejects(withNames(["a"]), () => {}, "/state/feature_names_in", /2 feature names/);
  rejects(withNames(["a", "a"]), () => {}, "/state/feature_names_in/1", /duplicate feature name "a"/);
  rejects(withNames(["a", 1]), () => {}, "/state/feature_names_in/1", /expected a string/);
  rejects(withNames(null), () => {}, "/state/feature_names_in", "expected an array of 2 feature names, found null");
});

test("JSON Pointer tokens are escaped", () => {
  assert.equal(at("/state", "a/b~c"), "/state/a~1b~0c");
  const d = fx.linear();
  d.state.coef = { dtype: "float64", shape: [2], base64: "AAAAAAAA8D8AAAAAAAAAQA==", "x/y": 1 };
  assert.throws(() => loadModel(d), /^InvalidModelError: \/state\/coef\/x~1y: unexpected field/);
});

test("every supported estimator is registered once, and exactly the schema's", () => {
  assert.equal(new Set(SUPPORTED_ESTIMATORS).size, SUPPORTED_ESTIMATORS.length);
  const entry = JSON.parse(readFileSync(new URL("../../schemas/json-models.schema.json", import.meta.url), "utf8"));
  assert.deepEqual([...SUPPORTED_ESTIMATORS].sort(), [...entry.properties.estimator.enum].sort());
});
