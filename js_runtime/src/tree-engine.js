// @ts-check
/**
 * The tree engine, shared by the families `tree`, `forest` and `boosting`: reading and
 * checking a tree's node columns ({@link readTree}), compiling trees into one compact block of
 * memory ({@link readEnsemble}), routing rows to leaves and adding leaf values in estimator
 * order ({@link addLeafValues}), averaging tree outputs ({@link treeEnsemble}: a single tree
 * is a forest of one that is not divided), and the trees as the document holds them, with the
 * path a row takes, for drawing and explaining ({@link treeSet}).
 *
 * How prediction is fast and exact: thresholds become float32 (the largest float32 not above
 * the float64 threshold, which routes float32 inputs exactly like scikit-learn's
 * `float32(x) <= threshold`), stored with the node as integers that compare like the floats;
 * a node is one 16-byte record; equal leaves are shared; four walks run interleaved without
 * branches; batches go tree by tree (the tree stays in cache), single rows four trees at a time.
 * @module
 */
import { Scratch, checkShape, ndarray } from "./arrays.js";
import { at, expected, fail } from "./errors.js";
import { integer, isObject, need, own } from "./fields.js";
import { argmax, expit, softmaxInPlace } from "./math.js";
import { rowsOf } from "./rows.js";
import { labels } from "./text.js";

/**
 * @typedef {object} Tree
 * @property {Int32Array} left children_left, -1 at a leaf
 * @property {Int32Array} right children_right
 * @property {Int32Array} feature
 * @property {Float64Array} threshold
 * @property {Uint8Array} missingLeft 1 where a missing value goes left
 * @property {Float64Array} value (node_count, n_outputs, width) in C order
 */

/**
 * Read and check one tree's node columns at `pointer`, with the Python reader's rules.
 *
 * Checks: equal column lengths; children either both -1 (leaf) or both greater than the
 * node's own index and in range (so the walk always ends), every node but the root the child
 * of exactly one node (none shared, none unreachable); a feature in [0, nFeatures) and a
 * threshold that is not NaN at internal nodes; `value` of shape (node_count, nOutputs,
 * max(classCounts)), and for classifiers no negative class weight and zeros in the padding
 * past an output's own classes (else argmax could pick a class that does not exist).
 *
 * @param {unknown} t the tree object
 * @param {string} pointer
 * @param {number} nFeatures
 * @param {number} nOutputs
 * @param {number[] | null} classCounts number of classes per output (classifiers), or null
 * @param {Scratch} [scratch] memory for the columns, reused by the next tree read through it
 * @returns {Tree}
 */
export function readTree(t, pointer, nFeatures, nOutputs, classCounts, scratch = new Scratch()) {
  if (!isObject(t)) expected(pointer, "a tree object", t);
  const tree = t;
  const col = (/** @type {string} */ name, /** @type {import("./arrays.js").Kind} */ kind, nonFinite = false) => {
    const a = ndarray(need(tree, pointer, name), at(pointer, name), kind, { nonFinite, memory: scratch.memory(name) });
    return a.data;
  };
  const left = /** @type {Int32Array} */ (col("children_left", "i32"));
  const n = left.length;
  if (n < 1) fail(at(pointer, "children_left"), "expected at least one node");
  const right = /** @type {Int32Array} */ (col("children_right", "i32"));
  const feature = /** @type {Int32Array} */ (col("feature", "i32"));
  const threshold = /** @type {Float64Array} */ (col("threshold", "f64", true));
  const missingLeft = /** @type {Uint8Array} */ (col("missing_go_to_left", "u8"));
  for (const [name, c] of /** @type {const} */ ([["children_right", right], ["feature", feature], ["threshold", threshold], ["missing_go_to_left", missingLeft]])) {
    if (c.length !== n) fail(at(pointer, name), `expected ${n} nodes like children_left, found ${c.length}`);
  }
  const nodeCount = own(tree, "node_count");
  if (nodeCount !== undefined && nodeCount !== n) expected(at(pointer, "node_count"), `${n} (the length of the node columns)`, nodeCount);

  const vp = at(pointer, "value");
  const v = ndarray(need(tree, pointer, "value"), vp, "f64", { maxDims: 3, memory: scratch.memory("value") });
  const width = widest(classCounts);
  checkShape(v, [n, nOutputs, width], vp);
  const value = /** @type {Float64Array} */ (v.data);
  if (classCounts) {
    for (let i = 0, at3 = 0; i < n; i++) {
      for (let k = 0; k < nOutputs; k++) {
        for (let c = 0; c < width; c++, at3++) {
          const x = value[at3];
          if (x < 0 || (x !== 0 && c >= classCounts[k])) {
            expected(at(at(at(vp, i), k), c), "a non-negative class weight, and 0 past the output's classes", x);
          }
        }
      }
    }
  }
  // Pointers are built only on failure: this loop runs once per node of every tree.
  const bad = (/** @type {string} */ name, /** @type {number} */ i, /** @type {string} */ what, /** @type {unknown} */ found) =>
    expected(at(at(pointer, name), i), what, found);
  const parent = new Uint8Array(scratch.memory("parent")(n), 0, n).fill(0);
  for (let i = 0; i < n; i++) {
    const l = left[i];
    const r = right[i];
    if (l === -1 && r === -1) continue;
    if (l === -1) bad("children_right", i, "-1 like children_left (a leaf)", r);
    if (l <= i || l >= n) bad("children_left", i, `-1 (leaf) or a node index in (${i}, ${n})`, l);
    if (r <= i || r >= n) bad("children_right", i, `a node index in (${i}, ${n})`, r);
    if (parent[l]++) fail(at(at(pointer, "children_left"), i), `node ${l} is already the child of another node`);
    if (parent[r]++) fail(at(at(pointer, "children_right"), i), `node ${r} is already the child of another node`);
    const f = feature[i];
    if (f < 0 || f >= nFeatures) bad("feature", i, `an integer in [0, ${nFeatures - 1}]`, f);
    if (threshold[i] !== threshold[i]) bad("threshold", i, "a number (NaN is no threshold)", "NaN");
  }
  const unreached = parent.indexOf(0, 1);
  if (unreached > 0) fail(at(pointer, "children_left"), `node ${unreached} is not reachable from node 0`);
  return { left, right, feature, threshold, missingLeft, value };
}

/**
 * The most classes of any output (1 for regressors). A loop, not `Math.max(...counts)`:
 * spreading hundreds of thousands of outputs overflows the stack.
 * @param {number[] | null} classCounts
 */
function widest(classCounts) {
  let width = 1;
  for (const c of classCounts ?? []) width = Math.max(width, c);
  return width;
}

/** Scratch for {@link float32Below} and {@link orderKey}: one float32 and its bits. */
const F32 = new Float32Array(1);
const F32_BITS = new Int32Array(F32.buffer);

/**
 * The largest float32 that is <= `t` (`t` not NaN). For a float32 `x`, `x <= t` exactly when
 * `x <= float32Below(t)`: comparing float32 inputs with this float32 routes every row like
 * scikit-learn's `float32(x) <= threshold`, including `x` between `float32(t)` and `t`.
 * @param {number} t
 */
export function float32Below(t) {
  const f = Math.fround(t);
  if (f <= t) return f;
  // f is the float32 just above t (never +0, since t < f): step one float32 down.
  F32[0] = f;
  F32_BITS[0] += f > 0 ? -1 : 1;
  return F32[0];
}

/** Order keys above this (or below its negation) are NaN. */
const INF_KEY = 0x7f800000;

/**
 * The order key of the float32 whose bits are `b`: an int32 that compares like the float
 * (`-0` and `+0` both 0, infinities at +-INF_KEY, NaN beyond them). Comparing keys is integer
 * work on one int32 array, cheaper than float loads and conversions.
 * @param {number} b
 */
function keyOfBits(b) {
  return b < 0 ? -(b & 0x7fffffff) : b;
}

/**
 * The order key of float32 `x`.
 * @param {number} x
 */
function orderKey(x) {
  F32[0] = x;
  return keyOfBits(F32_BITS[0]);
}

/**
 * @typedef {object} Ensemble
 * One or more trees compiled for prediction into one int32 array.
 *
 * Nodes are renumbered: first the internal nodes of every tree (tree by tree, in document
 * order, which is depth-first for scikit-learn trees, so a left child mostly sits right after
 * its parent), then the leaves. Node `i` is the four int32 at `nodes[4 * i]`: 4 * feature,
 * left child, right child, and the {@link orderKey} of {@link float32Below}(threshold) (one
 * node, one 16-byte record). A leaf points to itself both ways, so a walk that reached a leaf
 * stays there; leaf node `nInternal + j` is leaf number `j`, whose values are
 * `values[j * stride ...]`. Leaves with the same values (bit for bit) are one leaf: fully grown
 * classification forests have mostly pure leaves, so few distinct ones, which stay in cache.
 * @property {Int32Array} nodes
 * @property {Uint8Array} missingLeft by internal node: 1 where a missing value goes left
 * @property {Float64Array} values leaf values, `stride` per leaf
 * @property {number} stride values per leaf (n_outputs * width)
 * @property {Int32Array} roots the node where each tree starts
 * @property {number} nInternal number of internal nodes, of all trees
 * @property {number} nodeCount nodes of all trees, as the document holds them
 * @property {(index: number) => TreeNodes} nodesOf tree `index` as the document holds it, read
 *   again into memory of its own
 */

/**
 * @typedef {Tree & { samples: Int32Array | null, categories?: (node: number) => (string | number)[] | null }} TreeNodes
 * A tree as the document holds it (node 0 the root), and its `n_node_samples` when it has them;
 * HistGradientBoosting's, the categories that go left at a categorical split.
 */

/**
 * Compiles checked trees, one at a time, into an {@link Ensemble}. Each tree is copied as it
 * comes (its columns may be reused memory): internal nodes get consecutive numbers, leaves the
 * number of their distinct values (bit for bit, through a hash table over their bits), and
 * children that are leaves point at the leaf nodes once all internal nodes are counted.
 */
class EnsembleBuilder {
  /**
   * @param {number} stride values per leaf
   * @param {number} expected internal nodes expected in all (more are taken, at a copy's cost)
   */
  constructor(stride, expected) {
    this.stride = stride;
    /** Internal node records; a child that is a leaf holds ~(its distinct number). */
    this.nodes = new Int32Array(4 * Math.max(Math.floor(expected), 16));
    this.missingLeft = new Uint8Array(this.nodes.length / 4);
    this.nInternal = 0;
    /** @type {number[]} */
    this.roots = [];
    this.values = new Float64Array(stride); // distinct leaf values (room for one, doubled as needed)
    this.bits = new Int32Array(this.values.buffer); // the same, as int32 words
    this.count = 0; // distinct leaf values so far
    this.repeats = 0; // leaves found equal to an earlier one
    this.table = new Int32Array(64); // distinct number + 1 by hash, 0 where empty
    this.scratch = new Scratch();
  }

  /**
   * Add a checked tree.
   * @param {Tree} tree
   */
  add(tree) {
    const { left, right, feature, threshold, missingLeft, value } = tree;
    const n = left.length;
    const id = new Int32Array(this.scratch.memory("id")(4 * n), 0, n); // new number of each node
    let next = this.nInternal;
    for (let i = 0; i < n; i++) id[i] = left[i] === -1 ? ~this.leaf(value, i) : next++;
    if (4 * next > this.nodes.length) {
      const nodes = new Int32Array(Math.max(4 * next, 2 * this.nodes.length));
      nodes.set(this.nodes);
      this.nodes = nodes;
      const flags = new Uint8Array(nodes.length / 4);
      flags.set(this.missingLeft);
      this.missingLeft = flags;
    }
    const nodes = this.nodes;
    for (let i = 0; i < n; i++) {
      const node = id[i];
      if (node < 0) continue;
      const o = 4 * node;
      nodes[o] = 4 * feature[i];
      nodes[o + 1] = id[left[i]];
      nodes[o + 2] = id[right[i]];
      nodes[o + 3] = orderKey(float32Below(threshold[i]));
      this.missingLeft[node] = missingLeft[i];
    }
    this.roots.push(id[0]);
    this.nInternal = next;
  }

  /**
   * The distinct number of the values of node `i` in `value`, a new one if they are new. A
   * search that takes more than a few probes counts them as new, so no document can make
   * this quadratic; and once a few thousand leaves show almost no repeats (regression trees,
   * boosting), leaves are no longer looked up.
   * @param {Float64Array} value
   * @param {number} i
   */
  leaf(value, i) {
    const { stride } = this;
    if ((this.count + 1) * stride > this.values.length) {
      const values = new Float64Array(2 * this.values.length);
      values.set(this.values);
      this.values = values;
      this.bits = new Int32Array(values.buffer);
    }
    const { values, bits } = this;
    for (let c = 0; c < stride; c++) values[this.count * stride + c] = value[i * stride + c];
    if (this.count > 4096 && this.repeats < this.count / 16) return this.count++;
    if (2 * (this.count + 1) > this.table.length) this.rehash(2 * this.table.length);
    const words = 2 * stride;
    const at = this.count * words; // stored as if new, then looked for
    const { table } = this;
    const mask = table.length - 1;
    for (let probe = 0, slot = hash(bits, at, words) & mask; probe < 8; probe++, slot = (slot + 1) & mask) {
      const other = table[slot] - 1;
      if (other < 0) {
        table[slot] = this.count + 1;
        break;
      }
      let k = 0;
      while (k < words && bits[other * words + k] === bits[at + k]) k++;
      if (k === words) {
        this.repeats++;
        return other;
      }
    }
    return this.count++;
  }

  /**
   * Grow the hash table to `size` slots.
   * @param {number} size
   */
  rehash(size) {
    const table = new Int32Array(size);
    const { bits } = this;
    const words = 2 * this.stride;
    for (let j = 0; j < this.count; j++) {
      for (let probe = 0, slot = hash(bits, j * words, words) & (size - 1); probe < 8; probe++, slot = (slot + 1) & (size - 1)) {
        if (table[slot] === 0) {
          table[slot] = j + 1;
          break;
        }
      }
    }
    this.table = table;
  }

  /** @returns {Omit<Ensemble, "nodeCount" | "nodesOf">} */
  finish() {
    const { nInternal, count, stride } = this;
    // Leaf j becomes node nInternal + j, which loops onto itself.
    const nodes = new Int32Array(4 * (nInternal + count));
    nodes.set(this.nodes.subarray(0, 4 * nInternal));
    const leaf = (/** @type {number} */ c) => (c < 0 ? nInternal + ~c : c);
    for (let o = 0; o < 4 * nInternal; o += 4) {
      nodes[o + 1] = leaf(nodes[o + 1]);
      nodes[o + 2] = leaf(nodes[o + 2]);
    }
    for (let node = nInternal; node < nInternal + count; node++) nodes[4 * node + 1] = nodes[4 * node + 2] = node;
    return {
      nodes,
      missingLeft: this.missingLeft.slice(0, nInternal),
      values: this.values.slice(0, count * stride),
      stride,
      roots: Int32Array.from(this.roots, leaf),
      nInternal,
    };
  }
}

/**
 * Hash of `words` int32 from `bits[at]`.
 * @param {Int32Array} bits
 * @param {number} at
 * @param {number} words
 */
function hash(bits, at, words) {
  let h = 0;
  for (let k = 0; k < words; k++) h = Math.imul(h ^ bits[at + k], 0x9e3779b1);
  return h ^ (h >>> 16);
}

/**
 * Read, check and compile trees one by one (each through the same scratch memory, so that
 * loading allocates little more than the result). The ensemble keeps `docs` to read a tree
 * again when asked for it ({@link treeSet}), rather than keep every tree's columns.
 * @param {{tree: unknown, pointer: string}[]} docs
 * @param {number} nFeatures
 * @param {number} nOutputs
 * @param {number[] | null} classCounts number of classes per output (classifiers), or null
 * @returns {Ensemble}
 */
export function readEnsemble(docs, nFeatures, nOutputs, classCounts) {
  const nodes = docs.reduce((a, d) => a + nodeCount(d.tree), 0);
  const scratch = new Scratch();
  const read = (/** @type {number} */ i, /** @type {Scratch} */ memory) => readTree(docs[i].tree, docs[i].pointer, nFeatures, nOutputs, classCounts, memory);
  /** @type {EnsembleBuilder | undefined} */
  let builder;
  let written = 0;
  for (let i = 0; i < docs.length; i++) {
    const tree = read(i, scratch);
    // Made once the first tree's values have the shape n_outputs and the classes say: no
    // memory is sized by a count that the document's data does not hold.
    builder ??= new EnsembleBuilder(nOutputs * widest(classCounts), Math.ceil((nodes - docs.length) / 2)); // binary trees
    builder.add(tree);
    written += tree.left.length;
  }
  /** @param {number} i */
  const nodesOf = (i) => {
    const tree = read(i, new Scratch());
    const p = at(docs[i].pointer, "n_node_samples");
    const samples = own(/** @type {Record<string, unknown>} */ (docs[i].tree), "n_node_samples");
    return { ...tree, samples: samples === undefined ? null : /** @type {Int32Array} */ (checkShape(ndarray(samples, p, "i32"), [tree.left.length], p).data) };
  };
  return { .../** @type {EnsembleBuilder} */ (builder).finish(), nodeCount: written, nodesOf };
}

/**
 * Number of nodes of a tree document, as far as its size tells without reading it (0 if it
 * cannot tell): only for sizing memory.
 * @param {unknown} t
 */
function nodeCount(t) {
  const c = isObject(t) ? own(t, "children_left") : undefined;
  if (Array.isArray(c)) return c.length;
  const text = isObject(c) ? own(c, "base64") : undefined;
  return typeof text === "string" ? Math.floor((text.length * 3) / 16) : 0; // 4 bytes per node
}

/**
 * Scratch memory reused by every call on fewer than four rows (where allocating typed arrays
 * would cost more than the walks): nothing runs between filling and reading it, so sharing is
 * safe. Batches allocate their own.
 */
const SMALL = { keys: new Int32Array(0), leaves: new Int32Array(0) };
const LANES = new Int32Array(4);

/**
 * The rows of `X` as order keys, in groups of four rows: feature `f` of the row in lane `k`
 * of group `g` is at `keys[g * 4 * m + 4 * f + k]`, so the four walks of {@link walk4} read
 * their rows at fixed distances. Batches (n >= 4): rows `4g` to `4g + 3` (the last group
 * padded); fewer rows: each group holds one row in all four lanes, to walk four trees at once.
 * @param {import("./rows.js").Input} X
 */
function groupedKeys(X) {
  const { data, n, m } = X;
  const spread = n < 4;
  const size = (spread ? n : Math.ceil(n / 4)) * 4 * m;
  if (spread && SMALL.keys.length < size) SMALL.keys = new Int32Array(size);
  const keys = spread ? SMALL.keys : new Int32Array(size);
  for (let i = 0, at = 0; i < n; i++) {
    const base = spread ? i * 4 * m : (i >> 2) * 4 * m + (i & 3);
    for (let f = 0; f < m; f++, at++) {
      const key = orderKey(data[at]);
      const to = base + 4 * f;
      keys[to] = key;
      if (spread) keys[to + 1] = keys[to + 2] = keys[to + 3] = key;
    }
  }
  return keys;
}

/**
 * The leaf number reached from `node` by the row at `keys[base + 4 * f]`, one node at a time
 * ({@link goesLeft}). For rows with missing values; {@link walk4} does the others.
 * @param {Ensemble} e
 * @param {Int32Array} keys
 * @param {number} node
 * @param {number} base
 */
function leafOf(e, keys, node, base) {
  while (node < e.nInternal) node = e.nodes[4 * node + (goesLeft(e, keys, node, base) ? 1 : 2)];
  return node - e.nInternal;
}

/**
 * Whether the row at `keys[base + 4 * f]` goes left at internal node `node`: when
 * `x <= threshold`, or by `missing_go_to_left` for a missing value (NaN). The rule of
 * {@link leafOf} and {@link treeSet}'s paths; {@link walk4} is the same without missing values.
 * @param {Ensemble} e
 * @param {Int32Array} keys
 * @param {number} node
 * @param {number} base
 */
function goesLeft(e, keys, node, base) {
  const o = 4 * node;
  const x = keys[base + e.nodes[o]];
  return x > INF_KEY || x < -INF_KEY ? e.missingLeft[node] === 1 : x <= e.nodes[o + 3];
}

/**
 * Walk the four lanes of group `g` of `keys` at once, from the start nodes in `lanes`, for
 * rows without missing values; on return `lanes[k]` is lane `k`'s leaf number.
 *
 * The hot loop of every tree model. Each step picks the child by indexing, not by a branch
 * (`nodes[o + 2 - (x <= t)]`: +1 left, +2 right), so there is nothing to mispredict; four
 * independent walks interleaved let the processor overlap their memory loads; and lanes at
 * fixed distances in `keys` leave registers for them. A walk at its leaf keeps stepping onto
 * itself until all four are at theirs.
 * @param {Ensemble} e
 * @param {Int32Array} keys
 * @param {number} g offset of the group in `keys`
 * @param {Int32Array} lanes
 */
function walk4(e, keys, g, lanes) {
  const { nodes, nInternal: ni } = e;
  let a = lanes[0];
  let b = lanes[1];
  let c = lanes[2];
  let d = lanes[3];
  const g1 = g + 1;
  const g2 = g + 2;
  const g3 = g + 3;
  // `(x <= t) | 0` is 1 or 0 (TypeScript wants numbers for `|`, hence the casts); the other
  // `| 0` keep index arithmetic in int32, without overflow checks.
  while ((/** @type {any} */ (a < ni) | /** @type {any} */ (b < ni) | /** @type {any} */ (c < ni) | /** @type {any} */ (d < ni)) !== 0) {
    let o = a << 2;
    a = nodes[(o + 2 - (/** @type {any} */ (keys[((g + nodes[o]) | 0)] <= nodes[(o + 3) | 0]) | 0)) | 0];
    o = b << 2;
    b = nodes[(o + 2 - (/** @type {any} */ (keys[((g1 + nodes[o]) | 0)] <= nodes[(o + 3) | 0]) | 0)) | 0];
    o = c << 2;
    c = nodes[(o + 2 - (/** @type {any} */ (keys[((g2 + nodes[o]) | 0)] <= nodes[(o + 3) | 0]) | 0)) | 0];
    o = d << 2;
    d = nodes[(o + 2 - (/** @type {any} */ (keys[((g3 + nodes[o]) | 0)] <= nodes[(o + 3) | 0]) | 0)) | 0];
  }
  lanes[0] = a - ni;
  lanes[1] = b - ni;
  lanes[2] = c - ni;
  lanes[3] = d - ni;
}

/**
 * Run the four walks of group `g` of `keys` from the start nodes in `lanes`, leaving their
 * leaf numbers there: {@link walk4}, or {@link leafOf} lane by lane when the row of one of
 * the first `count` lanes (row `r0 + k * dr` in lane `k`) has a missing value.
 * @param {Ensemble} e
 * @param {Int32Array} keys
 * @param {number} g
 * @param {Int32Array} lanes
 * @param {Uint8Array | null} missing
 * @param {number} r0
 * @param {number} dr
 * @param {number} count
 */
function runLanes(e, keys, g, lanes, missing, r0, dr, count) {
  if (missing !== null) {
    for (let k = 0; k < count; k++) {
      if (missing[r0 + k * dr] === 1) {
        for (let j = 0; j < count; j++) lanes[j] = leafOf(e, keys, lanes[j], g + j);
        return;
      }
    }
  }
  walk4(e, keys, g, lanes);
}

/**
 * `out[dst + c] += scale * values[leaf * stride + c]` for each of the leaf's values.
 * @param {Float64Array} values
 * @param {number} stride
 * @param {number} leaf
 * @param {Float64Array} out
 * @param {number} dst
 * @param {number} scale
 */
function addValues(values, stride, leaf, out, dst, scale) {
  const src = leaf * stride;
  for (let c = 0; c < stride; c++) out[dst + c] += scale * values[src + c];
}

/**
 * Add each tree's leaf values to `out`, for every row tree by tree in estimator order (the
 * order in which scikit-learn adds them): tree `t` adds `scale * value[j]` to
 * `out[i * K * stride + (t % K) * stride + j]` for row `i`. Forests: K = 1, scale = 1 (exact:
 * `1 * v === v`); boosting: K trees per stage, scale = learning rate.
 *
 * A batch is walked tree by tree, four rows at a time, so each tree stays in cache while all
 * rows go through it; fewer than four rows walk four trees at a time.
 * @param {Ensemble} e
 * @param {import("./rows.js").Input} X
 * @param {Float64Array} out
 * @param {number} K
 * @param {number} scale
 */
export function addLeafValues(e, X, out, K, scale) {
  const { values, stride, roots } = e;
  const T = roots.length;
  const { n, m, missing } = X;
  const width = K * stride;
  const keys = groupedKeys(X);
  const lanes = LANES;
  if (n >= 4) {
    const leaves = new Int32Array(n + 3);
    for (let t = 0; t < T; t++) {
      const root = roots[t];
      for (let i = 0; i < n; i += 4) {
        lanes[0] = lanes[1] = lanes[2] = lanes[3] = root;
        runLanes(e, keys, i * m, lanes, missing, i, 1, Math.min(4, n - i)); // group i / 4
        leaves[i] = lanes[0];
        leaves[i + 1] = lanes[1];
        leaves[i + 2] = lanes[2];
        leaves[i + 3] = lanes[3];
      }
      const col = (t % K) * stride;
      // (One value per leaf, as for regressors and boosting: the same without a loop.)
      if (stride === 1) for (let i = 0; i < n; i++) out[i * K + col] += scale * values[leaves[i]];
      else for (let i = 0; i < n; i++) addValues(values, stride, leaves[i], out, i * width + col, scale);
    }
  } else {
    if (SMALL.leaves.length < T + 3) SMALL.leaves = new Int32Array(T + 3);
    const leaves = SMALL.leaves;
    for (let i = 0; i < n; i++) {
      for (let t = 0; t < T; t += 4) {
        for (let k = 0; k < 4; k++) lanes[k] = roots[Math.min(t + k, T - 1)];
        runLanes(e, keys, i * 4 * m, lanes, missing, i, 0, 4);
        leaves.set(lanes, t);
      }
      for (let t = 0; t < T; t++) addValues(values, stride, leaves[t], out, i * width + (t % K) * stride, scale);
    }
  }
}

/**
 * Class labels per output: `state.classes` is one list of labels for one output, a list of
 * such lists for several.
 * @param {Record<string, unknown>} state
 * @param {number} nOutputs
 * @returns {import("./text.js").Label[][]}
 */
export function classesPerOutput(state, nOutputs) {
  const v = need(state, "/state", "classes");
  if (nOutputs === 1) return [labels(v, "/state/classes")];
  if (!Array.isArray(v) || v.length !== nOutputs) expected("/state/classes", `an array of ${nOutputs} label lists (one per output)`, v);
  return v.map((c, k) => labels(c, at("/state/classes", k)));
}

/**
 * Build the prediction parts of a tree (`average` false, one tree) or a forest (`average`
 * true): scikit-learn adds each tree's leaf values in estimator order into a float64 array of
 * zeros and then divides by the number of trees; a single tree returns its leaf values as is.
 *
 * @param {Record<string, unknown>} state
 * @param {import("./family.js").Context} ctx
 * @param {boolean} classifier
 * @param {{tree: unknown, pointer: string}[]} treeDocs
 * @param {boolean} average
 * @returns {import("./family.js").Parts}
 */
export function treeEnsemble(state, ctx, classifier, treeDocs, average) {
  const nOutputs = integer(need(state, "/state", "n_outputs"), "/state/n_outputs", 1);
  const classes = classifier ? classesPerOutput(state, nOutputs) : null;
  const widths = classes && classes.map((c) => c.length);
  const ensemble = readEnsemble(treeDocs, ctx.nFeatures, nOutputs, widths);
  // Per row, output k's values (one per class) start at k * width (as in a leaf's value row; the
  // padding past an output's classes stays 0).
  const { stride } = ensemble;
  const width = stride / nOutputs;

  /** @param {import("./rows.js").Input} X */
  const raw = (X) => {
    // A single tree starts from -0, which adds to any v as v itself (-0 included).
    const acc = new Float64Array(X.n * stride).fill(average ? 0 : -0);
    addLeafValues(ensemble, X, acc, 1, 1);
    if (average) for (let j = 0; j < acc.length; j++) acc[j] /= treeDocs.length;
    return acc;
  };

  const common = { nOutputs, float32: true, allowMissing: true, trees: treeSet(ensemble, 1) };
  if (!classes) {
    return {
      ...common,
      classes: null,
      predict: (X) => (nOutputs === 1 ? Array.from(raw(X)) : rowsOf(raw(X), X.n, nOutputs)),
    };
  }
  return {
    ...common,
    classes: nOutputs === 1 ? classes[0] : classes,
    predict(X) {
      const acc = raw(X);
      const out = new Array(X.n);
      for (let i = 0; i < X.n; i++) {
        const row = classes.map((c, k) => c[argmax(acc, i * stride + k * width, c.length)]);
        out[i] = nOutputs === 1 ? row[0] : row;
      }
      return out;
    },
    predictProba(X) {
      const acc = raw(X);
      const per = classes.map((c, k) => rowsOf(acc, X.n, c.length, stride, k * width));
      return nOutputs === 1 ? per[0] : per;
    },
  };
}

/**
 * @typedef {object} TreeSet
 * The trees of a model as the document holds them, for drawing them and showing the path a
 * row takes: what the public `model.trees` gives (see index.d.ts).
 * @property {number} count number of trees
 * @property {number} perIteration trees per boosting iteration (one per class, or 1); 1 otherwise
 * @property {number} nodeCount nodes of all trees
 * @property {(index?: number) => Readonly<TreeNodes>} tree tree `index` (default 0)
 * @property {(X: import("./rows.js").Input, index?: number) => number[]} decisionPath node
 *   indices from the root to the leaf that the first row of `X` reaches in tree `index`
 */

/**
 * The trees of `e` as the document holds them. A tree is read again when asked for, and kept
 * until another is (a page asks for a tree, then for paths in it); a path is the compiled
 * walk's own ({@link goesLeft}, the rule prediction follows), step by step in the document's
 * node numbers, so that it ends at the leaf whose values the prediction used.
 * @param {Ensemble} e
 * @param {number} perIteration
 * @returns {TreeSet}
 */
export function treeSet(e, perIteration) {
  const count = e.roots.length;
  /** @type {{ index: number, nodes: Readonly<TreeNodes> } | undefined} */
  let last;
  const tree = (index = 0) => {
    if (!(Number.isInteger(index) && index >= 0 && index < count)) throw new RangeError(`tree ${index}: expected an index in [0, ${count - 1}]`);
    if (last?.index !== index) last = { index, nodes: Object.freeze(e.nodesOf(index)) };
    return last.nodes;
  };
  return {
    count,
    perIteration,
    nodeCount: e.nodeCount,
    tree,
    decisionPath(X, index = 0) {
      const { left, right } = tree(index);
      const keys = groupedKeys(X); // (one row: at keys[4 * f])
      const path = [0];
      for (let node = e.roots[index], i = 0; node < e.nInternal; ) {
        const toLeft = goesLeft(e, keys, node, 0);
        node = e.nodes[4 * node + (toLeft ? 1 : 2)];
        path.push((i = toLeft ? left[i] : right[i]));
      }
      return path;
    },
  };
}

/**
 * The trees of a boosted model in order, `K` per iteration: `state[key]`, a non-empty array
 * of `state[countKey]` iterations (gradient boosting's stages), each an array of `K` trees,
 * as `read(tree, pointer)` reads them.
 * @template T
 * @param {Record<string, unknown>} state
 * @param {string} key
 * @param {string} countKey
 * @param {number} K
 * @param {string} what "stages" or "iterations", for messages
 * @param {(tree: unknown, pointer: string) => T} read
 * @returns {T[]}
 */
export function iterations(state, key, countKey, K, what, read) {
  const p = at("/state", key);
  const list = need(state, "/state", key);
  if (!Array.isArray(list) || list.length < 1) expected(p, `a non-empty array of ${what}`, list);
  const count = need(state, "/state", countKey);
  if (count !== list.length) expected(at("/state", countKey), `${list.length} (the number of ${what})`, count);
  return list.flatMap((trees, i) => {
    if (!Array.isArray(trees) || trees.length !== K) expected(at(p, i), `an array of ${K} trees`, trees);
    return trees.map((t, k) => read(t, at(at(p, i), k)));
  });
}

/**
 * `predict` and `predictProba` of a boosted classifier from its raw scores (`raw(X)`: n rows
 * of K): two classes from one score, the second when it is above 0 (or at 0, `zeroIsSecond`)
 * and with probabilities `[1 - expit(scale * v), expit(scale * v)]`; more by argmax and
 * softmax, as scikit-learn computes them.
 * @param {import("./text.js").Label[]} classes
 * @param {number} K
 * @param {(X: import("./rows.js").Input) => Float64Array} raw
 * @param {boolean} zeroIsSecond
 * @param {number} [scale]
 */
export function boostedClassifier(classes, K, raw, zeroIsSecond, scale = 1) {
  return {
    /** @param {import("./rows.js").Input} X */
    predict(X) {
      const r = raw(X);
      return Array.from({ length: X.n }, (_, i) => classes[K === 1 ? +(r[i] > 0 || (zeroIsSecond && r[i] === 0)) : argmax(r, i * K, K)]);
    },
    /** @param {import("./rows.js").Input} X */
    predictProba(X) {
      const r = raw(X);
      if (K === 1) return Array.from(r, (v) => { const p = expit(scale * v); return [1 - p, p]; });
      for (let i = 0; i < X.n; i++) softmaxInPlace(r, i * K, K);
      return rowsOf(r, X.n, K);
    },
  };
}

