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
import { fail, quote } from "../errors.js";
import { need, object, string } from "../fields.js";
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
 * A step's name, once.
 * @param {Record<string, unknown>} entry
 * @param {string} p
 * @param {Set<string>} seen
 */
function stepName(entry, p, seen) {
  const name = string(need(entry, p, "name"), `${p}/name`);
  if (seen.has(name)) fail(`${p}/name`, `expected unique names, found ${quote(name)} again`);
  seen.add(name);
  return name;
}

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
    transform: final ? after(final.transform) : through,
    inputCategories: categories.known,
    steps: info,
    trees: trees && { ...trees, decisionPath: (X, index) => trees.decisionPath(through(X), index) },
  };
}

/**
 * An entry's model: its Parts, "passthrough" or "drop".
 * @param {Record<string, unknown>} entry
 * @param {string} p
 * @param {number[]} indices
 * @param {import("../family.js").Context} ctx
 */
function readEntry(entry, p, indices, ctx) {
  const model = need(entry, p, "model");
  if (model === "passthrough" || model === "drop") return { parts: model, width: model === "drop" ? 0 : indices.length, step: { estimator: model } };
  const step = ctx.read(model, `${p}/model`);
  if (!step.parts.transform) fail(`${p}/model/estimator`, "expected a transformer");
  if (step.nFeatures !== indices.length) fail(`${p}/model/state/n_features_in`, `expected ${indices.length}, the columns given to it`);
  return { parts: step.parts, width: step.parts.nOutputs, step: { estimator: step.estimator, family: step.family, ...(step.parts.steps && { steps: step.parts.steps }) } };
}

/** @type {import("../family.js").Reader} */
function readColumns(state, _params, ctx) {
  const n = ctx.nFeatures;
  const list = need(state, "/state", "transformers");
  if (!Array.isArray(list)) fail("/state/transformers", "expected an array");
  const seen = new Set();
  const used = new Uint8Array(n);
  /** @type {{ parts: Parts | string, width: number, indices: number[], start: number }[]} */
  const entries = [];
  let total = 0;
  /**
   * @param {Record<string, unknown>} entry
   * @param {string} p
   */
  const add = (entry, p) => {
    const idx = ndarray(need(entry, p, "indices"), `${p}/indices`, "i32");
    const indices = Array.from(idx.data);
    indices.forEach((c, k) => {
      if (c >= n) fail(`${p}/indices/${k}`, `expected a column index below ${n}, found ${c}`);
    });
    const { parts, width, step } = readEntry(entry, p, indices, ctx);
    const out = ndarray(need(entry, p, "outputs"), `${p}/outputs`, "i32");
    checkShape(out, [2], `${p}/outputs`);
    const [start, stop] = out.data;
    if (stop - start !== width) fail(`${p}/outputs`, `expected ${width} output columns, found ${stop - start}`);
    if (width && start !== total) fail(`${p}/outputs/0`, `expected ${total}, the next output column`);
    total += width;
    entries.push({ parts, width, indices, start });
    info.push({ name: typeof entry.name === "string" ? entry.name : "remainder", ...step, columns: indices });
    return indices;
  };
  /** @type {import("../family.js").StepInfo[]} */
  const info = [];
  list.forEach((raw, i) => {
    const p = `/state/transformers/${i}`;
    const entry = object(raw, p);
    stepName(entry, p, seen);
    for (const c of add(entry, p)) used[c] = 1;
  });
  const rest = add(object(need(state, "/state", "remainder"), "/state/remainder"), "/state/remainder");
  const left = [...used.keys()].filter((c) => !used[c]);
  if (rest.join() !== left.join()) fail("/state/remainder/indices", `expected [${left}], the columns no transformer takes`);
  /** @type {((string | number)[] | null)[]} */
  const inputCategories = new Array(n).fill(null);
  for (const { parts, indices } of entries) {
    const known = typeof parts === "object" && parts.inputCategories;
    if (known) indices.forEach((c, k) => { inputCategories[c] = known[k]; });
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

/** Estimators of this family, by public import path. */
export const ESTIMATORS = {
  "sklearn.pipeline.Pipeline": readPipeline,
  "sklearn.compose.ColumnTransformer": readColumns,
};
