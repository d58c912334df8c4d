// @ts-check
/**
 * Family `mlp`: MLPClassifier, MLPRegressor (sklearn.neural_network).
 *
 * scikit-learn's forward pass: `a = activation(a @ coefs[i] + intercepts[i])` layer by layer,
 * the last layer through `out_activation`. Each product is summed in input order starting
 * from 0, then the intercept added (BLAS may associate otherwise: SPEC's rule for networks
 * allows for it). A float32 network computes as scikit-learn does on float32 input: rows are
 * rounded to float32 on the way in and each layer's values live in a Float32Array, so every
 * multiply-add, sum and activation is rounded to float32 as it is stored.
 *
 * Classifiers: one output unit (two classes), `[1 - p, p]` and `classes[p > 0.5]`; softmax,
 * `classes[argmax]` (first maximum); several logistic units (a multilabel indicator y,
 * classes 0 .. n-1), one 0/1 per label, 1 where p > 0.5.
 * @module
 */
import { checkShape, ndarray } from "../arrays.js";
import { at, expected, fail } from "../errors.js";
import { integer, need, own, string } from "../fields.js";
import { argmax, expit, softmaxInPlace } from "../math.js";
import { rowsOf } from "../rows.js";
import { labels } from "../text.js";

/** @typedef {Float64Array | Float32Array} Values */
/** @typedef {{ w: Values, b: Values, nIn: number, nOut: number }} Layer `w`: float64 networks' transposed, (nOut, nIn) */

/** scikit-learn's ACTIVATIONS (sklearn/neural_network/_base.py), in place. */
const ACTIVATIONS = {
  identity: (/** @type {Values} */ _a) => {},
  // np.maximum(a, 0): NaN and -0 stay as they are
  relu: (/** @type {Values} */ a) => { for (let i = 0; i < a.length; i++) if (a[i] < 0) a[i] = 0; },
  tanh: (/** @type {Values} */ a) => { for (let i = 0; i < a.length; i++) a[i] = Math.tanh(a[i]); },
  logistic: (/** @type {Values} */ a) => { for (let i = 0; i < a.length; i++) a[i] = expit(a[i]); },
  exp: (/** @type {Values} */ a) => { for (let i = 0; i < a.length; i++) a[i] = Math.exp(a[i]); },
};
const HIDDEN = ["identity", "logistic", "tanh", "relu"];

/**
 * `a @ w + b` for `n` rows of a float64 network, `w` transposed (row k: the weights into unit
 * k). Each value is a dot product summed in input order from 0, then the intercept added;
 * four rows and two units at a time (the last rows one at a time, four units at a time), so
 * that each value read serves several products.
 * @param {Layer} layer
 * @param {ArrayLike<number>} a (n, nIn)
 * @param {number} n
 */
function dense64({ w, b, nIn, nOut }, a, n) {
  const z = new Float64Array(n * nOut);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const a0 = i * nIn;
    for (let k = 0; k < nOut; k += 2) {
      const w0 = k * nIn;
      const w1 = k + 1 < nOut ? w0 + nIn : w0; // (an odd last unit: computed twice, stored once)
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0, t0 = 0, t1 = 0, t2 = 0, t3 = 0; // prettier-ignore
      for (let j = 0; j < nIn; j++) {
        const v = w[w0 + j];
        const u = w[w1 + j];
        const x0 = a[a0 + j];
        const x1 = a[a0 + nIn + j];
        const x2 = a[a0 + 2 * nIn + j];
        const x3 = a[a0 + 3 * nIn + j];
        s0 += x0 * v;
        s1 += x1 * v;
        s2 += x2 * v;
        s3 += x3 * v;
        t0 += x0 * u;
        t1 += x1 * u;
        t2 += x2 * u;
        t3 += x3 * u;
      }
      const zi = i * nOut + k;
      z[zi] = s0 + b[k];
      z[zi + nOut] = s1 + b[k];
      z[zi + 2 * nOut] = s2 + b[k];
      z[zi + 3 * nOut] = s3 + b[k];
      if (w1 === w0) continue;
      z[zi + 1] = t0 + b[k + 1];
      z[zi + 1 + nOut] = t1 + b[k + 1];
      z[zi + 1 + 2 * nOut] = t2 + b[k + 1];
      z[zi + 1 + 3 * nOut] = t3 + b[k + 1];
    }
  }
  for (; i < n; i++) {
    // (the last rows one by one, four units at a time, the last units one by one)
    const ai = i * nIn;
    let k = 0;
    for (; k + 4 <= nOut; k += 4) {
      const wk = k * nIn;
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0; // prettier-ignore
      for (let j = 0; j < nIn; j++) {
        const x = a[ai + j];
        s0 += x * w[wk + j];
        s1 += x * w[wk + nIn + j];
        s2 += x * w[wk + 2 * nIn + j];
        s3 += x * w[wk + 3 * nIn + j];
      }
      const zi = i * nOut + k;
      z[zi] = s0 + b[k];
      z[zi + 1] = s1 + b[k + 1];
      z[zi + 2] = s2 + b[k + 2];
      z[zi + 3] = s3 + b[k + 3];
    }
    for (; k < nOut; k++) {
      let s = 0;
      for (let j = 0; j < nIn; j++) s += a[ai + j] * w[k * nIn + j];
      z[i * nOut + k] = s + b[k];
    }
  }
  return z;
}

/**
 * `a @ w + b` for `n` rows of a float32 network (`w` as written, (nIn, nOut)): each input's
 * weights added into a Float32Array row: each multiply-add computed in float64 and stored
 * rounded to float32, once (scikit-learn's sgemm rounds the product and the sum, or fuses
 * them: SPEC's float32 rule covers both). A zero input adds nothing: the weights are finite.
 * @param {Layer} layer
 * @param {ArrayLike<number>} a (n, nIn)
 * @param {number} n
 */
function dense32({ w, b, nIn, nOut }, a, n) {
  const z = new Float32Array(n * nOut);
  for (let i = 0; i < n; i++) {
    const zi = i * nOut;
    for (let j = 0; j < nIn; j++) {
      const x = a[i * nIn + j];
      if (x === 0) continue;
      for (let k = 0; k < nOut; k++) z[zi + k] += x * w[j * nOut + k];
    }
    for (let k = 0; k < nOut; k++) z[zi + k] += b[k];
  }
  return z;
}

/**
 * Read one layer's array (`coefs/i` or `intercepts/i`) of `shape`; float32 networks' values
 * must be float32 values (what Python casts them to).
 * @param {unknown} v
 * @param {string} pointer
 * @param {number[]} shape
 * @param {boolean} f32
 * @returns {Values}
 */
function weights(v, pointer, shape, f32) {
  const a = checkShape(ndarray(v, pointer, "f64", { maxDims: shape.length }), shape, pointer);
  const data = /** @type {Float64Array} */ (a.data);
  if (!f32) return shape.length === 2 ? transpose(data, shape[0], shape[1]) : data;
  const out = Float32Array.from(data);
  for (let i = 0; i < data.length; i++) {
    if (out[i] !== data[i]) fail(shape.length === 2 ? at(at(pointer, Math.floor(i / shape[1])), i % shape[1]) : at(pointer, i), "expected a value that float32 holds");
  }
  return out;
}

/**
 * The (c, r) matrix of the (r, c) matrix `m`.
 * @param {Float64Array} m
 * @param {number} r
 * @param {number} c
 */
function transpose(m, r, c) {
  const t = new Float64Array(r * c);
  for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) t[j * r + i] = m[i * c + j];
  return t;
}

/**
 * The list at `state[key]`: one entry per layer after the input.
 * @param {Record<string, unknown>} state
 * @param {string} key
 * @param {number} n
 */
function perLayer(state, key, n) {
  const v = need(state, "/state", key);
  if (!Array.isArray(v) || v.length !== n) expected(`/state/${key}`, `one array per layer after the input (${n})`, Array.isArray(v) ? `${v.length} arrays` : v);
  return v;
}

/** @type {import("../family.js").Reader} */
const read = (state, params, ctx) => {
  const classifier = ctx.estimator.endsWith("MLPClassifier");
  const sp = "/state/layer_sizes";
  const raw = need(state, "/state", "layer_sizes");
  if (!Array.isArray(raw) || raw.length < 2) expected(sp, "the units of at least two layers", raw);
  const sizes = raw.map((s, i) => integer(s, at(sp, i), 1));
  if (sizes[0] !== ctx.nFeatures) fail(at(sp, 0), `expected n_features_in (${ctx.nFeatures}), found ${sizes[0]}`);
  const nOut = sizes[sizes.length - 1];
  const activation = string(need(state, "/state", "activation"), "/state/activation");
  if (!HIDDEN.includes(activation)) expected("/state/activation", `one of ${HIDDEN.join(", ")}`, activation);
  const param = own(params, "activation") ?? "relu"; // (scikit-learn's default)
  if (param !== activation) fail("/state/activation", `expected the activation parameter ${JSON.stringify(param)}`);
  const out = string(need(state, "/state", "out_activation"), "/state/out_activation");
  const outs = classifier ? ["logistic", "softmax"] : [own(params, "loss") === "poisson" ? "exp" : "identity"];
  if (!outs.includes(out)) expected("/state/out_activation", outs.map((s) => JSON.stringify(s)).join(" or "), out);
  const dtype = need(state, "/state", "dtype");
  if (dtype !== "float64" && dtype !== "float32") expected("/state/dtype", '"float64" or "float32"', dtype);
  const f32 = dtype === "float32";
  const coefs = perLayer(state, "coefs", sizes.length - 1);
  const intercepts = perLayer(state, "intercepts", sizes.length - 1);
  /** @type {Layer[]} */
  const layers = coefs.map((c, i) => ({
    w: weights(c, `/state/coefs/${i}`, [sizes[i], sizes[i + 1]], f32),
    b: weights(intercepts[i], `/state/intercepts/${i}`, [sizes[i + 1]], f32),
    nIn: sizes[i],
    nOut: sizes[i + 1],
  }));
  const hidden = ACTIVATIONS[/** @type {keyof typeof ACTIVATIONS} */ (activation)];
  const softmax = out === "softmax";

  /**
   * The output layer's values (after `out_activation`), row-major (n, nOut).
   * @param {import("../rows.js").Input} X
   */
  const forward = (X) => {
    // (a typed array from the start: the products then read one kind of array, which V8
    // compiles to one fast path)
    /** @type {ArrayLike<number>} */
    let a = Float64Array.from(/** @type {number[]} */ (X.data));
    /** @type {Values} */
    let z = new Float64Array(0);
    layers.forEach((layer, i) => {
      z = f32 ? dense32(layer, a, X.n) : dense64(layer, a, X.n);
      if (i < layers.length - 1) hidden(z);
      a = z;
    });
    if (!softmax) {
      ACTIVATIONS[/** @type {"identity" | "logistic" | "exp"} */ (out)](z);
      return z;
    }
    const p = Float64Array.from(z); // (float32: softmax in float64, rounded when stored)
    for (let off = 0; off < p.length; off += nOut) softmaxInPlace(p, off, nOut);
    if (f32) z.set(p);
    return f32 ? z : p;
  };

  const arch = { layers: sizes, activation, outputActivation: out };
  if (!classifier) {
    return {
      classes: null,
      nOutputs: nOut,
      float32: f32,
      allowMissing: false,
      architecture: arch,
      predict: (X) => (nOut === 1 ? Array.from(forward(X)) : rowsOf(forward(X), X.n, nOut)),
    };
  }

  const cp = "/state/classes";
  const classes = labels(need(state, "/state", "classes"), cp);
  const multilabel = nOut > 1 && !softmax;
  if (nOut === 1 ? classes.length !== 2 : classes.length !== nOut) fail(cp, `expected ${nOut === 1 ? 2 : nOut} classes for ${nOut} output unit(s), found ${classes.length}`);
  if (multilabel && classes.some((c, k) => c !== k)) fail(cp, `expected the labels 0 .. ${nOut - 1} of a multilabel y`);
  if (softmax && nOut === 1) fail("/state/out_activation", 'expected "logistic" for a binary classifier');
  return {
    classes,
    nOutputs: multilabel ? nOut : 1,
    float32: f32,
    allowMissing: false,
    architecture: arch,
    predict(X) {
      const p = forward(X);
      if (multilabel) return Array.from({ length: X.n }, (_, i) => Array.from(p.subarray(i * nOut, (i + 1) * nOut), (v) => +(v > 0.5)));
      return Array.from({ length: X.n }, (_, i) => classes[nOut === 1 ? +(p[i] > 0.5) : argmax(p, i * nOut, nOut)]);
    },
    predictProba(X) {
      const p = forward(X);
      // (1 - p in float32 where the network is)
      if (nOut === 1) return Array.from(p, (v) => [f32 ? Math.fround(1 - v) : 1 - v, v]);
      return rowsOf(p, X.n, nOut);
    },
  };
};

/** Estimators of this family, by public import path. */
export const ESTIMATORS = {
  "sklearn.neural_network.MLPClassifier": read,
  "sklearn.neural_network.MLPRegressor": read,
};
