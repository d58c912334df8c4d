// Type-level test of src/index.d.ts: checked by `tsc --noEmit -p .` (npm run typecheck), not run.
import {
  FORMAT_MAJOR,
  InvalidModelError,
  SUPPORTED_ESTIMATORS,
  UnsupportedVersionError,
  loadModel,
  type Document,
  type Label,
  type Model,
  type Prediction,
  type Row,
  type Tree,
  type Trees,
} from "../src/index.js";

const doc: Document = {
  format: "json-models",
  format_version: "1.0",
  estimator: "sklearn.linear_model.LinearRegression",
  params: {},
  state: { n_features_in: 2, coef: [1, 2], intercept: 0.5 },
};
const model: Model = loadModel(doc);
const fromText: Model = loadModel(JSON.stringify(doc));
const fromBytes: Model = loadModel(new TextEncoder().encode(JSON.stringify(doc)));
void [fromText, fromBytes];

const rows: Row[] = [[1, 2], [null, 3], new Float64Array([4, 5]), { a: 1, b: null }, { id: 7, a: 1, b: 2 }];
const y: Prediction[] = model.predict?.(rows) ?? [];
const first: Label | Label[] = y[0];
void first;

const proba: number[][] | number[][][] | undefined = model.predictProba?.(rows);
const decision: number[] | number[][] | undefined = model.decisionFunction?.(rows);
void proba;
void decision;

const n: number = model.nFeatures + model.nOutputs + FORMAT_MAJOR;
const names: string[] | null = model.featureNames;
const classes: Label[] | Label[][] | null = model.classes;
const estimator: string = model.estimator;
const supported: readonly string[] = SUPPORTED_ESTIMATORS;
void [n, names, classes, estimator, supported];

const family: string = model.family;
const trees: Trees | undefined = model.trees;
if (trees) {
  const tree: Tree = trees.tree(trees.count - 1);
  const path: number[] = trees.decisionPath({ a: 1, b: null }, trees.count - 1);
  const samples: Int32Array | null = tree.samples;
  void [family, path, samples, trees.perIteration, trees.nodeCount, trees.decisionPath([1, 2])];
  // @ts-expect-error: a tree is read-only
  tree.left = new Int32Array(0);
}

try {
  loadModel("{}");
} catch (e) {
  if (e instanceof UnsupportedVersionError) {
    const p: string = e.pointer;
    void p;
  } else if (e instanceof InvalidModelError) {
    const m: string = e.message;
    void m;
  }
}

// @ts-expect-error: predict takes an array of rows, not one row
model.predict?.([1, 2]);
// @ts-expect-error: the model is read-only
model.nFeatures = 3;
