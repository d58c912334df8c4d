// @ts-check
/**
 * Family `pipeline`: Pipeline and ColumnTransformer, estimators made of estimators.
 *
 * Each step is a document of its own, read as any other (`ctx.read`). A Pipeline passes the
 * rows through each step's `transform` in order, checked as the next step takes them (numbers
 * only, float32 for trees: rows.js `conform`), then the last step predicts or transforms. A
 * ColumnTransformer gives each entry the input columns at its `indices` and places what it
 * returns at its `outputs` columns (sparse output in scikit-learn: the same values as rows).
 * @module
 */
import { checkShape, ndarray } from "../arrays.js";
import { fail, quote, show } from "../errors.js";
import { isObject, need, object, string } from "../fields.js";
import { conform } from "../rows.js";

/**
 * @typedef {import("../family.js").Parts} Parts
 * @typedef {import("../rows.js").Input} Input
 */

/**
 * The rows as `parts` takes them.
 * @param {Parts} parts
 * @param {Input} X
 */
const feed = (parts, X) => conform(X, parts.float32, parts.allowMissing, !!parts.mixed);

/**
 * A step's name, once, as scikit-learn allows it.
 * @param {Record<string, unknown>} entry
 * @param {string} p
 * @param {Set<string>} seen
 */
function stepName(entry, p, seen) {
  const name = string(need(entry, p, "name"), `${p}/name`);
  if (seen.has(name)) fail(`${p}/name`, `expected unique step names, found ${quote(name)} again`);
  if (name.includes("__")) fail(`${p}/name`, 'expected a name without "__" (scikit-learn\'s rule)');
  seen.add(name);
  return name;
}

/** Families whose arithmetic does not follow their input's float dtype (see `float32Output`). */
const FLOAT64_ARITHMETIC = ["linear", "logistic", "tree", "forest", "boosting"];

/**
 * Whether two lists of names are the same.
 * @param {string[] | null} a
 * @param {string[]} b
 */
const sameNames = (a, b) => a !== null && a.length === b.length && a.every((x, i) => x === b[i]);

/** @type {import("../family.js").Reader} */
function readPipeline(state, _params, ctx) {
  const list = need(state, "/state", "steps");
  if (!Array.isArray(list) || !list.length) fail("/state/steps", "expected an array of steps");
  /** @type {(Parts | null)[]} */
  const steps = [];
  /** @type {import("../family.js").StepInfo[]} */
  const info = [];
  const seen = new Set();
  /** @type {{ known: Parts["inputCategories"], done: boolean }} */
  const categories = { known: undefined, done: false };
  let width = ctx.nFeatures; // columns the next step is given
  list.forEach((raw, i) => {
    const p = `/state/steps/${i}`;
    const entry = object(raw, p);
    const name = stepName(entry, p, seen);
    const model = need(entry, p, "model");
    if (model === null || model === "passthrough") {
      info.push({ name, estimator: "passthrough" });
      return void steps.push(null);
    }
    const step = ctx.read(model, `${p}/model`);
    info.push({ name, estimator: step.estimator, family: step.family, ...(step.parts.steps && { steps: step.parts.steps }) });
    if (step.nFeatures !== width) fail(`${p}/model/state/n_features_in`, `expected ${width}, the columns the step before gives`);
    const before = steps.reduce((/** @type {Parts | null} */ last, s) => s ?? last, null);
    if (!before && ctx.featureNames && step.featureNames && !sameNames(step.featureNames, ctx.featureNames)) {
      fail("/state/feature_names_in", "expected the first step's feature names");
    }
    if (before?.float32Output && !FLOAT64_ARITHMETIC.includes(step.family)) {
      fail(`${p}/model/estimator`, "expected a step that computes in float64: the step before gives float32, whose arithmetic this runtime does not reproduce (export with dtype=np.float64)");
    }
    if (!step.parts.transform && i < list.length - 1) fail(`${p}/model/estimator`, "expected a transformer: every step but the last transforms");
    // The categories the page offers: the first step's, or those of the step after an imputer
    // that keeps its columns as they are (fills them).
    if (!categories.done) {
      categories.known = step.parts.inputCategories;
      categories.done = !!categories.known || step.family !== "imputer" || step.parts.nOutputs !== width;
    }
    if (step.parts.transform) width = step.parts.nOutputs;
    steps.push(step.parts);
  });
  const final = steps[steps.length - 1];
  if (!steps.some(Boolean)) fail("/state/steps", "expected at least one estimator");
  /** @param {Input} X */
  const through = (X) => {
    for (let k = 0; k < steps.length - 1; k++) {
      const s = steps[k];
      if (s?.transform) X = s.transform(feed(s, X));
    }
    return final ? feed(final, X) : X;
  };
  /**
   * @template T
   * @param {((X: Input) => T) | undefined} f
   */
  const after = (f) => f && ((/** @type {Input} */ X) => f(through(X)));
  const trees = final?.trees;
  return {
    classes: final ? final.classes : null,
    nOutputs: final ? final.nOutputs : width,
    float32: false,
    allowMissing: true,
    mixed: true,
    predict: after(final?.predict),
    predictProba: after(final?.predictProba),
    decisionFunction: after(final?.decisionFunction),
    scoreSamples: after(final?.scoreSamples),
    architecture: final?.architecture,
    transform: final ? after(final.transform) : through,
    inputCategories: categories.known,
    steps: info,
    trees: trees && { ...trees, decisionPath: (X, index) => trees.decisionPath(through(X), index) },
  };
}

/**
 * An entry's model: its Parts, "passthrough" or "drop", and what the page shows of it.
 * @param {Record<string, unknown>} entry
 * @param {string} p
 * @param {number[]} indices
 * @param {string[] | null} names the input's feature names
 * @param {import("../family.js").Context} ctx
 */
function readEntry(entry, p, indices, names, ctx) {
  const model = need(entry, p, "model");
  if (model === "passthrough" || model === "drop") return { parts: model, width: model === "drop" ? 0 : indices.length, step: { estimator: model } };
  const step = ctx.read(model, `${p}/model`);
  if (!step.parts.transform) fail(`${p}/model/estimator`, "expected a transformer");
  if (step.nFeatures !== indices.length) fail(`${p}/model/state/n_features_in`, `expected ${indices.length}, the number of columns given to it`);
  if (step.featureNames && !(names && sameNames(step.featureNames, indices.map((c) => names[c])))) {
    fail(`${p}/model/state/feature_names_in`, "expected the names of the columns given to it");
  }
  return { parts: step.parts, width: step.parts.nOutputs, step: { estimator: step.estimator, family: step.family, ...(step.parts.steps && { steps: step.parts.steps }) } };
}

/**
 * The indices of the input columns that `columns` selects, as scikit-learn selects them: an
 * index (negative from the end), a name, a list of either, a boolean mask, or a slice (of
 * names: the stop included, as pandas' `.loc`).
 * @param {unknown} columns
 * @param {number} n
 * @param {string[] | null} names
 * @param {string} p
 * @returns {number[]}
 */
function select(columns, n, names, p) {
  /** @param {unknown} k */
  const index = (k) => {
    if (typeof k === "string") {
      const j = names ? names.indexOf(k) : -1;
      return j >= 0 ? j : fail(p, `expected a column of feature_names_in, found ${quote(k)}`);
    }
    if (Number.isInteger(k) && /** @type {number} */ (k) >= -n && /** @type {number} */ (k) < n) return (/** @type {number} */ (k) + n) % n;
    return fail(p, `expected column indices, names or a mask, found ${show(k)}`);
  };
  if (isObject(columns)) {
    const s = need(columns, p, "slice");
    if (!Array.isArray(s) || s.length !== 3) return fail(p, "expected a slice [start, stop, step]");
    const [a, b, c] = s;
    const step = c ?? 1;
    if (!Number.isInteger(step) || step <= 0) return fail(p, `expected a positive slice step, found ${show(c)}`);
    /**
     * @param {unknown} v
     * @param {number} none
     * @param {number} past 1 for a stop given by name (included)
     */
    const bound = (v, none, past) => {
      if (v === null) return none;
      if (typeof v === "string") return index(v) + past;
      if (!Number.isInteger(v)) return fail(p, "expected slice bounds as integers or names");
      const j = /** @type {number} */ (v);
      return Math.min(n, Math.max(0, j < 0 ? j + n : j));
    };
    const out = [];
    for (let j = bound(a, 0, 0), stop = bound(b, n, 1); j < stop; j += step) out.push(j);
    return out;
  }
  const keys = Array.isArray(columns) ? columns : [columns];
  if (keys.length && keys.every((k) => typeof k === "boolean")) {
    if (keys.length !== n) fail(p, `expected a mask of ${n} entries`);
    return keys.flatMap((k, j) => (k ? [j] : []));
  }
  if (!keys.every((k) => typeof k === "string") && !keys.every(Number.isInteger)) {
    fail(p, "expected column indices, names or a mask, not a mixture");
  }
  return keys.map(index);
}

/** @type {import("../family.js").Reader} */
function readColumns(state, _params, ctx) {
  const n = ctx.nFeatures;
  const names = ctx.featureNames;
  const list = need(state, "/state", "transformers");
  if (!Array.isArray(list)) fail("/state/transformers", "expected an array");
  const rest = object(need(state, "/state", "remainder"), "/state/remainder");
  // Every input column is some entry's or the remainder's: checked on the counts before
  // anything the size of the input is made (a document may claim 2**31 - 1 columns).
  const listed = (/** @type {unknown} */ e) => (isObject(e) && Array.isArray(e.indices) ? e.indices.length : 0);
  if (list.reduce((sum, e) => sum + listed(e), listed(rest)) < n) fail("/state/remainder/indices", REMAINDER_RULE);
  const seen = new Set();
  const used = new Uint8Array(n);
  /** @type {{ parts: Parts | string, width: number, indices: number[], start: number }[]} */
  const entries = [];
  /** @type {import("../family.js").StepInfo[]} */
  const info = [];
  let total = 0;
  /**
   * @param {Record<string, unknown>} entry
   * @param {string} p
   * @param {string} name
   */
  const add = (entry, p, name) => {
    const idx = ndarray(need(entry, p, "indices"), `${p}/indices`, "i32");
    const indices = Array.from(idx.data);
    indices.forEach((c, k) => {
      if (c < 0 || c >= n) fail(`${p}/indices/${k}`, `expected a column index in [0, ${n}), found ${c}`);
    });
    if (name !== "remainder") {
      const wanted = select(need(entry, p, "columns"), n, names, `${p}/columns`);
      if (wanted.join() !== indices.join()) fail(`${p}/indices`, `expected [${wanted.join(", ")}], the indices its columns select`);
    }
    const { parts, width, step } = readEntry(entry, p, indices, names, ctx);
    const out = ndarray(need(entry, p, "outputs"), `${p}/outputs`, "i32");
    checkShape(out, [2], `${p}/outputs`);
    const [start, stop] = out.data;
    if (stop - start !== width) fail(`${p}/outputs`, `expected ${width} output columns, found ${stop - start}`);
    if (!width && start) fail(`${p}/outputs`, "expected [0, 0] for no output columns");
    if (width && start !== total) fail(`${p}/outputs`, `expected [${total}, ...], the next output columns`);
    total += width;
    entries.push({ parts, width, indices, start });
    info.push({ name, ...step, columns: indices });
    return indices;
  };
  list.forEach((raw, i) => {
    const p = `/state/transformers/${i}`;
    const entry = object(raw, p);
    const name = stepName(entry, p, seen);
    if (name === "remainder") fail(`${p}/name`, '"remainder" is reserved');
    for (const c of add(entry, p, name)) used[c] = 1;
  });
  const remaining = add(rest, "/state/remainder", "remainder");
  let k = 0;
  for (let c = 0; c < n; c++) if (!used[c] && remaining[k++] !== c) fail("/state/remainder/indices", REMAINDER_RULE);
  if (k !== remaining.length) fail("/state/remainder/indices", REMAINDER_RULE);
  /** @type {((string | number)[] | null)[]} */
  const inputCategories = new Array(n).fill(null);
  for (const { parts, indices } of entries) {
    const known = typeof parts === "object" && parts.inputCategories;
    if (known) indices.forEach((c, j) => { inputCategories[c] = known[j]; });
  }
  return {
    classes: null,
    nOutputs: total,
    float32: false,
    allowMissing: true,
    mixed: true,
    inputCategories,
    steps: info,
    transform: (X) => {
      const data = new Array(X.n * total);
      for (const { parts, width, indices, start } of entries) {
        if (!width) continue;
        /** @type {Input} */
        let Y = { data: [], n: X.n, m: indices.length, missing: null };
        for (let i = 0; i < X.n; i++) for (const c of indices) Y.data.push(X.data[i * X.m + c]);
        if (typeof parts === "object") Y = /** @type {(X: Input) => Input} */ (parts.transform)(feed(parts, Y));
        for (let i = 0; i < X.n; i++) for (let j = 0; j < width; j++) data[i * total + start + j] = Y.data[i * width + j];
      }
      return { data, n: X.n, m: total, missing: null };
    },
  };
}

const REMAINDER_RULE = "expected the columns no transformer takes, in order";

/** Estimators of this family, by public import path. */
export const ESTIMATORS = {
  "sklearn.pipeline.Pipeline": readPipeline,
  "sklearn.compose.ColumnTransformer": readColumns,
};
