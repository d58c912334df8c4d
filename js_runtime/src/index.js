// @ts-check
/**
 * json-models runtime: load a json-models document and predict exactly like scikit-learn.
 *
 * Numeric contract (see SPEC.md, "Fidelity"): trees route left when `float32(x) <= threshold`;
 * forests add leaf values in estimator order then divide; boosting adds
 * `learning_rate * leaf_value` stage by stage; everything through `exp` follows
 * scikit-learn's order of operations.
 * @module
 */
import { InvalidModelError, UnsupportedVersionError, closest, expected, fail, quote } from "./errors.js";
import { register } from "./family.js";
import { integer, need, object, own, string } from "./fields.js";
import { MAX_DOCUMENT_BYTES, parseJson } from "./json.js";
import { readRows, rowsOf } from "./rows.js";
import { readFeatureNames, refuseLoneSurrogates } from "./text.js";
import * as linear from "./models/linear.js";
import * as logistic from "./models/logistic.js";
import * as tree from "./models/tree.js";
import * as forest from "./models/forest.js";
import * as boosting from "./models/boosting.js";
import * as hgb from "./models/hgb.js";
import * as scaler from "./models/scaler.js";
import * as polynomial from "./models/polynomial.js";
import * as imputer from "./models/imputer.js";
import * as encoder from "./models/encoder.js";
import * as pipeline from "./models/pipeline.js";
import * as glm from "./models/glm.js";
import * as linear_classifier from "./models/linear_classifier.js";
import * as svm from "./models/svm.js";
import * as naive_bayes from "./models/naive_bayes.js";
import * as isolation from "./models/isolation.js";
import * as mlp from "./models/mlp.js";

export { InvalidModelError, MAX_DOCUMENT_BYTES, UnsupportedVersionError };

/** The format major version this runtime reads (any minor of it). */
export const FORMAT_MAJOR = 1;

/**
 * Allow-list: estimator name -> its family's name and reader, one entry per estimator of each
 * family module (keyed here by the family's name). Nothing named by a document is ever looked
 * up anywhere else.
 */
const REGISTRY = register({
  linear, logistic, tree, forest, boosting, hgb, scaler, polynomial, imputer, encoder, pipeline,
  glm, linear_classifier, svm, naive_bayes, isolation, mlp,
});

/** Names of the estimators this runtime can load (scikit-learn public import paths). */
export const SUPPORTED_ESTIMATORS = Object.freeze([...REGISTRY.keys()]);

/**
 * @typedef {import("./index.js").Model} Model
 * @typedef {import("./index.js").Document} Document
 */

/**
 * Load a json-models document and return a model that predicts like the scikit-learn estimator
 * it was exported from.
 *
 * @param {string | Uint8Array | Document | object} input the document: JSON text, its UTF-8
 *   bytes (a `Uint8Array` such as Node's `Buffer`), or already parsed
 * @returns {Model}
 * @throws {InvalidModelError} when the document is not valid (the message starts with the
 *   JSON Pointer of the offending place, "/" for the whole document: JSON syntax errors with
 *   their line and column, compressed or pickled bytes); {@link UnsupportedVersionError} for
 *   another major version
 */
export function loadModel(input) {
  // (JSON text: any string holding a lone surrogate is refused. An object already parsed: only
  // the strings read, labels and feature names.)
  const doc = typeof input === "string" || input instanceof Uint8Array
    ? parseJson(input, (message) => fail("", message), refuseLoneSurrogates)
    : input;
  const { estimator, family, nFeatures, featureNames, parts } = readDocument(doc, "", 0);
  /** @param {unknown} X */
  const rows = (X) => readRows(X, nFeatures, featureNames, parts.float32, parts.allowMissing, parts.mixed);

  const { predict, predictProba, decisionFunction, scoreSamples, transform, trees } = parts;
  /** @type {Model} */
  const model = {
    estimator,
    family,
    nFeatures,
    nOutputs: parts.nOutputs,
    featureNames,
    classes: parts.classes,
    // A decision path's row is checked as predict checks rows: the same errors.
    ...(trees && { trees: Object.freeze({ ...trees, decisionPath: (/** @type {unknown} */ row, /** @type {number=} */ index) => trees.decisionPath(rows([row]), index) }) }),
    ...(parts.inputCategories && { inputCategories: parts.inputCategories }),
    ...(parts.steps && { steps: parts.steps }),
    ...(parts.architecture && { architecture: parts.architecture }),
  };
  if (predict) model.predict = (X) => /** @type {any} */ (predict(rows(X)));
  if (predictProba) model.predictProba = (X) => /** @type {any} */ (predictProba(rows(X)));
  if (decisionFunction) model.decisionFunction = (X) => /** @type {any} */ (decisionFunction(rows(X)));
  if (scoreSamples) model.scoreSamples = (X) => scoreSamples(rows(X));
  if (transform) model.transform = (X) => { const Y = transform(rows(X)); return rowsOf(Y.data, Y.n, Y.m); };
  return Object.freeze(model);
}

/**
 * How deep documents may nest (a pipeline's steps are documents), in every reader (Python's
 * `_format.MAX_DEPTH`): real pipelines nest two or three deep.
 */
const MAX_DEPTH = 4;

/**
 * Read the document `doc` found at `pointer` of the whole one ("" for the whole), `depth`
 * documents deep; errors name places from the whole document's root.
 * @param {unknown} doc
 * @param {string} pointer
 * @param {number} depth
 */
function readDocument(doc, pointer, depth) {
  try {
    if (depth > MAX_DEPTH) fail("", `expected documents nested at most ${MAX_DEPTH} deep`);
    const d = object(doc, "");
    const format = need(d, "", "format");
    if (format !== "json-models") expected("/format", '"json-models"', format);
    const version = string(need(d, "", "format_version"), "/format_version");
    const match = /^(0|[1-9][0-9]{0,5})\.(0|[1-9][0-9]{0,5})$/.exec(version);
    if (!match) expected("/format_version", 'a version "MAJOR.MINOR"', version);
    if (Number(match[1]) !== FORMAT_MAJOR) {
      // (a step of another major than its document's: no writer makes one)
      if (depth) expected("/format_version", `a version "${FORMAT_MAJOR}.x", the major of the document around it`, version);
      throw new UnsupportedVersionError("/format_version", `unsupported format version ${version}: this runtime reads ${FORMAT_MAJOR}.x`);
    }
    const estimator = string(need(d, "", "estimator"), "/estimator");
    const registered = REGISTRY.get(estimator);
    if (!registered) {
      const near = closest(estimator, SUPPORTED_ESTIMATORS);
      fail("/estimator", `expected a supported estimator, found ${quote(estimator)}; ${
        near ? `did you mean ${JSON.stringify(near)}?` : "see the README's table of supported estimators"}`);
    }
    const params = object(need(d, "", "params"), "/params");
    const state = object(need(d, "", "state"), "/state");
    const nFeatures = integer(need(state, "/state", "n_features_in"), "/state/n_features_in", 1);
    const featureNames = readFeatureNames(own(state, "feature_names_in"), nFeatures);
    /** @type {(sub: unknown, at: string) => import("./family.js").Step} */
    const read = (sub, at) => readDocument(sub, pointer + at, depth + 1);
    const parts = registered.read(state, params, { nFeatures, featureNames, estimator, read });
    return { estimator, family: registered.family, nFeatures, featureNames, parts };
  } catch (e) {
    if (!pointer || !(e instanceof InvalidModelError) || e.rooted) throw e;
    const Rooted = e instanceof UnsupportedVersionError ? UnsupportedVersionError : InvalidModelError;
    const rooted = new Rooted(pointer + e.pointer, e.detail);
    rooted.rooted = true;
    throw rooted;
  }
}
