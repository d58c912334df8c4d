// @ts-check
/**
 * The numerical functions whose order of operations must follow numpy, scipy and
 * scikit-learn (SPEC.md, "Fidelity": same operations in the same order, so nothing worse than
 * the last bit of `exp` differs).
 *
 * Imports nothing.
 * @module
 */

/**
 * Index of the first maximum of `a[off .. off+n)` (numpy's argmax, ties to the first).
 * @param {ArrayLike<number>} a
 * @param {number} off
 * @param {number} n
 */
export function argmax(a, off, n) {
  let best = 0;
  for (let j = 1; j < n; j++) if (a[off + j] > a[off + best]) best = j;
  return best;
}

/**
 * scipy.special.expit: 1 / (1 + exp(-x)).
 * @param {number} x
 */
export function expit(x) {
  return 1 / (1 + Math.exp(-x));
}

/**
 * numpy's float64 sum of `a[off .. off+n)`: pairwise summation with blocks of 8, the same
 * association as numpy's `np.sum(X, axis=1)` on a C-contiguous row.
 * @param {ArrayLike<number>} a
 * @param {number} off
 * @param {number} n
 * @returns {number}
 */
export function npSum(a, off, n) {
  if (n < 8) {
    let s = 0;
    for (let i = 0; i < n; i++) s += a[off + i];
    return s;
  }
  if (n <= 128) {
    const r = Array.prototype.slice.call(a, off, off + 8);
    let i = 8;
    for (; i < n - (n % 8); i += 8) for (let j = 0; j < 8; j++) r[j] += a[off + i + j];
    let s = r[0] + r[1] + (r[2] + r[3]) + (r[4] + r[5] + (r[6] + r[7]));
    for (; i < n; i++) s += a[off + i];
    return s;
  }
  let half = Math.floor(n / 2);
  half -= half % 8;
  return npSum(a, off, half) + npSum(a, off + half, n - half);
}

/**
 * scikit-learn's `softmax` (sklearn.utils.extmath) on one row, in place: subtract the row
 * maximum, exponentiate, divide by numpy's sum.
 * @param {Float64Array | number[]} a
 * @param {number} off
 * @param {number} n
 */
export function softmaxInPlace(a, off, n) {
  let max = a[off];
  for (let j = 1; j < n; j++) if (a[off + j] > max) max = a[off + j];
  for (let j = 0; j < n; j++) a[off + j] = Math.exp(a[off + j] - max);
  const sum = npSum(a, off, n);
  for (let j = 0; j < n; j++) a[off + j] /= sum;
}
