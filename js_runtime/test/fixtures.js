// Small hand-written json-models documents for structure tests (numerical agreement with
// scikit-learn is tested from Python). Each builder returns a fresh, schema-valid document.
import assert from "node:assert/strict";
import { InvalidModelError, loadModel } from "../src/index.js";

/** @param {string} estimator @param {object} params @param {object} state */
export function envelope(estimator, params, state) {
  return {
    format: "json-models",
    format_version: "1.0",
    producer: { name: "json-models", version: "0.1.0", sklearn_version: "1.9.1" },
    estimator,
    params,
    state,
  };
}

/**
 * A stump on feature 0 at `threshold` (left leaf 1, right leaf 2), NaN to the left.
 * `values` has one entry per node: [n_outputs][width].
 */
export function stump(threshold = 0.5, values = [[[0.5, 0.5]], [[1, 0]], [[0, 1]]], missingLeft = 1) {
  return {
    children_left: [1, -1, -1],
    children_right: [2, -1, -1],
    feature: [0, -2, -2],
    threshold: [threshold, -2, -2],
    missing_go_to_left: [missingLeft, 0, 0],
    value: values,
  };
}

/** DecisionTreeClassifier with classes ["a", "b"] on 2 features. */
export function treeClassifier(tree = stump()) {
  return envelope("sklearn.tree.DecisionTreeClassifier", { criterion: "gini", splitter: "best", max_depth: null, random_state: 0 }, {
    n_features_in: 2,
    n_outputs: 1,
    classes: ["a", "b"],
    max_features: 2,
    tree,
  });
}

/** DecisionTreeRegressor on 2 features, leaves -1 (left) and 7 (right). */
export function treeRegressor(threshold = 0.5) {
  return envelope("sklearn.tree.DecisionTreeRegressor", { criterion: "squared_error", splitter: "best" }, {
    n_features_in: 2,
    n_outputs: 1,
    max_features: 2,
    tree: stump(threshold, [[[3]], [[-1]], [[7]]]),
  });
}

/** RandomForestClassifier of 3 stumps, classes [0, 1, 2]. */
export function forestClassifier() {
  const t = (th, l, r) => ({ random_state: 1, tree: stump(th, [[[1 / 3, 1 / 3, 1 / 3]], [l], [r]]) });
  return envelope("sklearn.ensemble.RandomForestClassifier", { n_estimators: 3, bootstrap: true, random_state: 0 }, {
    n_features_in: 2,
    n_outputs: 1,
    classes: [0, 1, 2],
    max_features: 1,
    estimators: [t(0.5, [1, 0, 0], [0, 1, 0]), t(1.5, [0.1, 0.2, 0.7], [0, 0, 1]), t(2.5, [0.2, 0.2, 0.6], [0.3, 0.3, 0.4])],
  });
}

/** Multi-output DecisionTreeClassifier: output 0 labels [0, 1], output 1 labels ["x", "y", "z"]. */
export function multiOutputTree() {
  return envelope("sklearn.tree.DecisionTreeClassifier", { criterion: "gini" }, {
    n_features_in: 2,
    n_outputs: 2,
    classes: [[0, 1], ["x", "y", "z"]],
    max_features: 2,
    tree: stump(0.5, [[[0.5, 0.5, 0], [0.2, 0.3, 0.5]], [[1, 0, 0], [0, 1, 0]], [[0, 1, 0], [0, 0, 1]]]),
  });
}

/** LinearRegression y = 1.5 x0 - 2 x1 + 0.25, or two targets with `multi`. */
export function linear(multi = false) {
  return envelope("sklearn.linear_model.LinearRegression", { fit_intercept: true, positive: false }, multi
    ? { n_features_in: 2, coef: [[1.5, -2], [0, 1]], intercept: [0.25, -1] }
    : { n_features_in: 2, coef: [1.5, -2], intercept: 0.25 });
}

/** LogisticRegression, binary (classes [false, true]) or with 3 classes. */
export function logistic(nClasses = 2) {
  const state = nClasses === 2
    ? { n_features_in: 2, classes: [false, true], coef: [[2, -1]], intercept: [0.5], n_iter: [7] }
    : { n_features_in: 2, classes: ["r", "g", "b"], coef: [[1, 0], [0, 1], [-1, -1]], intercept: [0, 0.1, 0.2], n_iter: [9] };
  return envelope("sklearn.linear_model.LogisticRegression", { C: 1, fit_intercept: true, max_iter: 100 }, state);
}

/** GradientBoostingClassifier, binary: 2 stages of one stump; learning_rate 0.5. */
export function boostingBinary(loss = "log_loss") {
  const t = (a, b) => ({ tree: stump(0.5, [[[0]], [[a]], [[b]]]) });
  return envelope("sklearn.ensemble.GradientBoostingClassifier", { learning_rate: 0.5, loss, init: null, n_estimators: 2 }, {
    n_features_in: 2,
    classes: ["neg", "pos"],
    n_trees_per_iteration: 1,
    n_estimators: 2,
    max_features: 2,
    init: { strategy: "prior", n_outputs: 1, classes: [0, 1], class_prior: [0.5, 0.5] },
    init_raw_prediction: [0],
    estimators: [[t(-1, 1)], [t(-1, 1)]],
  });
}

/** GradientBoostingClassifier with 3 classes, 1 stage, init "zero". */
export function boostingMulticlass() {
  const t = (a, b) => ({ tree: stump(0.5, [[[0]], [[a]], [[b]]]) });
  return envelope("sklearn.ensemble.GradientBoostingClassifier", { learning_rate: 1, loss: "log_loss", init: "zero", n_estimators: 1 }, {
    n_features_in: 2,
    classes: [1, 2, 3],
    n_trees_per_iteration: 3,
    n_estimators: 1,
    max_features: 2,
    init: "zero",
    init_raw_prediction: [0, 0, 0],
    estimators: [[t(1, 0), t(0, 1), t(0, 0)]],
  });
}

/** GradientBoostingRegressor: init 10, 1 stage, learning rate 0.1. */
export function boostingRegressor() {
  return envelope("sklearn.ensemble.GradientBoostingRegressor", { learning_rate: 0.1, loss: "squared_error", init: null, n_estimators: 1 }, {
    n_features_in: 2,
    n_trees_per_iteration: 1,
    n_estimators: 1,
    max_features: 2,
    init: { strategy: "mean", quantile: null, n_outputs: 1, constant: [[10]] },
    init_raw_prediction: [10],
    estimators: [[{ tree: stump(0.5, [[[0]], [[-5]], [[5]]]) }]],
  });
}

/** Every fixture, by name. */
export const ALL = {
  treeClassifier, treeRegressor, forestClassifier, multiOutputTree,
  linear: () => linear(false), linearMulti: () => linear(true),
  logisticBinary: () => logistic(2), logisticMulti: () => logistic(3),
  boostingBinary: () => boostingBinary(), boostingExponential: () => boostingBinary("exponential"),
  boostingMulticlass, boostingRegressor,
};

/**
 * base64 of the little-endian bytes of `values` as `Ctor` (test-only helper: Node's Buffer is
 * fine in tests).
 * @param {Float64ArrayConstructor | Int32ArrayConstructor | Uint8ArrayConstructor} Ctor
 * @param {number[]} values
 */
export function b64(Ctor, values) {
  return Buffer.from(new Ctor(values).buffer).toString("base64");
}

/**
 * Assert that loading `make()` after `edit` throws an InvalidModelError at `pointer` whose
 * message matches `detail`.
 * @param {() => any} make
 * @param {(doc: any) => void} edit
 * @param {string} pointer
 * @param {RegExp} [detail]
 */
export function rejects(make, edit, pointer, detail = /./) {
  const doc = make();
  edit(doc);
  assert.throws(() => loadModel(doc), (e) => {
    assert.ok(e instanceof InvalidModelError, `not an InvalidModelError: ${e}`);
    assert.equal(e.pointer, pointer, e.message);
    assert.match(e.message, detail);
    return true;
  });
}
