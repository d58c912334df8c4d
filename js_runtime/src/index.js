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
import { InvalidModelError, UnsupportedVersionError, at, closest, expected, fail, integer, need, object, own, quote, readRows, refuseLoneSurrogates, string, unicode } from "./common.js";
import { MAX_DOCUMENT_BYTES, parseJson } from "./json.js";
import * as linear from "./models/linear.js";
import * as logistic from "./models/logistic.js";
import * as tree from "./models/tree.js";
import * as forest from "./models/forest.js";
import * as boosting from "./models/boosting.js";

export { InvalidModelError, MAX_DOCUMENT_BYTES, UnsupportedVersionError };

/** The format major version this runtime reads (any minor of it). */
export const FORMAT_MAJOR = 1;

/**
 * Allow-list: estimator name -> reader, one entry per estimator of each family module.
 * Nothing named by a document is ever looked up anywhere else.
 * @type {Map<string, import("./common.js").Reader>}
 */
const REGISTRY = new Map();
for (const family of [linear, logistic, tree, forest, boosting]) {
  for (const [name, reader] of Object.entries(family.ESTIMATORS)) {
    if (REGISTRY.has(name)) throw new Error(`json-models: ${name} registered twice`);
    REGISTRY.set(name, reader);
  }
}

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
  const d = object(doc, "");
  const format = need(d, "", "format");
  if (format !== "json-models") expected("/format", '"json-models"', format);
  const version = string(need(d, "", "format_version"), "/format_version");
  const match = /^(0|[1-9][0-9]{0,5})\.(0|[1-9][0-9]{0,5})$/.exec(version);
  if (!match) expected("/format_version", 'a version "MAJOR.MINOR"', version);
  if (Number(match[1]) !== FORMAT_MAJOR) {
    throw new UnsupportedVersionError("/format_version", `unsupported format version ${version}: this runtime reads ${FORMAT_MAJOR}.x`);
  }
  const estimator = string(need(d, "", "estimator"), "/estimator");
  const reader = REGISTRY.get(estimator);
  if (!reader) {
    const near = closest(estimator, SUPPORTED_ESTIMATORS);
    fail("/estimator", `expected a supported estimator, found ${quote(estimator)}; ${
      near ? `did you mean ${JSON.stringify(near)}?` : "see the README's table of supported estimators"}`);
  }
  const params = object(need(d, "", "params"), "/params");
  const state = object(need(d, "", "state"), "/state");
  const nFeatures = integer(need(state, "/state", "n_features_in"), "/state/n_features_in", 1);
  const featureNames = readFeatureNames(own(state, "feature_names_in"), nFeatures);

  const parts = reader(state, params, { nFeatures, estimator });
  /** @param {unknown} X */
  const rows = (X) => readRows(X, nFeatures, featureNames, parts.float32, parts.allowMissing);

  /** @type {Model} */
  const model = {
    estimator,
    nFeatures,
    nOutputs: parts.nOutputs,
    featureNames,
    classes: parts.classes,
    predict: (X) => /** @type {any} */ (parts.predict(rows(X))),
  };
  const { predictProba, decisionFunction } = parts;
  if (predictProba) model.predictProba = (X) => /** @type {any} */ (predictProba(rows(X)));
  if (decisionFunction) model.decisionFunction = (X) => /** @type {any} */ (decisionFunction(rows(X)));
  return Object.freeze(model);
}

/**
 * `state.feature_names_in`: absent, or `nFeatures` unique strings of Unicode text without
 * U+0000 (which numpy drops at the end of a string).
 * @param {unknown} v
 * @param {number} nFeatures
 * @returns {string[] | null}
 */
function readFeatureNames(v, nFeatures) {
  if (v === undefined) return null;
  const p = "/state/feature_names_in";
  if (!Array.isArray(v) || v.length !== nFeatures) expected(p, `an array of ${nFeatures} feature names`, v);
  const seen = new Set();
  v.forEach((name, i) => {
    const pi = at(p, i);
    if (unicode(string(name, pi), pi).includes("\0")) expected(pi, "a name without the character U+0000 (NUL)", name);
    if (seen.has(name)) fail(pi, `duplicate feature name ${quote(name)}`);
    seen.add(name);
  });
  return v;
}
