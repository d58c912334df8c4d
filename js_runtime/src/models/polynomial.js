// @ts-check
/**
 * Family `polynomial`: PolynomialFeatures.
 *
 * The columns are built as scikit-learn's dense transform builds them: the bias, the features,
 * then for each degree and each feature f the block of the previous degree's columns from f's
 * on (after f's, interaction_only) times x_f. Each value is one product, so the bits are
 * scikit-learn's. No missing values (scikit-learn takes none).
 * @module
 */
import { expected, fail } from "../errors.js";
import { integer, own } from "../fields.js";
import { transformer } from "../family.js";
import { pair, param } from "../params.js";
import { numbers } from "../rows.js";

/** Most columns the transform may build (as in the Python reader). */
const MAX_COLUMNS = 2 ** 24;
const tooMany = () => fail("/state/n_output_features", `expected at most ${MAX_COLUMNS} columns for these parameters`);

/**
 * Walk the blocks of products scikit-learn builds for degrees 2..hi; call `block(start, end, f,
 * dest)` for each (columns start..end-1 times x_f go to dest..); return the number of columns
 * and how many precede degree `lo`.
 * @param {number} n input features
 * @param {number} lo smallest degree kept
 * @param {number} hi largest degree
 * @param {boolean} inter interaction_only
 * @param {number} first columns before the features (1 with the bias)
 * @param {(start: number, end: number, f: number, dest: number) => void} [block]
 */
function walk(n, lo, hi, inter, first, block) {
  let cols = hi > 0 ? first + n : first;
  let below = lo > 1 ? cols : first;
  if (cols > MAX_COLUMNS) tooMany();
  // (made only where products follow: then cols, at least n, is checked above)
  let index = hi < 2 ? [] : Array.from({ length: n + 1 }, (_, f) => first + f);
  for (let d = 2; d <= Math.min(hi, inter ? n : hi); d++) {
    const next = [];
    const end = index[index.length - 1];
    for (let f = 0; f < n; f++) {
      next.push(cols);
      const start = inter ? index[f + 1] : index[f];
      if (cols + end - start <= cols) break;
      block?.(start, end, f, cols);
      cols += end - start;
      if (cols > MAX_COLUMNS) tooMany();
    }
    next.push(cols);
    index = next;
    if (d < lo) below = cols;
  }
  return { cols, below };
}

/** @type {import("../family.js").Reader} */
const read = (state, params, ctx) => {
  const n = ctx.nFeatures;
  const bias = param(params, "include_bias", true);
  const inter = param(params, "interaction_only", false);
  if (typeof bias !== "boolean") expected("/params/include_bias", "true or false", bias);
  if (typeof inter !== "boolean") expected("/params/interaction_only", "true or false", inter);
  const degree = param(params, "degree", 2);
  const [lo, hi] = typeof degree === "number" ? [0, degree] : pair(params, "degree", [0, 2]);
  if (!(Number.isInteger(lo) && Number.isInteger(hi) && lo >= 0 && lo <= hi) || (hi === 0 && !bias)) {
    expected("/params/degree", "an integer or [min, max] degrees with 0 <= min <= max (not 0 without include_bias)", degree);
  }
  if (!inter && hi > MAX_COLUMNS) tooMany();
  const first = bias ? 1 : 0;
  const { cols, below } = walk(n, lo, hi, inter, first);
  const nOut = lo > 1 ? first + cols - below : cols;
  const stated = integer(own(state, "n_output_features"), "/state/n_output_features", 0);
  if (stated !== nOut) fail("/state/n_output_features", `expected ${nOut} for ${n} features and these parameters, found ${stated}`);
  return transformer(nOut, false, (X) => {
    const x = numbers(X, false);
    const data = new Array(X.n * nOut);
    const row = new Array(cols);
    for (let i = 0; i < X.n; i++) {
      const off = i * n;
      row[0] = 1; // (overwritten by the first feature without the bias)
      for (let j = 0; hi > 0 && j < n; j++) row[first + j] = x[off + j];
      walk(n, lo, hi, inter, first, (start, end, f, dest) => {
        for (let c = start; c < end; c++) row[dest + c - start] = row[c] * x[off + f];
      });
      // Degrees below min_degree dropped (the bias kept), as scikit-learn cuts its columns.
      for (let k = 0; k < nOut; k++) data[i * nOut + k] = row[k < first ? k : k + cols - nOut];
    }
    return { data, n: X.n, m: nOut, missing: null };
  });
};

/** Estimators of this family, by public import path. */
export const ESTIMATORS = { "sklearn.preprocessing.PolynomialFeatures": read };
