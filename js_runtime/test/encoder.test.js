// Family `encoder` (OneHotEncoder, OrdinalEncoder): invalid documents are refused at their
// JSON Pointer; a value of the wrong kind and an unknown category are errors naming the row
// and feature. (Values against scikit-learn's: the cross-language tests, over the zoo.)
import { test } from "node:test";
import assert from "node:assert/strict";
import { InvalidModelError, loadModel } from "../src/index.js";
import { ESTIMATORS } from "../src/models/encoder.js";
import { rejects } from "./fixtures.js";

// As json-models writes them (scikit-learn 1.9): a string column with a NaN category and an
// int64 column; the one-hot encoder groups categories seen once and drops the first.
const onehot = () => ({
  format: "json-models",
  format_version: "1.2",
  estimator: "sklearn.preprocessing.OneHotEncoder",
  params: {
    categories: "auto", drop: "first", dtype: { dtype: "float64" }, feature_name_combiner: "concat",
    handle_unknown: "error", max_categories: null, min_frequency: 2, sparse_output: true,
  },
  state: {
    n_features_in: 2,
    categories: [{ dtype: "|O", values: ["a", "b", "c"], nan: true }, { dtype: "<i8", values: [1, 2, 3] }],
    infrequent: [[1, 2, 3], [2]],
    drop_idx: [0, 0],
    handle_unknown: "error",
  },
});
const ordinal = () => ({
  format: "json-models",
  format_version: "1.2",
  estimator: "sklearn.preprocessing.OrdinalEncoder",
  params: {
    categories: "auto", dtype: { dtype: "float64" }, encoded_missing_value: { float: "NaN" },
    handle_unknown: "use_encoded_value", max_categories: null, min_frequency: null, unknown_value: -1,
  },
  state: {
    n_features_in: 2,
    categories: [{ dtype: "|O", values: ["a", "b", "c"], nan: true }, { dtype: "<i8", values: [1, 2, 3] }],
  },
});

/** The reader's parts for a document (transform: rows with null as NaN, as rows.js gives them). */
function parts(doc) {
  const p = ESTIMATORS[doc.estimator](doc.state, doc.params, { nFeatures: doc.state.n_features_in, estimator: doc.estimator });
  const transform = (rows) => {
    const out = p.transform({ data: rows.flat().map((x) => (x === null ? NaN : x)), n: rows.length, m: rows[0].length, missing: null });
    return Array.from({ length: out.n }, (_, i) => out.data.slice(i * out.m, (i + 1) * out.m));
  };
  return { ...p, transform };
}

test("encoders load and say what they read", () => {
  const p = parts(onehot());
  assert.equal(p.mixed, true);
  assert.equal(p.allowMissing, true);
  // a, and b, c, NaN grouped: a dropped; 1, 2, and 3 (infrequent): 1 dropped.
  assert.equal(p.nOutputs, 1 + 2);
  assert.deepEqual(p.inputCategories, [["a", "b", "c"], [1, 2, 3]]);
  assert.deepEqual(parts(ordinal()).inputCategories, [["a", "b", "c"], [1, 2, 3]]);
});

test("a string category matches only the same string, NaN the NaN category", () => {
  const p = parts(ordinal());
  assert.deepEqual(p.transform([["a", 1], ["c", 3], [null, 2], ["1", 1], [1, 3]]), [[0, 0], [2, 2], [NaN, 1], [-1, 0], [-1, 2]]);
});

test("a string where the categories are numbers is a TypeError naming row and feature", () => {
  const p = parts(ordinal());
  assert.throws(() => p.transform([["a", 1], ["a", "2"]]), { name: "TypeError", message: 'X row 1, feature 1: expected a number, found the string "2"' });
});

test("an unknown category under handle_unknown \"error\" is an error as scikit-learn's", () => {
  const p = parts(onehot());
  // (scikit-learn's transform of these rows)
  assert.deepEqual(p.transform([["a", 1], [null, 2]]), [[0, 0, 0], [1, 1, 0]]);
  assert.throws(() => p.transform([["a", 1], ["b", 1], ["z", 1]]), { message: 'X row 2, feature 0: unknown category "z"' });
  assert.throws(() => p.transform([["a", 1], ["b", 1], ["a", 7]]), { message: "X row 2, feature 1: unknown category 7" });
  const o = ordinal();
  o.params.handle_unknown = "error";
  assert.throws(() => parts(o).transform([["a", 1], ["b", 9]]), { message: "X row 1, feature 1: unknown category 9" });
});

test("invalid categories are refused at their pointer", () => {
  rejects(onehot, (d) => (d.state.categories[1].values[1] = "2"), "/state/categories/1/values/1", /expected an integer, found the string "2"/);
  rejects(onehot, (d) => (d.state.categories[0].values[1] = 2), "/state/categories/0/values", /all strings or all numbers/);
  rejects(onehot, (d) => (d.state.categories[1].values = [1, 3, 2]), "/state/categories/1/values/2", /increasing/);
  rejects(onehot, (d) => (d.state.categories[1].values = [1, 1.5]), "/state/categories/1/values/1", /an integer/);
  rejects(onehot, (d) => (d.state.categories[0].values = ["a", "a"]), "/state/categories/0/values", /unique/);
  rejects(onehot, (d) => (d.state.categories[1].nan = true), "/state/categories/1/nan", /float or object dtype/);
  rejects(onehot, (d) => (d.state.categories[1].dtype = "<M8"), "/state/categories/1/dtype");
  rejects(onehot, (d) => (d.state.categories[0] = ["a"]), "/state/categories/0", /an object/);
  rejects(onehot, (d) => d.state.categories.pop(), "/state/categories", /2 entries/);
  rejects(onehot, (d) => (d.state.categories[1].values = []), "/state/categories/1/values", /at least one/);
  rejects(ordinal, (d) => delete d.state.categories[0].values, "/state/categories/0", /missing key "values"/);
});

test("a drop index out of range, and bad infrequent indices, are refused at their pointer", () => {
  rejects(onehot, (d) => (d.state.drop_idx[1] = 3), "/state/drop_idx/1", /null or a category index in \[0, 2\], found the number 3/);
  rejects(onehot, (d) => (d.state.drop_idx[0] = -1), "/state/drop_idx/0");
  rejects(onehot, (d) => (d.state.drop_idx = [0]), "/state/drop_idx", /2 entries/);
  rejects(onehot, (d) => (d.state.infrequent[0] = [4]), "/state/infrequent/0/0", /\[0, 3\]/);
  rejects(onehot, (d) => (d.state.infrequent[1] = [2, 1]), "/state/infrequent/1/1", /increasing/);
  rejects(onehot, (d) => (d.state.infrequent[1] = []), "/state/infrequent/1", /at least one/);
  rejects(onehot, (d) => (d.state.infrequent[1] = ["2"]), "/state/infrequent/1/0");
  // OrdinalEncoder never groups its NaN category: index 3 is out of range there.
  rejects(ordinal, (d) => (d.state.infrequent = [[3], null]), "/state/infrequent/0/0", /\[0, 2\]/);
});

test("unknown-value parameters are checked", () => {
  rejects(onehot, (d) => (d.state.handle_unknown = "warn"), "/state/handle_unknown");
  rejects(ordinal, (d) => (d.params.unknown_value = "x"), "/params/unknown_value", /an integer or \{"float": "NaN"\}/);
  rejects(ordinal, (d) => (d.params.encoded_missing_value = { float: "Infinity" }), "/params/encoded_missing_value");
  rejects(ordinal, (d) => (d.params.handle_unknown = "ignore"), "/params/handle_unknown");
});
