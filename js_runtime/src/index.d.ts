/**
 * json-models: predict with scikit-learn models exported as JSON documents, in Node 20+ and
 * browsers, with the same results as scikit-learn.
 *
 * @example
 * ```js
 * import { loadModel } from "json-models";
 * const model = loadModel(await (await fetch("iris-tree.json")).text());
 * model.predict([[5.1, 3.5, 1.4, 0.2]]);          // [0]
 * model.predictProba?.([[5.1, 3.5, null, 0.2]]); // null is a missing value
 * loadModel(readFileSync("model.json"));         // or its UTF-8 bytes (Node's Buffer, Uint8Array)
 * ```
 * @packageDocumentation
 */

/** A class label as scikit-learn stores it in `classes_`. */
export type Label = number | string | boolean;

/**
 * One input row: `nFeatures` numbers (`null` or `NaN` for a missing value), or, when the
 * document has feature names, an object keyed by feature name, which must hold every feature;
 * its other keys are ignored (a database row with an `id` column works).
 */
/**
 * One input row: numbers (`null` or `NaN` for a missing value), or for pipelines, encoders and
 * imputers also strings (categories: `"1"` is not `1`); as an array in feature order, or an
 * object keyed by feature name.
 */
export type Row =
  | ArrayLike<number | string | null>
  | { readonly [featureName: string]: number | string | null };

/**
 * One prediction: a label (classifier) or a number (regressor); an array of them, one per
 * output, for multi-output classifiers and multi-target regressors.
 */
export type Prediction = Label | Label[];

/** The envelope every json-models document has; the rest is described by `schemas/`. */
export interface Document {
  /** Always `"json-models"`. */
  format: "json-models";
  /** `"MAJOR.MINOR"`; this runtime reads major 1. */
  format_version: string;
  /** Public import path of the scikit-learn class, e.g. `"sklearn.tree.DecisionTreeClassifier"`. */
  estimator: string;
  /** Hyperparameters, `get_params(deep=False)`. */
  params: Record<string, unknown>;
  /** Fitted state: the scikit-learn attributes ending in `_`, without the underscore. */
  state: Record<string, unknown>;
  [key: string]: unknown;
}

/**
 * A loaded model. Methods throw a `TypeError` naming the row and feature for malformed input,
 * e.g. `X row 0, feature "petal width (cm)": expected a number or null, found the string "abc"`.
 */
export interface Model {
  /** Public import path of the scikit-learn class. */
  readonly estimator: string;
  /**
   * The estimator's model family, named as everywhere in json-models (`schemas/<family>.schema.json`,
   * `src/models/<family>.js`): `"linear"`, `"logistic"`, `"tree"`, `"forest"`, `"boosting"`, `"hgb"`, `"scaler"`,
   * `"polynomial"`, `"imputer"`, `"encoder"` or `"pipeline"`.
   */
  readonly family: string;
  /** Number of features each row must have (`n_features_in_`). */
  readonly nFeatures: number;
  /** Number of outputs (targets); 1 for single-output models. */
  readonly nOutputs: number;
  /** Feature names (`feature_names_in_`), or `null` when the model was fitted without them. */
  readonly featureNames: string[] | null;
  /**
   * Class labels in the column order of probabilities (`classes_`); one list per output for
   * multi-output classifiers; `null` for regressors.
   */
  readonly classes: Label[] | Label[][] | null;
  /**
   * Predicted label or value per row (scikit-learn's `predict`), present on every model but a
   * transformer (or a pipeline ending in one). Multi-output classifiers and
   * multi-target regressors give one array per row.
   *
   * A row is an array of `nFeatures` values, or (when {@link featureNames} is not null) an
   * object keyed by feature name: every feature must be there (a missing one is named, with the
   * nearest other key when it looks like a misspelling: `X row 0: missing feature "petal width
   * (cm)"; did you mean "petal_width (cm)"?`), and keys that are no feature are ignored.
   */
  predict?(X: readonly Row[]): Prediction[];
  /**
   * Class probabilities (scikit-learn's `predict_proba`), present on classifiers: one row of
   * `classes.length` numbers per input row; for multi-output classifiers one such matrix per
   * output.
   */
  predictProba?(X: readonly Row[]): number[][] | number[][][];
  /**
   * Decision values (scikit-learn's `decision_function`), present on LogisticRegression and
   * GradientBoostingClassifier: one number per row for two classes, one per class otherwise.
   */
  decisionFunction?(X: readonly Row[]): number[] | number[][];
  /**
   * Outlier scores (scikit-learn's `score_samples`: the lower, the more abnormal), present on
   * outlier detectors (IsolationForest, OneClassSVM).
   */
  scoreSamples?(X: readonly Row[]): number[];
  /** A neural network's layers (family `mlp`); absent for other families. */
  readonly architecture?: Architecture;
  /**
   * The trees of a tree model (families `tree`, `forest`, `boosting`, `hgb`) as the document holds
   * them, and the path a row takes through each; absent for other families.
   */
  readonly trees?: Trees;
  /**
   * The transformed rows (scikit-learn's `transform`), present on transformers (scalers,
   * encoders, imputers, `PolynomialFeatures`, `ColumnTransformer`) and pipelines ending in one:
   * one array of `nOutputs` values per row (numbers; strings where scikit-learn's output holds
   * strings; NaN for a missing value passed through).
   */
  transform?(X: readonly Row[]): (number | string)[][];
  /** A pipeline's steps (a column transformer's entries, with their input columns). */
  readonly steps?: readonly Step[];
  /**
   * Per input column, the categories an encoder (or a HistGradientBoosting model's categorical
   * features) knows (`null` for other columns).
   */
  readonly inputCategories?: readonly ((string | number)[] | null)[];
}

/** What a neural network is made of. */
export interface Architecture {
  /** Units per layer, the input and output layers included. */
  readonly layers: readonly number[];
  /** Activation of the hidden layers: "identity", "logistic", "tanh" or "relu". */
  readonly activation: string;
  /** Activation of the output layer: "identity", "logistic" or "softmax". */
  readonly outputActivation: string;
}

/** A step of a pipeline, or an entry of a column transformer. */
export interface Step {
  readonly name: string;
  /** Its estimator's public import path, or "passthrough" or "drop". */
  readonly estimator: string;
  /** Its estimator's family (absent for "passthrough" and "drop"). */
  readonly family?: string;
  /** A column transformer's entry: the input columns it takes. */
  readonly columns?: readonly number[];
  /** The steps of a step made of steps. */
  readonly steps?: readonly Step[];
}

/**
 * One decision tree's nodes as the document holds them (scikit-learn's `tree_`), node 0 the
 * root, a child's index always greater than its parent's. Read it, do not write it: the arrays
 * are the ones {@link Trees.decisionPath} follows.
 */
export interface Tree {
  /** `children_left`: each node's left child, -1 at a leaf. */
  readonly left: Int32Array;
  /** `children_right`: each node's right child, -1 at a leaf. */
  readonly right: Int32Array;
  /** The feature each split tests (meaningless at a leaf). */
  readonly feature: Int32Array;
  /**
   * A row goes left when `float32(x) <= threshold` (scikit-learn's comparison);
   * HistGradientBoosting: when `x <= threshold` in float64.
   */
  readonly threshold: Float64Array;
  /** 1 where a missing value goes left, 0 where it goes right. */
  readonly missingLeft: Uint8Array;
  /**
   * `value`, shape (nodes, outputs, width) in C order, width the largest class count of an
   * output (1 for regressors and boosting): class fractions, the node's mean, or the raw value
   * a boosting tree adds (times the learning rate). Compact documents hold 0 at split nodes.
   */
  readonly value: Float64Array;
  /**
   * `n_node_samples` (HistGradientBoosting: `count`), or `null` where the document leaves node
   * statistics out (compact).
   */
  readonly samples: Int32Array | null;
  /**
   * HistGradientBoosting: the categories that go left at a categorical split (raw values, as
   * in the data; a value that is none of the feature's known categories goes the missing way),
   * `null` at a numeric split or a leaf. Absent for other families.
   */
  categories?(node: number): (string | number)[] | null;
}

/** The trees of a tree model, in the document's order. */
export interface Trees {
  /**
   * Number of trees: 1 for a single tree, `n_estimators` for a forest, stages (iterations)
   * × perIteration for boosting and HistGradientBoosting.
   */
  readonly count: number;
  /**
   * Trees per boosting stage (HistGradientBoosting: iteration): one per class for more than two
   * classes, else 1; tree `stage * perIteration + k` is stage `stage`'s tree for class `k`. 1
   * for a tree or forest.
   */
  readonly perIteration: number;
  /** Number of nodes of all trees. */
  readonly nodeCount: number;
  /**
   * Tree `index` (default 0), read from the document when asked for and kept until another
   * is. Throws a `RangeError` for an index that is not one of a tree.
   */
  tree(index?: number): Tree;
  /**
   * Node indices from the root to the leaf that `row` reaches in tree `index` (default 0),
   * scikit-learn's `decision_path`: the walk prediction takes, so it ends at the leaf whose
   * values the prediction used. Throws for a row as `predict` does.
   */
  decisionPath(row: Row, index?: number): number[];
}

/**
 * Load a json-models document and return a model that predicts like the scikit-learn
 * estimator it was exported from. Validates the structure first.
 *
 * @param input the document: its JSON text, its UTF-8 bytes (a `Uint8Array`, such as Node's
 *   `Buffer`), or already parsed. Compressed bytes are refused with a message saying so
 *   (decompress gzip first, e.g. with `zlib.gunzipSync` or `DecompressionStream("gzip")`).
 * @throws {@link InvalidModelError} for an invalid document, with the JSON Pointer of the
 *   offending place at the start of the message (`/` for the whole document, e.g. `/: not valid
 *   JSON at line 3, column 8 (byte 19): Unexpected token 'x'`); {@link UnsupportedVersionError}
 *   for a document of another format major version. Any document ends in a model or one of
 *   these, never another exception or unbounded memory. JSON text holding a lone surrogate in
 *   any string is refused at that string; an object already parsed, only in the strings read
 *   (labels, feature names).
 */
export function loadModel(input: string | Uint8Array | Document | object): Model;

/** Thrown for an invalid document; the message starts with {@link InvalidModelError.pointer}. */
export class InvalidModelError extends Error {
  constructor(pointer: string, message: string);
  /** JSON Pointer of the offending place (`""` for the whole document). */
  readonly pointer: string;
}

/** Thrown for a document whose format major version this runtime does not read. */
export class UnsupportedVersionError extends InvalidModelError {}

/** The format major version this runtime reads (any minor of it). */
export const FORMAT_MAJOR: number;
/**
 * Most bytes a compressed document may decompress to (256 MiB), in the Node command line, the
 * page and the Python package alike: a few KiB of gzip can expand to gigabytes.
 */
export const MAX_DOCUMENT_BYTES: number;

/** Public import paths of the scikit-learn estimators this runtime can load. */
export const SUPPORTED_ESTIMATORS: readonly string[];
