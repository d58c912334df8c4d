// Family `isolation` (IsolationForest): a hand-written forest whose trees read their own columns,
// its scores by the formula, its tree view, and invalid documents refused with the JSON Pointer of
// the bad place. Agreement with scikit-learn on real data is the cross-language suite's.
import { test } from "node:test";
import assert from "node:assert/strict";
import { loadModel } from "../src/index.js";
import { envelope, rejects, stump } from "./fixtures.js";

// c(4) and c(3) as numpy computes them (sklearn.ensemble._iforest._average_path_length).
const C4 = 1.8516559071392855;
const C3 = 1.207392357589623;
const leaf = () => ({ children_left: [-1], children_right: [-1], feature: [-2], threshold: [-2], missing_go_to_left: [0], value: [[[0.5]]] });

/** Two trees on 2 columns, one column each: a stump on column 1 (its feature 0), a single leaf. */
function forest() {
  return {
    ...envelope("sklearn.ensemble.IsolationForest", { n_estimators: 2, max_samples: 4, contamination: "auto", max_features: 1, bootstrap: false, random_state: 0 }, {
      n_features_in: 2,
      max_samples: 4,
      max_features: 1,
      max_depth: 2,
      offset: -0.5,
      average_path_length_max_samples: C4,
      estimators: [
        { random_state: 1, seed: 2, features: [1], average_path_length: [C4, 0, C3], tree: stump(0.5, [[[0.5]], [[0.1]], [[0.9]]], 0) },
        { random_state: 3, seed: 4, features: [0], average_path_length: [C4], tree: leaf() },
      ],
      n_samples: 4,
      sample_weight: null,
    }),
    format_version: "1.3",
  };
}

/** scikit-learn's score of a row whose path lengths in the two trees are `a` and `b`. */
const score = (a, b) => -(2 ** -((0 + a + b) / (2 * C4)));

test("trees read their own columns, routed as float32; scores, decisions and labels by scikit-learn's formula", () => {
  const model = loadModel(forest());
  const left = (2 + 0) - 1; // depth 2, one training row: c(1) = 0
  const right = (2 + C3) - 1;
  const single = (1 + C4) - 1; // the root as a leaf
  // Column 1 decides (column 0 is the second tree's, a leaf); 0.5000000001 is 0.5 in float32;
  // a missing value goes right (missing_go_to_left 0).
  const rows = [[100, 0], [0, 1], [-5, 0.5000000001], [0, null]];
  const expected = [score(left, single), score(right, single), score(left, single), score(right, single)];
  assert.deepEqual(model.scoreSamples(rows), expected);
  assert.deepEqual(model.decisionFunction(rows), expected.map((s) => s + 0.5));
  assert.deepEqual(model.predict(rows), expected.map((s) => (s + 0.5 < 0 ? -1 : 1)));
  assert.equal(model.classes, null);
});

test("a forest of one-row trees scores -0.5 (scikit-learn's division by c(1) = 0)", () => {
  const d = forest();
  d.state.max_samples = 1;
  d.state.average_path_length_max_samples = 0;
  d.state.estimators.forEach((e) => {
    e.tree = leaf();
    e.average_path_length = [0];
  });
  assert.deepEqual(loadModel(d).scoreSamples([[1, 2], [3, 4]]), [-0.5, -0.5]);
});

test("the tree view shows input columns and path lengths; paths follow the walk", () => {
  const { trees } = loadModel(forest());
  assert.equal(trees.count, 2);
  assert.deepEqual(Array.from(trees.tree(0).feature), [1, -2, -2]);
  assert.deepEqual(Array.from(trees.tree(0).value), [(1 + C4) - 1, 1, (2 + C3) - 1]);
  assert.deepEqual(trees.decisionPath([100, 0], 0), [0, 1]);
  assert.deepEqual(trees.decisionPath([0, 1], 0), [0, 2]);
  assert.deepEqual(trees.decisionPath([0, 1], 1), [0]);
  // Every column read: the trees read rows as they are (no mapping, even of a permutation).
  const all = forest();
  all.state.max_features = 2;
  all.state.estimators[0].features = [1, 0];
  all.state.estimators[1].features = [0, 1];
  const model = loadModel(all);
  assert.deepEqual(Array.from(model.trees.tree(0).feature), [0, -2, -2]);
  assert.deepEqual(model.scoreSamples([[0, 100]]), [score(1, (1 + C4) - 1)]);
});

test("invalid isolation forests are refused at the bad place", () => {
  const entry = "/state/estimators";
  rejects(forest, (d) => (d.state.estimators[0].features = [2]), `${entry}/0/features/0`, /\[0, 1\]/);
  rejects(forest, (d) => (d.state.estimators[1].features = [-1]), `${entry}/1/features/0`);
  rejects(forest, (d) => d.state.estimators[0].features.push(0), `${entry}/0/features`, /expected shape \[1\], found \[2\]/);
  rejects(forest, (d) => (d.params.n_estimators = 3), "/params/n_estimators", /2 \(the number of trees/);
  rejects(forest, (d) => d.state.estimators.pop(), "/params/n_estimators");
  rejects(forest, (d) => (d.state.estimators = []), entry, /non-empty array/);
  rejects(forest, (d) => (d.state.max_features = 3), "/state/max_features");
  rejects(forest, (d) => (d.state.estimators[0].tree.feature[0] = 1), `${entry}/0/tree/feature/0`); // (its own columns: 1)
  rejects(forest, (d) => d.state.estimators[1].average_path_length.push(0), `${entry}/1/average_path_length`, /expected shape \[1\]/);
  rejects(forest, (d) => (d.state.estimators[0].average_path_length[2] = -1), `${entry}/0/average_path_length/2`, /not below 0/);
  rejects(forest, (d) => (d.state.estimators[0].average_path_length[1] = "NaN"), `${entry}/0/average_path_length/1`);
  rejects(forest, (d) => (d.state.average_path_length_max_samples = 2), "/state/average_path_length_max_samples", /of 4 rows/);
  rejects(forest, (d) => (d.state.max_samples = 5), "/state/average_path_length_max_samples");
  rejects(forest, (d) => (d.state.offset = "NaN"), "/state/offset");
  rejects(forest, (d) => delete d.state.estimators[0].features, `${entry}/0`, /missing key "features"/);
  rejects(forest, (d) => (d.state.estimators[0].tree.children_left[1] = 0), `${entry}/0/tree/children_left/1`);
});
