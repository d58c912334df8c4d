// @ts-check
/**
 * The json-models browser demo: open a model file (or a served one), show its card, predict a
 * row typed in a form or CSV rows, and draw trees with the current row's decision path.
 *
 * Everything runs here with the runtime in `../src/index.js`, imported as is (no build step).
 * A pipeline's card lists its steps, and its form offers the categories its encoders know; a
 * model that only transforms (a transformer, or a pipeline ending in one) shows the
 * transformed row instead of a prediction. Displayed predictions carry their full-precision values in `data-*` attributes
 * (`JSON.stringify`, which writes numbers so that they parse back to the same float64), so a
 * test can compare them bit for bit with scikit-learn's.
 * @module
 */
import { InvalidModelError, MAX_DOCUMENT_BYTES, UnsupportedVersionError, loadModel } from "../src/index.js";
import { drawTree, short, withShape } from "./tree-view.js";

/**
 * @typedef {import("../src/index.js").Model} Model
 * @typedef {import("../src/index.js").Label} Label
 * @typedef {import("../src/index.js").Trees} Trees
 * @typedef {import("./tree-view.js").ShapedTree} ShapedTree
 * @typedef {NonNullable<Model["steps"]>} Steps a pipeline's steps, as the runtime lists them
 * @typedef {(number | string | null)[]} Row a value per input column: a number, a category
 *   (string or number), or null (missing)
 */

/**
 * @typedef {object} Loaded the model on display
 * @property {string} name file name
 * @property {number} bytes size of the file as read
 * @property {boolean} gzip whether it was gzip-compressed
 * @property {any} doc the parsed document
 * @property {Model} model
 * @property {Trees | null} trees the model's trees (families tree, forest, boosting, hgb, and
 *   a pipeline ending in one of them)
 * @property {string} treeFamily the family of the model the trees are: "tree", "forest",
 *   "boosting" or "hgb" ("" without trees)
 * @property {Label[][] | null} classes one list of labels per output (classifiers)
 * @property {number} ms time to parse and load
 */

/** Largest number of batch rows drawn as a table (all are predicted). */
const MAX_TABLE_ROWS = 500;
/**
 * Most inputs the form draws: a model can take thousands of features (or claim up to 2**31-1
 * in a document of a few hundred bytes: a tree names only the features it splits on). The
 * others take one value for all, or a batch row's; the CSV box sets every one.
 */
const MAX_FORM_FEATURES = 200;
/**
 * Widest row the form predicts: 2**24 float64 values are 128 MiB, and the runtime copies them.
 * Wider rows are never built (CSV rows are as wide as the text pasted).
 */
const MAX_ROW_FEATURES = 2 ** 24;
/** Cells read as a missing value in the form and in CSV. */
const MISSING = new Set(["", "nan", "na", "n/a", "null", "none", "?"]);

/** @type {Loaded | null} */
let current = null;
/** The row in the form, as last predicted. @type {Row | null} */
let currentRow = null;
/**
 * What the features beyond the form's inputs hold: one value for all (0, or null: missing), or
 * the row of the batch line last clicked (`line` counts from 0, as the table does).
 * @type {{ fill: number | null } | { row: Row, line: number }}
 */
let beyondForm = { fill: 0 };
/** Number of loads started: a slow load that another one overtook is dropped. */
let loads = 0;
/** Tree view state: which tree, and nodes the user opened or closed. */
const view = { index: 0, levels: 3, /** @type {Map<number, boolean>} */ toggled: new Map() };

// ---------------------------------------------------------------- small DOM helpers

/**
 * The element with `id` (it exists in index.html).
 * @template {HTMLElement} T
 * @param {string} id
 * @returns {T}
 */
function $(id) {
  const e = document.getElementById(id);
  if (!e) throw new Error(`index.html has no #${id}`);
  return /** @type {T} */ (e);
}

/**
 * Create an element with attributes and children.
 * @param {string} tag
 * @param {Record<string, string | number | boolean>} [attrs]
 * @param {(Node | string)[]} [children]
 */
function h(tag, attrs = {}, children = []) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === false) continue;
    if (k === "class") e.className = String(v);
    else if (k === "text") e.textContent = String(v);
    else e.setAttribute(k, v === true ? "" : String(v));
  }
  e.append(...children);
  return e;
}

/**
 * A label as text: strings as they are, numbers and booleans as JSON writes them.
 * @param {unknown} v
 */
const labelText = (v) => (typeof v === "string" ? v : JSON.stringify(v));

/** @param {number} n */
function kib(n) {
  return n < 1024 ? `${n} B` : n < 1024 * 1024 ? `${(n / 1024).toFixed(1)} KiB` : `${(n / 1024 / 1024).toFixed(1)} MiB`;
}

/**
 * The name of feature `j`: its name in the document, or x0, x1, … when it has none.
 * @param {Model} model
 * @param {number} j
 */
function featureName(model, j) {
  return model.featureNames?.[j] ?? `x${j}`;
}

/**
 * The categories the model knows for input column `j` (a column an encoder takes), or null
 * for a numeric column.
 * @param {Model} model
 * @param {number} j
 */
function categoriesOf(model, j) {
  const known = model.inputCategories?.[j];
  return known?.length ? known : null;
}

/**
 * The family of the model whose trees `model.trees` are: the model's own, or for a pipeline
 * its last step's ("" for a model without trees).
 * @param {Model} model
 */
function treeFamily(model) {
  if (!model.trees) return "";
  if (!model.steps) return model.family;
  let last = model.steps[model.steps.length - 1];
  while (last.steps) last = last.steps[last.steps.length - 1];
  return last.family ?? "";
}

/** @param {string} text */
function setStatus(text) {
  $("status").textContent = text;
}

// ---------------------------------------------------------------- loading

/**
 * The document in a model file: gzip is decompressed (DecompressionStream, at most
 * MAX_DOCUMENT_BYTES of output); anything else that is not JSON text (bz2, xz, a pickle,
 * invalid UTF-8, a syntax error) is refused with the runtime's own message.
 * @param {Uint8Array<ArrayBuffer>} bytes
 * @returns {Promise<{doc: any, gzip: boolean}>}
 */
async function fileDocument(bytes) {
  const gzip = bytes[0] === 0x1f && bytes[1] === 0x8b;
  const data = gzip ? await gunzip(bytes) : bytes;
  try {
    return { doc: JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(data)), gzip };
  } catch {
    loadModel(data); // not UTF-8 JSON text: the runtime says why (where, what was found)
    throw new InvalidModelError("", "not valid JSON");
  }
}

/**
 * The decompressed bytes of gzip data, read until they pass MAX_DOCUMENT_BYTES (then refused).
 * @param {Uint8Array<ArrayBuffer>} bytes
 * @returns {Promise<Uint8Array<ArrayBuffer>>}
 */
async function gunzip(bytes) {
  if (typeof DecompressionStream === "undefined") throw new InvalidModelError("", "gzip-compressed, and this browser has no DecompressionStream");
  const reader = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip")).getReader();
  /** @type {Uint8Array[]} */
  const chunks = [];
  let size = 0;
  for (;;) {
    let chunk;
    try {
      chunk = await reader.read();
    } catch (e) {
      throw new InvalidModelError("", `not valid gzip data (${e instanceof Error ? e.message : e})`);
    }
    if (chunk.done) break;
    size += chunk.value.length;
    if (size > MAX_DOCUMENT_BYTES) {
      reader.cancel();
      throw new InvalidModelError("", `decompresses to more than ${MAX_DOCUMENT_BYTES} bytes`);
    }
    chunks.push(chunk.value);
  }
  const data = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    data.set(c, at);
    at += c.length;
  }
  return data;
}

/**
 * Load a model file's bytes and show it; on any error, show the error and clear the model
 * (the page stays usable: open another file).
 * @param {string} name
 * @param {Uint8Array<ArrayBuffer>} bytes
 */
async function openBytes(name, bytes) {
  const seq = ++loads;
  document.body.dataset.state = "loading";
  setStatus(`Reading ${name}…`);
  try {
    const start = performance.now();
    const { doc, gzip } = await fileDocument(bytes);
    if (seq !== loads) return; // another file was opened meanwhile
    const model = loadModel(doc);
    const trees = model.trees ?? null;
    const ms = performance.now() - start;
    const classes = model.classes === null ? null : model.nOutputs > 1 ? /** @type {Label[][]} */ (model.classes) : [/** @type {Label[]} */ (model.classes)];
    show({ name, bytes: bytes.length, gzip, doc, model, trees, treeFamily: treeFamily(model), classes, ms });
  } catch (e) {
    if (seq === loads) showError(name, e);
  }
}

/**
 * Show why a file could not be loaded, and clear the model.
 * @param {string} name
 * @param {unknown} e
 */
function showError(name, e) {
  current = null;
  currentRow = null;
  for (const id of ["card", "input", "results", "tree"]) $(id).hidden = true;
  const invalid = e instanceof InvalidModelError;
  const pointer = invalid ? e.pointer : "";
  const message = e instanceof Error ? e.message : String(e);
  // The runtime's message starts with the pointer; the page shows the two apart.
  const prefix = `${pointer || "/"}: `;
  $("error-title").textContent =
    e instanceof UnsupportedVersionError ? "Unsupported format version" : invalid ? "Not a valid json-models document" : "Could not load this file";
  $("error-file").textContent = name;
  $("error-pointer").textContent = pointer || "/ (the whole document)";
  $("error-message").textContent = message.startsWith(prefix) ? message.slice(prefix.length) : message;
  $("error").hidden = false;
  $("error").dataset.pointer = pointer;
  setStatus("");
  document.title = "json-models · browser demo";
  document.body.dataset.state = "error";
  document.body.dataset.model = name;
}

/**
 * Show a loaded model: card, input form, tree controls, and a first prediction.
 * @param {Loaded} loaded
 */
function show(loaded) {
  current = loaded;
  $("error").hidden = true;
  view.index = 0;
  view.toggled = new Map();
  renderCard(loaded);
  renderForm(loaded);
  setupTreeControls(loaded);
  $("batch").hidden = true;
  $("batch").replaceChildren();
  $("card").hidden = $("input").hidden = $("results").hidden = false;
  setStatus(`Loaded ${loaded.name} (${kib(loaded.bytes)}${loaded.gzip ? ", gzip" : ""}) in ${loaded.ms.toFixed(1)} ms.`);
  predictForm();
  document.title = `${loaded.name} · json-models`;
  document.body.dataset.model = loaded.name;
  document.body.dataset.state = "ready";
}

// ---------------------------------------------------------------- the card

/**
 * A comma-separated list that stays short; the whole list goes in the tooltip.
 * @param {unknown[]} items
 * @param {number} max
 */
function listText(items, max = 12) {
  const all = items.map(labelText);
  const text = all.length > max ? `${all.slice(0, max).join(", ")}, … (${all.length})` : all.join(", ");
  return { text, title: all.join(", ") };
}

/** @param {Loaded} m */
function renderCard(m) {
  const { doc, model, trees } = m;
  $("card-name").textContent = model.estimator.split(".").pop() ?? model.estimator;
  $("card-family").textContent = model.family;
  $("card-path").textContent = model.estimator;
  const producer = doc.producer ?? {};
  /** @type {[string, string | Node, string?][]} */
  const facts = [
    ["file", `${m.name} · ${kib(m.bytes)}${m.gzip ? " gzip" : ""}`],
    ["format", `json-models ${doc.format_version}`],
  ];
  if (producer.name) {
    facts.push(["written by", `${producer.name} ${producer.version ?? ""}${producer.sklearn_version ? ` · scikit-learn ${producer.sklearn_version}` : ""}`]);
  }
  const names = model.featureNames && listText(model.featureNames);
  facts.push(["features", `${model.nFeatures}${names ? `: ${names.text}` : " (no names: x0…)"}`, names ? names.title : undefined]);
  if (model.steps) facts.push(["steps", stepList(model, model.steps, true)]);
  if (model.architecture) {
    const { layers, activation, outputActivation } = model.architecture;
    const units = layers.map((n) => n.toLocaleString("en-US"));
    facts.push(["layers", `${units.join(" → ")} (${layers.length - 2} hidden)`], ["activation", `${activation}, output ${outputActivation}`]);
  }
  if (!model.predict) {
    facts.push(["task", `transform, ${model.nOutputs} output column${model.nOutputs === 1 ? "" : "s"}`]);
  } else if (m.classes) {
    m.classes.forEach((c, k) => {
      const l = listText(c);
      facts.push([m.classes && m.classes.length > 1 ? `classes, output ${k}` : "classes", `${c.length}: ${l.text}`, l.title]);
    });
  } else if (model.scoreSamples) {
    facts.push(["task", "outlier detection (1 inlier, -1 outlier)"]);
  } else {
    facts.push(["task", model.nOutputs > 1 ? `regression, ${model.nOutputs} targets` : "regression"]);
  }
  if (trees) {
    const what =
      m.treeFamily === "boosting"
        ? `${trees.count} (${trees.count / trees.perIteration} stages × ${trees.perIteration})`
        : String(trees.count);
    if (m.treeFamily === "hgb") facts.push(["iterations", String(trees.count / trees.perIteration)], ["trees per iteration", String(trees.perIteration)]);
    facts.push(["trees", what], ["nodes", trees.nodeCount.toLocaleString("en-US")]);
    if (m.treeFamily === "tree") {
      const t = withShape(trees.tree(0));
      facts.push(["leaves · depth", `${t.leaves} · ${t.maxDepth}`]);
    }
  }
  const params = doc.params ?? {};
  const keyParams = ["n_estimators", "max_depth", "learning_rate", "criterion", "loss", "alpha", "C", "penalty", "kernel", "gamma", "hidden_layer_sizes", "activation", "solver", "contamination", "var_smoothing"]
    .filter((k) => params[k] !== undefined && params[k] !== null && params[k] !== "deprecated")
    .map((k) => `${k}=${params[k]?.tuple ? `(${params[k].tuple.join(", ")})` : JSON.stringify(params[k])}`);
  if (keyParams.length) facts.push(["params", keyParams.join(", ")]);
  facts.push(["loaded in", `${m.ms.toFixed(1)} ms`]);
  $("card-facts").replaceChildren(
    ...facts.flatMap(([k, v, title]) => [h("dt", { text: k }), h("dd", { title: title ?? false }, [v])]),
  );
}

/**
 * A pipeline's steps as a nested list: each step's name and class, and for a column
 * transformer's entry the input columns it takes, named when they are the model's own.
 * @param {Model} model
 * @param {Steps} steps
 * @param {boolean} raw whether these steps are given the model's input columns
 * @returns {HTMLElement}
 */
function stepList(model, steps, raw) {
  return h(
    "ul",
    { class: "steps" },
    steps.map((s, k) => {
      // A pipeline's step takes the model's columns when every step before it passes them on;
      // a column transformer's entry takes the columns listed (only those).
      const own = s.columns ? false : raw && steps.slice(0, k).every((p) => p.estimator === "passthrough");
      const cls = s.estimator.split(".").pop() ?? s.estimator;
      const cols = s.columns && listText(s.columns.map((c) => (raw ? featureName(model, c) : `column ${c}`)), 8);
      return h("li", { "data-step": s.name }, [
        h("span", { class: "step-name", text: s.name }),
        " ",
        h("code", { text: cls, title: s.estimator }),
        ...(cols ? [h("span", { class: "step-columns", text: ` ← ${cols.text || "no columns"}`, title: cols.title })] : []),
        ...(s.steps ? [stepList(model, s.steps, own)] : []),
      ]);
    }),
  );
}

// ---------------------------------------------------------------- input

/**
 * What a field holds at first, and after "Zeros": 0, or a categorical column's first category.
 * @param {Model} model
 * @param {number} j
 */
function startValue(model, j) {
  return String(categoriesOf(model, j)?.[0] ?? 0);
}

/**
 * One input per feature, for the first MAX_FORM_FEATURES features; a categorical column's
 * input offers the categories the model knows (other text is still taken: an unseen value).
 * @param {Loaded} m
 */
function renderForm(m) {
  const n = m.model.nFeatures;
  const names = Array.from({ length: Math.min(n, MAX_FORM_FEATURES) }, (_, j) => featureName(m.model, j));
  const fields = names.map((name, j) => {
    const known = categoriesOf(m.model, j);
    const attrs = { type: "text", inputmode: known ? "text" : "decimal", name, "data-index": j, value: startValue(m.model, j), placeholder: "missing", "aria-label": name, spellcheck: "false" };
    if (!known) return h("label", { class: "field" }, [h("span", { class: "name", text: name, title: name }), h("input", attrs)]);
    const list = `categories-${j}`;
    return h("label", { class: "field categorical" }, [
      h("span", { class: "name", text: name, title: `${name}: ${listText(known).title}` }),
      h("input", { ...attrs, list, title: "a category from the list, or other text: a category the model has not seen" }),
      h("datalist", { id: list }, known.map((c) => h("option", { value: String(c) }))),
    ]);
  });
  $("fields").replaceChildren(...fields);
  $("fields").classList.toggle("many", names.length > 16);
  beyondForm = { fill: 0 };
  renderFormNote();
  /** @type {HTMLTextAreaElement} */ ($("csv")).placeholder =
    n > MAX_FORM_FEATURES ? `${n} values per line (or first a line of feature names)` : `${names.join(",")}\n${names.map((_, j) => startValue(m.model, j)).join(",")}`;
}

/** Say, for a model with more features than the form draws, what the others hold. */
function renderFormNote() {
  const note = $("fields-note");
  const n = current?.model.nFeatures ?? 0;
  note.hidden = n <= MAX_FORM_FEATURES;
  if (note.hidden) return;
  const hold = "row" in beyondForm ? `hold the values of batch row ${beyondForm.line}` : beyondForm.fill === null ? "are missing" : "are 0";
  note.textContent =
    `Showing the first ${MAX_FORM_FEATURES} of ${n} features. ` +
    (n > MAX_ROW_FEATURES
      ? `The form predicts rows of at most ${MAX_ROW_FEATURES} features.`
      : `The other ${n - MAX_FORM_FEATURES} ${hold}; to set every feature, paste whole rows under “Paste CSV rows”.`);
}

/** @returns {HTMLInputElement[]} */
function inputs() {
  return [...$("fields").querySelectorAll("input")];
}

/**
 * A typed cell as a number, null for a missing value, or undefined when it is not a number.
 * @param {string} text
 * @returns {number | null | undefined}
 */
function parseCell(text) {
  const t = text.trim();
  if (MISSING.has(t.toLowerCase())) return null;
  const v = Number(t);
  return Number.isNaN(v) ? undefined : v;
}

/**
 * A typed cell as input column `j` of `model` takes it: in a column of string categories the
 * text itself (a category matches only the same string: "1" is not 1), null when empty; in a
 * column of number categories a number when the text is one, else the text (an unseen value,
 * the model says what it makes of it); in other columns, {@link parseCell}, except that a
 * pipeline is given text that is no number as it is (its encoder may sit behind an imputer,
 * whose categories nobody lists).
 * @param {string} text
 * @param {Model} model
 * @param {number} j
 * @returns {number | string | null | undefined}
 */
function parseValue(text, model, j) {
  const known = categoriesOf(model, j);
  const t = text.trim();
  if (known?.some((c) => typeof c === "string")) return t === "" ? null : t;
  const v = parseCell(t);
  return v === undefined && (known || model.steps) ? t : v;
}

/** Read the form, predict its row, and redraw the prediction and the tree. */
function predictForm() {
  if (!current) return;
  const n = current.model.nFeatures;
  if (n > MAX_ROW_FEATURES) {
    showPredictionError(`This model takes rows of ${n} features: wider than the ${MAX_ROW_FEATURES} this page builds. Predict with the Python package or the Node runtime.`);
    currentRow = null;
    renderTree();
    return;
  }
  /** @type {Row} */
  const row = "row" in beyondForm ? beyondForm.row.slice() : new Array(n).fill(beyondForm.fill);
  const bad = [];
  for (const input of inputs()) {
    const v = parseValue(input.value, current.model, Number(input.dataset.index));
    input.classList.toggle("invalid", v === undefined);
    input.classList.toggle("missing", v === null);
    if (v === undefined) bad.push(input.name);
    row[Number(input.dataset.index)] = v ?? null;
  }
  if (bad.length) {
    showPredictionError(`Not a number: ${bad.join(", ")}. Type a number, or leave the field empty for a missing value.`);
    return;
  }
  try {
    const out = predictRows(current.model, [row]);
    renderPrediction(current, out, 0);
    currentRow = row;
  } catch (e) {
    // e.g. a missing value for a model that takes none: no prediction, so no path either.
    showPredictionError(e instanceof Error ? e.message : String(e));
    currentRow = null;
  }
  renderTree();
}

/** @param {string} message */
function showPredictionError(message) {
  const box = $("prediction");
  box.replaceChildren(h("p", { class: "inline-error", role: "alert", text: message }));
  for (const key of ["predict", "proba", "decision", "score", "transform"]) delete box.dataset[key];
  box.dataset.error = message;
}

/**
 * Parse CSV text into rows of the model's features. A first line that holds a non-number
 * that is not a missing marker in a numeric column, or that names only features, is a
 * header: its names pick and order the columns.
 *
 * No array as long as the model's number of features is built before the text is found to
 * hold that many cells: a model can claim 2**31-1 features.
 * @param {string} text
 * @param {Model} model
 * @returns {Row[]}
 */
function parseCsv(text, model) {
  const n = model.nFeatures;
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== "" && !l.trimStart().startsWith("#"));
  if (!lines.length) throw new Error("no rows: paste one row of numbers per line");
  const sep = lines[0].includes("\t") ? "\t" : lines[0].includes(";") && !lines[0].includes(",") ? ";" : ",";
  const split = (/** @type {string} */ l) => l.split(sep).map((c) => c.trim().replace(/^"(.*)"$/, "$1"));
  /** The header's column of each feature (null: no header, columns in feature order). @type {number[] | null} */
  let order = null;
  let width = n;
  const first = split(lines[0]);
  const named = model.featureNames && new Set(model.featureNames);
  const isFeature = (/** @type {string} */ c) => (named ? named.has(c) : /^x(0|[1-9][0-9]*)$/.test(c) && Number(c.slice(1)) < n);
  if (first.some((c, j) => parseValue(c, model, j) === undefined) || first.every(isFeature)) {
    lines.shift();
    const unknown = first.filter((c) => !isFeature(c));
    if (unknown.length) {
      const features = model.featureNames ? listText(model.featureNames).text : `x0…x${n - 1}`;
      throw new Error(`header: unknown column(s) ${unknown.join(", ")}; this model's features are ${features}`);
    }
    /** @type {Map<string, number>} the first column of each name */
    const column = new Map();
    first.forEach((c, k) => column.has(c) || column.set(c, k));
    if (column.size < n) {
      // Every header cell names a feature: the first few features it lacks are found after
      // at most column.size + 5 steps, however many features the model claims.
      const lacking = [];
      for (let j = 0; j < n && lacking.length < 5; j++) if (!column.has(featureName(model, j))) lacking.push(featureName(model, j));
      const more = n - column.size - lacking.length;
      throw new Error(`header: missing column(s) ${lacking.join(", ")}${more ? ` and ${more} more` : ""}`);
    }
    order = Array.from({ length: n }, (_, j) => /** @type {number} */ (column.get(featureName(model, j))));
    width = first.length;
  }
  return lines.map((line, i) => {
    const cells = split(line);
    if (cells.length !== width) throw new Error(`row ${i + 1}: expected ${width} values, found ${cells.length}`);
    /** @type {Row} */
    const row = [];
    for (let j = 0; j < n; j++) {
      const cell = cells[order ? order[j] : j];
      const v = parseValue(cell, model, j);
      if (v === undefined) throw new Error(`row ${i + 1}, ${featureName(model, j)}: not a number: ${JSON.stringify(cell)}`);
      row.push(v);
    }
    return row;
  });
}

/** Predict the rows pasted as CSV and show them in a table. */
function predictCsv() {
  if (!current) return;
  const box = $("batch");
  box.hidden = false;
  let rows;
  try {
    rows = parseCsv(/** @type {HTMLTextAreaElement} */ ($("csv")).value, current.model);
  } catch (e) {
    box.replaceChildren(h("p", { class: "inline-error", role: "alert", text: e instanceof Error ? e.message : String(e) }));
    return;
  }
  let out;
  try {
    out = predictRows(current.model, rows);
  } catch (e) {
    box.replaceChildren(h("p", { class: "inline-error", role: "alert", text: e instanceof Error ? e.message : String(e) }));
    return;
  }
  renderBatch(current, rows, out);
}

// ---------------------------------------------------------------- predictions

/**
 * @typedef {object} Outputs what the model says for a batch of rows
 * @property {any[] | null} predict per row (null for a model that only transforms)
 * @property {number[][][] | null} proba per row, per output: the class probabilities (or null)
 * @property {any[] | null} decision per row (or null)
 * @property {number[] | null} score per row, an outlier detector's score (or null)
 * @property {(number | string)[][] | null} transform per row, the transformed row (models without predict)
 */

/**
 * @param {Model} model
 * @param {Row[]} rows
 * @returns {Outputs}
 */
function predictRows(model, rows) {
  if (!model.predict) return { predict: null, proba: null, decision: null, score: null, transform: model.transform ? model.transform(rows) : null };
  const predict = model.predict(rows);
  let proba = null;
  if (model.predictProba) {
    const p = model.predictProba(rows);
    // Multi-output: one matrix per output; regroup per row.
    proba = model.nOutputs > 1 ? rows.map((_, i) => /** @type {number[][][]} */ (p).map((m) => m[i])) : /** @type {number[][]} */ (p).map((r) => [r]);
  }
  const decision = model.decisionFunction ? model.decisionFunction(rows) : null;
  const score = model.scoreSamples ? model.scoreSamples(rows) : null;
  return { predict, proba, decision, score, transform: null };
}

/**
 * Probability bars for one row: one group per output, one bar per class.
 * @param {Label[][]} classes
 * @param {number[][]} probaPerOutput
 * @param {Label[]} predicted one label per output
 */
function bars(classes, probaPerOutput, predicted) {
  return h(
    "div",
    { class: "bars" },
    probaPerOutput.flatMap((p, k) => [
      ...(classes.length > 1 ? [h("div", { class: "output-title", text: `output ${k}` })] : []),
      ...p.map((v, c) =>
        h("div", { class: `bar-row${classes[k][c] === predicted[k] ? " top" : ""}`, title: `${labelText(classes[k][c])}: ${v}` }, [
          h("span", { class: "bar-label", text: labelText(classes[k][c]) }),
          h("span", { class: "bar-track" }, [h("span", { class: `bar-fill c${c % 10}`, style: `width:${(v * 100).toFixed(3)}%` })]),
          h("span", { class: "bar-value", text: `${(v * 100).toFixed(v >= 0.9995 || v === 0 ? 0 : 1)}%` }),
        ]),
      ),
    ]),
  );
}

/**
 * Show the prediction for row `i` of `out`.
 * @param {Loaded} m
 * @param {Outputs} out
 * @param {number} i
 */
function renderPrediction(m, out, i) {
  const box = $("prediction");
  if (!out.predict) return renderTransformed(/** @type {number[][]} */ (out.transform)[i]);
  const pred = out.predict[i];
  const predicted = Array.isArray(pred) ? pred : [pred];
  /** @type {(Node | string)[]} */
  const parts = [];
  const what = m.classes ? (predicted.length > 1 ? "labels" : "class") : out.score ? "label (1 inlier, -1 outlier)" : predicted.length > 1 ? "values" : "value";
  parts.push(
    h("div", { class: "headline" }, [
      h("span", { class: "what", text: `predicted ${what}` }),
      h("output", { class: "value", id: "predicted", text: predicted.map(labelText).join(", ") }),
    ]),
  );
  if (out.proba && m.classes) parts.push(h("h3", { text: "Class probabilities" }), bars(m.classes, out.proba[i], predicted));
  if (out.decision) {
    const d = out.decision[i];
    parts.push(h("p", { class: "decision" }, [h("span", { class: "what", text: "decision function " }), h("code", { text: Array.isArray(d) ? d.join(", ") : String(d) })]));
  }
  if (out.score) parts.push(h("p", { class: "decision" }, [h("span", { class: "what", text: "score (the lower, the more abnormal) " }), h("code", { text: String(out.score[i]) })]));
  box.replaceChildren(...parts);
  box.dataset.predict = JSON.stringify(pred);
  if (out.proba) box.dataset.proba = JSON.stringify(m.model.nOutputs > 1 ? out.proba[i] : out.proba[i][0]);
  else delete box.dataset.proba;
  if (out.decision) box.dataset.decision = JSON.stringify(out.decision[i]);
  else delete box.dataset.decision;
  if (out.score) box.dataset.score = JSON.stringify(out.score[i]);
  else delete box.dataset.score;
  delete box.dataset.transform;
  delete box.dataset.error;
}

/**
 * Show a row as a model that only transforms gives it.
 * @param {number[]} row
 */
function renderTransformed(row) {
  const box = $("prediction");
  const values = listText(row.map(short), 40);
  box.replaceChildren(
    h("div", { class: "headline" }, [
      h("span", { class: "what", text: "transformed row" }),
      h("output", { class: "value", id: "transformed", text: `${row.length} value${row.length === 1 ? "" : "s"}` }),
    ]),
    h("p", { class: "decision" }, [h("code", { text: values.text, title: values.title })]),
  );
  box.dataset.transform = JSON.stringify(row);
  for (const key of ["predict", "proba", "decision", "error"]) delete box.dataset[key];
}

/**
 * The batch table: one line per row, full-precision values in data attributes. Clicking a
 * line puts its row in the form (and so draws its decision path).
 * @param {Loaded} m
 * @param {Row[]} rows
 * @param {Outputs} out
 */
function renderBatch(m, rows, out) {
  const head = ["row", out.predict ? "prediction" : "transformed row"];
  if (out.proba) head.push("probabilities");
  if (out.decision) head.push("decision function");
  if (out.score) head.push("score");
  const body = rows.slice(0, MAX_TABLE_ROWS).map((row, i) => {
    const pred = out.predict ? out.predict[i] : /** @type {number[][]} */ (out.transform)[i];
    const text = !out.predict ? listText(pred.map(short), 8).text : Array.isArray(pred) ? pred.map(labelText).join(", ") : labelText(pred);
    // Rows count from 0, as in the runtime's messages ("X row 4: ...").
    const cells = [h("td", { class: "num", text: String(i) }), h("td", { class: "pred", text })];
    if (out.proba && m.classes) {
      const top = out.proba[i].map((p) => p.indexOf(Math.max(...p)));
      cells.push(h("td", { class: "probs" }, out.proba[i].map((p, k) => miniBars(p, top[k], /** @type {Label[][]} */ (m.classes)[k]))));
    }
    if (out.decision) {
      const d = out.decision[i];
      cells.push(h("td", { class: "dec", text: Array.isArray(d) ? d.map(short).join(", ") : short(d), title: JSON.stringify(d) }));
    }
    if (out.score) cells.push(h("td", { class: "dec", text: short(out.score[i]), title: String(out.score[i]) }));
    const tr = h("tr", { "data-row": i, [out.predict ? "data-predict" : "data-transform"]: JSON.stringify(pred), tabindex: 0, title: "show this row in the form" }, cells);
    if (out.proba) tr.dataset.proba = JSON.stringify(m.model.nOutputs > 1 ? out.proba[i] : out.proba[i][0]);
    if (out.decision) tr.dataset.decision = JSON.stringify(out.decision[i]);
    if (out.score) tr.dataset.score = JSON.stringify(out.score[i]);
    const pick = () => {
      for (const input of inputs()) {
        const v = row[Number(input.dataset.index)];
        input.value = v === null ? "" : String(v);
      }
      beyondForm = { row, line: i };
      renderFormNote();
      predictForm();
      $("input").scrollIntoView({ block: "nearest" });
    };
    tr.addEventListener("click", pick);
    tr.addEventListener("keydown", (e) => {
      if (e.key === "Enter") pick();
    });
    return tr;
  });
  const table = h("table", { id: "batch-table" }, [
    h("thead", {}, [h("tr", {}, head.map((t) => h("th", { text: t })))]),
    h("tbody", {}, body),
  ]);
  const note = rows.length > MAX_TABLE_ROWS ? [h("p", { class: "hint", text: `First ${MAX_TABLE_ROWS} of ${rows.length} rows shown.` })] : [];
  $("batch").replaceChildren(h("h3", { text: `${rows.length} row${rows.length === 1 ? "" : "s"}` }), h("div", { class: "table-scroll" }, [table]), ...note);
}

/**
 * A compact stacked bar of one row's class probabilities.
 * @param {number[]} p
 * @param {number} top index of the largest
 * @param {Label[]} classes
 */
function miniBars(p, top, classes) {
  const title = p.map((v, c) => `${labelText(classes[c])}: ${v}`).join("\n");
  return h("span", { class: "mini", title }, [
    h("span", { class: "mini-track" }, p.map((v, c) => h("span", { class: `bar-fill c${c % 10}`, style: `width:${(v * 100).toFixed(3)}%` }))),
    h("span", { class: "mini-text", text: `${labelText(classes[top])} ${(p[top] * 100).toFixed(1)}%` }),
  ]);
}

// ---------------------------------------------------------------- trees

/** Families whose trees are picked one by one (no stages). */
const FORESTS = new Set(["forest", "isolation"]);

/**
 * Fill the tree pickers for the loaded model (hidden for families without trees).
 * @param {Loaded} m
 */
function setupTreeControls(m) {
  const trees = m.trees;
  $("tree").hidden = !trees;
  if (!trees) return;
  const options = (/** @type {number} */ n, /** @type {(i: number) => string} */ text) => Array.from({ length: n }, (_, i) => h("option", { value: i, text: text(i) }));
  const forest = FORESTS.has(m.treeFamily);
  // HistGradientBoosting's iterations are picked like boosting's stages.
  const boosting = m.treeFamily === "boosting" || m.treeFamily === "hgb";
  const stages = trees.count / trees.perIteration;
  const stageText = /** @type {ChildNode} */ ($("pick-stage-label").firstChild);
  stageText.textContent = m.treeFamily === "hgb" ? "iteration " : "stage ";
  $("pick-tree-label").hidden = !forest;
  $("pick-stage-label").hidden = !boosting;
  $("pick-class-label").hidden = !(boosting && trees.perIteration > 1);
  if (forest) $("pick-tree").replaceChildren(...options(trees.count, (i) => `${i + 1} of ${trees.count}`));
  if (boosting) {
    $("pick-stage").replaceChildren(...options(stages, (i) => `${i + 1} of ${stages}`));
    const classes = m.classes?.[0] ?? [];
    $("pick-class").replaceChildren(...options(trees.perIteration, (i) => labelText(classes[i] ?? i)));
  }
}

/** The index of the tree the pickers select. */
function pickedTree() {
  if (!current?.trees) return 0;
  const num = (/** @type {string} */ id) => Number(/** @type {HTMLSelectElement} */ ($(id)).value) || 0;
  if (FORESTS.has(current.treeFamily)) return num("pick-tree");
  if (current.treeFamily === "boosting" || current.treeFamily === "hgb") return num("pick-stage") * current.trees.perIteration + num("pick-class");
  return 0;
}

/**
 * What a node box says: the majority class and its share (classifier trees and forests),
 * the mean (regressors), the leaf value that boosting adds (times the learning rate), or an
 * isolation tree's path length.
 * @param {ShapedTree} tree
 * @param {number} n
 * @returns {import("./tree-view.js").NodeText}
 */
function summary(tree, n) {
  const stride = tree.value.length / tree.left.length; // values per node: outputs × width
  const base = n * stride;
  const own = tree.value.subarray(base, base + stride);
  // Compact documents store zeros at split nodes: prediction reads only leaves.
  if (tree.left[n] !== -1 && own.every((v) => v === 0)) return { text: "split (value not stored)" };
  const classes = current?.classes;
  if (classes && current?.treeFamily !== "boosting" && current?.treeFamily !== "hgb") {
    const c0 = classes[0];
    let best = 0;
    for (let c = 1; c < c0.length; c++) if (tree.value[base + c] > tree.value[base + best]) best = c;
    const v = tree.value[base + best];
    const total = tree.value.slice(base, base + c0.length).reduce((a, b) => a + b, 0);
    const share = total > 0 ? v / total : 0;
    const full = c0.map((label, c) => `${labelText(label)}: ${tree.value[base + c]}`).join(", ");
    return { text: `class ${clipLabel(labelText(c0[best]))} · ${(share * 100).toFixed(0)}%`, title: `value ${full}`, colorIndex: best };
  }
  const values = Array.from(own); // (one value per output: regressors and boosting have width 1)
  // An isolation tree's value is the path length of a row that ends there.
  const what = current?.treeFamily === "isolation" ? "path length" : "value";
  return { text: `${what} ${values.slice(0, 2).map(short).join(", ")}${values.length > 2 ? ", …" : ""}`, title: `${what} ${values.join(", ")}` };
}

/** @param {string} s */
function clipLabel(s) {
  return s.length > 12 ? `${s.slice(0, 11)}…` : s;
}

/** Draw the picked tree with the decision path of the form's row. */
function renderTree() {
  const m = current;
  if (!m?.trees) return;
  const index = pickedTree();
  if (index !== view.index) {
    view.index = index;
    view.toggled = new Map();
  }
  const tree = withShape(m.trees.tree(index));
  const path = currentRow ? m.trees.decisionPath(currentRow, index) : [];
  const svg = /** @type {SVGSVGElement} */ (/** @type {unknown} */ ($("tree-svg")));
  const { shown, hidden } = drawTree(svg, tree, {
    path,
    levels: view.levels,
    toggled: view.toggled,
    // In a pipeline the tree splits the columns the steps before it give, not the input's.
    featureName: (f) => (m.model.steps ? `column ${f}` : featureName(m.model, f)),
    float64: m.treeFamily === "hgb",
    categoryText: labelText,
    summary,
    onToggle(n) {
      const open = svg.querySelector(`[data-node="${n}"]`)?.getAttribute("aria-expanded") === "true";
      view.toggled.set(n, !open);
      renderTree();
    },
  });
  const family = m.treeFamily;
  const { count, perIteration } = m.trees;
  const stage = `${Math.floor(index / perIteration) + 1}, tree ${(index % perIteration) + 1}: `;
  const which = FORESTS.has(family) ? `Tree ${index + 1} of ${count}: ` : family === "boosting" ? `Stage ${stage}` : family === "hgb" ? `Iteration ${stage}` : "";
  const leaf = path.length ? path[path.length - 1] : -1;
  // Scroll a wide drawing so that the highlighted path (or the root) is in view.
  const scroller = $("tree-scroll");
  const xs = [0, leaf].filter((n) => n >= 0).map((n) => Number(svg.querySelector(`[data-node="${n}"]`)?.getAttribute("data-x") ?? 0));
  scroller.scrollLeft = Math.max(0, (Math.min(...xs) + Math.max(...xs)) / 2 - scroller.clientWidth / 2);
  $("tree-caption").textContent =
    `${which}${tree.left.length} nodes, depth ${tree.maxDepth}; showing ${shown}${hidden ? ` (${hidden} below the closed nodes)` : ""}.` +
    (m.model.steps ? " Splits test the columns of the row as the steps before the tree transform it." : "") +
    (leaf >= 0 ? ` The row reaches leaf #${leaf} through ${path.length - 1} split${path.length === 2 ? "" : "s"} (highlighted).` : "");
}

// ---------------------------------------------------------------- served models and wiring

/** Offer the models the server lists at ../models/index.json (nothing when there is none). */
async function listServed() {
  /** @type {{name: string, url: string, size: number}[]} */
  let models = [];
  try {
    const res = await fetch(new URL("../models/index.json", location.href), { cache: "no-store" });
    if (res.ok) models = (await res.json()).models ?? [];
  } catch {
    return; // opened without `json-models serve`: files can still be opened or dropped
  }
  if (!models.length) return;
  $("served-select").append(...models.map((m) => h("option", { value: m.url, text: `${m.name}  (${kib(m.size)})` })));
  $("served").hidden = false;
  const wanted = new URLSearchParams(location.search).get("model");
  const match = wanted && models.find((m) => m.name === wanted);
  if (match) {
    /** @type {HTMLSelectElement} */ ($("served-select")).value = match.url;
    await openServed(match.url);
  }
}

/** @param {string} url */
async function openServed(url) {
  const name = decodeURIComponent(url.split("/").pop() ?? url);
  try {
    const res = await fetch(new URL(url, location.href), { cache: "no-store" });
    if (!res.ok) throw new Error(`the server answered ${res.status} ${res.statusText}`);
    await openBytes(name, new Uint8Array(await res.arrayBuffer()));
  } catch (e) {
    showError(name, e);
  }
}

/** @param {File} file */
async function openFile(file) {
  /** @type {HTMLSelectElement} */ ($("served-select")).value = "";
  await openBytes(file.name, new Uint8Array(await file.arrayBuffer()));
}

function wire() {
  const fileInput = /** @type {HTMLInputElement} */ ($("file"));
  fileInput.addEventListener("change", () => {
    const file = fileInput.files?.[0];
    if (file) openFile(file);
    fileInput.value = ""; // the same file can be opened again
  });
  const select = /** @type {HTMLSelectElement} */ ($("served-select"));
  select.addEventListener("change", () => {
    if (select.value) openServed(select.value);
  });

  // Dropping anywhere on the page opens the file (and never navigates away from it).
  const drop = $("drop");
  let depth = 0;
  document.addEventListener("dragenter", (e) => {
    e.preventDefault();
    if (++depth === 1) drop.classList.add("dragging");
  });
  document.addEventListener("dragleave", () => {
    if (--depth <= 0) {
      depth = 0;
      drop.classList.remove("dragging");
    }
  });
  document.addEventListener("dragover", (e) => e.preventDefault());
  document.addEventListener("drop", (e) => {
    e.preventDefault();
    depth = 0;
    drop.classList.remove("dragging");
    const file = e.dataTransfer?.files?.[0];
    if (file) openFile(file);
  });

  const form = /** @type {HTMLFormElement} */ ($("row-form"));
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    predictForm();
  });
  form.addEventListener("input", () => predictForm());
  $("zeros").addEventListener("click", () => {
    for (const input of inputs()) input.value = current ? startValue(current.model, Number(input.dataset.index)) : "0";
    beyondForm = { fill: 0 };
    renderFormNote();
    predictForm();
  });
  $("clear").addEventListener("click", () => {
    for (const input of inputs()) input.value = "";
    beyondForm = { fill: null };
    renderFormNote();
    predictForm();
  });
  $("csv-predict").addEventListener("click", predictCsv);

  for (const id of ["pick-tree", "pick-stage", "pick-class"]) $(id).addEventListener("change", renderTree);
  const fit = /** @type {HTMLInputElement} */ ($("fit"));
  fit.addEventListener("change", () => $("tree-scroll").classList.toggle("fit", fit.checked));
  const levels = /** @type {HTMLInputElement} */ ($("levels"));
  levels.addEventListener("change", () => {
    view.levels = Math.max(1, Math.min(30, Math.round(Number(levels.value)) || 3));
    levels.value = String(view.levels);
    view.toggled = new Map();
    renderTree();
  });
  $("expand-all").addEventListener("click", () => {
    view.levels = 30;
    levels.value = "30";
    view.toggled = new Map();
    renderTree();
  });
  $("collapse").addEventListener("click", () => {
    view.levels = 3;
    levels.value = "3";
    view.toggled = new Map();
    renderTree();
  });
}

wire();
listServed().finally(() => {
  if (document.body.dataset.state === "empty") document.body.dataset.state = "idle";
});
