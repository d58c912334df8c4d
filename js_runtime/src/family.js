// @ts-check
/**
 * The family contract, and the allow-list built from it.
 *
 * A model family is one module, `models/<family>.js`, named as the family is everywhere
 * (`json_models/codecs/<family>.py`, `schemas/<family>.schema.json`). It exports one thing,
 * `ESTIMATORS`: scikit-learn public import path -> {@link Reader}. A reader checks the
 * document's `state` and `params` and returns the {@link Parts} of a model, whose functions
 * take rows that `index.js` has checked and copied (`Input`, see rows.js).
 *
 * `index.js` imports each family module under the family's name and passes them all to
 * {@link register}: that is the whole registration, and the only place a document's estimator
 * name is looked up.
 * @module
 */

/**
 * @typedef {object} Context
 * @property {number} nFeatures `state.n_features_in`
 * @property {string[] | null} featureNames `state.feature_names_in`, or null
 * @property {string} estimator the document's estimator name
 * @property {(doc: unknown, pointer: string) => Step} read read a document inside this one
 *   (a pipeline's step) found at `pointer` (relative to this document)
 */

/**
 * @typedef {object} StepInfo
 * What a pipeline's page shows of a step.
 * @property {string} name
 * @property {string} estimator its estimator's name, "passthrough" or "drop"
 * @property {string} [family] its estimator's family
 * @property {number[]} [columns] a column transformer's entry: the input columns it takes
 * @property {StepInfo[]} [steps] the steps of a step made of steps
 */

/**
 * @typedef {object} Step
 * A document read inside another (a pipeline's step).
 * @property {string} estimator
 * @property {string} family
 * @property {number} nFeatures
 * @property {string[] | null} featureNames
 * @property {Parts} parts
 */

/**
 * @typedef {(state: Record<string, unknown>, params: Record<string, unknown>, ctx: Context) => Parts} Reader
 * Reads one estimator's `state` and `params` (at `/state` and `/params`).
 */

/**
 * @typedef {object} Parts
 * What a family reader builds from a document; `index.js` wraps it into the public model.
 * @property {import("./text.js").Label[] | import("./text.js").Label[][] | null} classes labels (one list per output for multi-output)
 * @property {number} nOutputs number of outputs (targets)
 * @property {boolean} float32 compare inputs as float32 (trees), else float64
 * @property {boolean} allowMissing whether missing values (null, NaN) are accepted
 * @property {boolean} [mixed] whether strings are values too (categories: encoders, imputers,
 *   pipelines); otherwise rows hold numbers only
 * @property {(X: Input) => unknown[]} [predict] (every estimator but a transformer)
 * @property {(X: Input) => Input} [transform] (transformers, and pipelines ending in one): the
 *   transformed rows, `nOutputs` columns
 * @property {StepInfo[]} [steps] a pipeline's steps, a column transformer's entries
 * @property {boolean} [float32Output] a transformer whose output scikit-learn keeps as float32
 *   (`dtype=np.float32`, a float32 fit): a next step that computes in its input's dtype then
 *   rounds to float32, which this runtime does not do
 * @property {((string | number)[] | null)[]} [inputCategories] per input column, the
 *   categories an encoder knows (the page offers them), null for other columns
 * @property {(X: Input) => number[][] | number[][][]} [predictProba]
 * @property {(X: Input) => number[] | number[][]} [decisionFunction]
 * @property {(X: Input) => number[]} [scoreSamples] outlier detectors: scikit-learn's
 *   `score_samples` (lower is more abnormal)
 * @property {Architecture} [architecture] a neural network's layers (the page shows them)
 * @property {import("./tree-engine.js").TreeSet} [trees] the trees, for families made of trees
 */

/**
 * @typedef {object} Architecture
 * @property {number[]} layers units per layer, input and output included
 * @property {string} activation of the hidden layers (identity, logistic, tanh, relu)
 * @property {string} outputActivation identity, logistic or softmax
 */

/**
 * @typedef {import("./rows.js").Input} Input
 * @typedef {{ family: string, read: Reader }} Registered
 */

/**
 * The allow-list: estimator name -> its family's name and reader, for every estimator of
 * every family module in `families` (keyed by family name). An estimator named twice is a
 * mistake in the runtime, refused when it loads.
 * @param {Record<string, { ESTIMATORS: Record<string, Reader> }>} families
 * @returns {Map<string, Registered>}
 */
export function register(families) {
  const registry = new Map();
  for (const [family, module] of Object.entries(families)) {
    for (const [name, read] of Object.entries(module.ESTIMATORS)) {
      if (registry.has(name)) throw new Error(`json-models: ${name} registered twice`);
      registry.set(name, { family, read });
    }
  }
  return registry;
}

/**
 * The Parts of a transformer of `nOutputs` columns.
 * @param {number} nOutputs
 * @param {boolean} allowMissing
 * @param {(X: Input) => Input} transform
 * @returns {Parts}
 */
export function transformer(nOutputs, allowMissing, transform) {
  return { classes: null, nOutputs, float32: false, allowMissing, transform };
}
