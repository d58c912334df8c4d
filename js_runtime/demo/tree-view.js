// @ts-check
/**
 * Trees of a json-models document, for drawing: reading the node columns (plain lists or
 * base64 binary arrays), the decision path of one row, and an SVG drawing of the first levels
 * with the path highlighted.
 *
 * The document has already been validated by `loadModel` when these run, so they only decode.
 * The path uses the runtime's routing rule: a missing value (null or NaN) follows
 * `missing_go_to_left`, any other value goes left when `Math.fround(x) <= threshold`
 * (scikit-learn compares `np.float32(x) <= threshold`).
 * @module
 */

/**
 * @typedef {object} TreeColumns one tree's node columns, decoded
 * @property {Int32Array} left children_left, -1 at a leaf
 * @property {Int32Array} right children_right
 * @property {Int32Array} feature
 * @property {Float64Array} threshold
 * @property {Uint8Array} missingLeft
 * @property {Float64Array} value (nodeCount, nOutputs, width) in C order
 * @property {number} nOutputs
 * @property {number} width last dimension of value
 * @property {Float64Array | null} samples n_node_samples, when the document has them
 * @property {Int32Array} depth depth of each node (root 0)
 * @property {number} maxDepth
 * @property {number} leaves number of leaves
 */

/**
 * @typedef {object} TreeSet the trees of one document
 * @property {"tree" | "forest" | "boosting"} kind
 * @property {number} count number of trees
 * @property {number} stages boosting stages (1 otherwise)
 * @property {number} perStage trees per boosting stage (1 otherwise)
 * @property {(i: number) => TreeColumns} tree the i-th tree (stage-major for boosting), decoded once
 * @property {number} nodes total node count
 */

/** Where a document writes a non-finite float, it writes one of these strings. */
const NON_FINITE = /** @type {Record<string, number>} */ ({ Infinity: Infinity, "-Infinity": -Infinity, NaN: NaN });

/**
 * A numeric array field as a flat list of numbers, with its shape.
 * @param {unknown} v a (nested) JSON array, or a binary array `{dtype, shape, base64}`
 * @returns {{data: ArrayLike<number>, shape: number[]}}
 */
function decode(v) {
  if (Array.isArray(v)) {
    const shape = [];
    for (let a = /** @type {unknown} */ (v); Array.isArray(a); a = a[0]) shape.push(a.length);
    const data = /** @type {unknown[]} */ (v.flat(shape.length)).map((x) => (typeof x === "string" ? NON_FINITE[x] : Number(x)));
    return { data, shape };
  }
  const bin = /** @type {{dtype: string, shape: number[], base64: string}} */ (v);
  const raw = atob(bin.base64);
  const view = new DataView(new ArrayBuffer(raw.length));
  for (let i = 0; i < raw.length; i++) view.setUint8(i, raw.charCodeAt(i));
  const size = { float64: 8, int32: 4, uint8: 1 }[bin.dtype] ?? 1;
  const data = new Float64Array(raw.length / size);
  for (let i = 0; i < data.length; i++) {
    data[i] = size === 8 ? view.getFloat64(i * 8, true) : size === 4 ? view.getInt32(i * 4, true) : view.getUint8(i);
  }
  return { data, shape: bin.shape };
}

/**
 * Decode one tree object (`state.tree`, or the `tree` of an ensemble member).
 * @param {Record<string, unknown>} t
 * @returns {TreeColumns}
 */
export function readTree(t) {
  const left = Int32Array.from(decode(t.children_left).data);
  const n = left.length;
  const right = Int32Array.from(decode(t.children_right).data);
  const value = decode(t.value);
  const depth = new Int32Array(n);
  let maxDepth = 0;
  let leaves = 0;
  // Children always have a larger index than their parent, so one forward pass sets depths.
  for (let i = 0; i < n; i++) {
    if (left[i] === -1) {
      leaves++;
      continue;
    }
    depth[left[i]] = depth[right[i]] = depth[i] + 1;
    maxDepth = Math.max(maxDepth, depth[i] + 1);
  }
  return {
    left,
    right,
    feature: Int32Array.from(decode(t.feature).data),
    threshold: Float64Array.from(decode(t.threshold).data),
    missingLeft: Uint8Array.from(decode(t.missing_go_to_left).data),
    value: Float64Array.from(value.data),
    nOutputs: value.shape[1] ?? 1,
    width: value.shape[2] ?? 1,
    samples: t.n_node_samples === undefined ? null : Float64Array.from(decode(t.n_node_samples).data),
    depth,
    maxDepth,
    leaves,
  };
}

/**
 * The trees of a validated document, or null for a family without trees.
 * @param {any} doc
 * @returns {TreeSet | null}
 */
export function treesOf(doc) {
  const state = doc.state;
  /** @type {Record<string, unknown>[]} */
  let objects;
  /** @type {TreeSet["kind"]} */
  let kind;
  let stages = 1;
  let perStage = 1;
  if (state.tree) {
    kind = "tree";
    objects = [state.tree];
  } else if (Array.isArray(state.estimators) && Array.isArray(state.estimators[0])) {
    kind = "boosting";
    stages = state.estimators.length;
    perStage = state.estimators[0].length;
    objects = state.estimators.flat().map((/** @type {any} */ e) => e.tree);
  } else if (Array.isArray(state.estimators)) {
    kind = "forest";
    objects = state.estimators.map((/** @type {any} */ e) => e.tree);
  } else {
    return null;
  }
  /** @type {Map<number, TreeColumns>} */
  const cache = new Map();
  const tree = (/** @type {number} */ i) => {
    let t = cache.get(i);
    if (!t) cache.set(i, (t = readTree(objects[i])));
    return t;
  };
  let nodes = 0;
  for (const o of objects) {
    const c = /** @type {any} */ (o).children_left;
    nodes += Array.isArray(c) ? c.length : c.shape[0];
  }
  return { kind, count: objects.length, stages, perStage, tree, nodes };
}

/**
 * Node indices from the root to the leaf that `row` reaches (scikit-learn's `decision_path`).
 * @param {TreeColumns} tree
 * @param {ArrayLike<number | null>} row
 * @returns {number[]}
 */
export function decisionPath(tree, row) {
  const { left, right, feature, threshold, missingLeft } = tree;
  const path = [0];
  let node = 0;
  while (left[node] !== -1) {
    const x = row[feature[node]];
    const missing = x === null || Number.isNaN(x);
    const goLeft = missing ? missingLeft[node] === 1 : Math.fround(/** @type {number} */ (x)) <= threshold[node];
    node = goLeft ? left[node] : right[node];
    path.push(node);
  }
  return path;
}

/**
 * @typedef {object} NodeText what a node box says
 * @property {string} text short summary (value or majority class)
 * @property {string} [title] full-precision version, for the tooltip
 * @property {number} [colorIndex] class index for the colour stripe
 */

/**
 * @typedef {object} DrawOptions
 * @property {number[]} path decision path of the current row (may be empty)
 * @property {number} levels depth shown by default
 * @property {Map<number, boolean>} toggled nodes opened (true) or closed (false) by the user
 * @property {(f: number) => string} featureName
 * @property {(tree: TreeColumns, node: number) => NodeText} summary
 * @property {(node: number) => void} onToggle
 */

const SVG = "http://www.w3.org/2000/svg";
const BOX_W = 164;
const BOX_H = 58;
const GAP_X = 14;
const GAP_Y = 44;
const PAD = 16;

/**
 * A short, readable number: up to 4 significant digits (the exact value goes in tooltips).
 * @param {number} v
 */
export function short(v) {
  if (!Number.isFinite(v)) return Number.isNaN(v) ? "NaN" : v > 0 ? "∞" : "−∞";
  if (Number.isInteger(v) && Math.abs(v) < 1e6) return String(v);
  const a = Math.abs(v);
  if (a !== 0 && (a < 1e-3 || a >= 1e6)) return v.toExponential(2);
  return String(Number(v.toPrecision(4)));
}

/**
 * Clip `s` to `max` characters with an ellipsis.
 * @param {string} s
 * @param {number} max
 */
function clip(s, max) {
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

/**
 * The split's rule in at most `max` characters: `name ≤ threshold`, without a trailing
 * parenthesised unit ("petal length (cm)" -> "petal length"), the name clipped to fit.
 * @param {string} name
 * @param {string} threshold
 * @param {number} max
 */
function rule(name, threshold, max) {
  const bare = name.replace(/\s*\([^)]*\)$/, "") || name;
  return `${clip(bare, Math.max(max - threshold.length - 3, 4))} ≤ ${threshold}`;
}

/**
 * Create an SVG element with attributes.
 * @param {string} tag
 * @param {Record<string, string | number>} [attrs]
 * @param {string} [text]
 * @returns {SVGElement}
 */
function el(tag, attrs = {}, text) {
  const e = /** @type {SVGElement} */ (document.createElementNS(SVG, tag));
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  if (text !== undefined) e.textContent = text;
  return e;
}

/**
 * Draw `tree` into `svg`: the first `levels` levels, the nodes of the decision path and their
 * siblings, and whatever the user opened; a closed node shows a "+" to open it.
 * Sets `data-path` (comma-separated node indices) and `data-leaf` on the svg.
 * @param {SVGSVGElement} svg
 * @param {TreeColumns} tree
 * @param {DrawOptions} opt
 * @returns {{shown: number, hidden: number}} nodes drawn, and nodes hidden below closed ones
 */
export function drawTree(svg, tree, opt) {
  const { left, right, depth } = tree;
  const onPath = new Set(opt.path);
  const isOpen = (/** @type {number} */ n) =>
    left[n] !== -1 && (opt.toggled.get(n) ?? (depth[n] < opt.levels || onPath.has(n)));

  // Post-order walk with an explicit stack (trees can be deep): every drawn node that is not
  // open takes the next horizontal slot; an open node sits midway between its two children.
  /** @type {Map<number, number>} */
  const slotOf = new Map();
  let slots = 0;
  let bottom = 0;
  /** @type {[number, boolean][]} */
  const stack = [[0, false]];
  while (stack.length) {
    const [n, childrenDone] = /** @type {[number, boolean]} */ (stack.pop());
    bottom = Math.max(bottom, depth[n]);
    if (!isOpen(n)) {
      slotOf.set(n, slots++);
    } else if (childrenDone) {
      slotOf.set(n, (/** @type {number} */ (slotOf.get(left[n])) + /** @type {number} */ (slotOf.get(right[n]))) / 2);
    } else {
      stack.push([n, true], [right[n], false], [left[n], false]);
    }
  }

  const width = slots * (BOX_W + GAP_X) - GAP_X + 2 * PAD;
  const height = (bottom + 1) * (BOX_H + GAP_Y) - GAP_Y + 2 * PAD + 10;
  svg.replaceChildren();
  svg.setAttribute("width", String(width));
  svg.setAttribute("height", String(height));
  svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
  svg.dataset.path = opt.path.join(",");
  svg.dataset.leaf = opt.path.length ? String(opt.path[opt.path.length - 1]) : "";

  const xOf = (/** @type {number} */ n) => PAD + /** @type {number} */ (slotOf.get(n)) * (BOX_W + GAP_X);
  const yOf = (/** @type {number} */ n) => PAD + depth[n] * (BOX_H + GAP_Y);

  const edges = el("g", { class: "edges" });
  const nodes = el("g", { class: "nodes" });
  svg.append(edges, nodes);
  let hidden = 0;
  for (const n of [...slotOf.keys()].sort((a, b) => a - b)) {
    if (isOpen(n)) {
      for (const [child, isLeft] of /** @type {[number, boolean][]} */ ([[left[n], true], [right[n], false]])) {
        const x1 = xOf(n) + BOX_W / 2;
        const y1 = yOf(n) + BOX_H;
        const x2 = xOf(child) + BOX_W / 2;
        const y2 = yOf(child);
        const mid = (y1 + y2) / 2;
        const hot = onPath.has(n) && onPath.has(child);
        edges.append(el("path", { d: `M${x1},${y1} C${x1},${mid} ${x2},${mid} ${x2},${y2}`, class: hot ? "edge on-path" : "edge" }));
        const missing = (tree.missingLeft[n] === 1) === isLeft;
        const label = `${isLeft ? "yes" : "no"}${missing ? ", missing" : ""}`;
        edges.append(el("text", { x: (x1 + x2) / 2 + (isLeft ? -4 : 4), y: mid - 3, class: "edge-label", "text-anchor": isLeft ? "end" : "start" }, label));
      }
    } else if (left[n] !== -1) {
      hidden += countBelow(tree, n);
    }
    nodes.append(drawNode(tree, n, xOf(n), yOf(n), onPath, isOpen(n), opt));
  }
  return { shown: slotOf.size, hidden };
}

/**
 * Number of nodes strictly below `n`.
 * @param {TreeColumns} tree
 * @param {number} n
 */
function countBelow(tree, n) {
  let count = 0;
  const stack = [tree.left[n], tree.right[n]];
  while (stack.length) {
    const m = /** @type {number} */ (stack.pop());
    count++;
    if (tree.left[m] !== -1) stack.push(tree.left[m], tree.right[m]);
  }
  return count;
}

/**
 * One node's box.
 * @param {TreeColumns} tree
 * @param {number} n
 * @param {number} x
 * @param {number} y
 * @param {Set<number>} onPath
 * @param {boolean} open
 * @param {DrawOptions} opt
 */
function drawNode(tree, n, x, y, onPath, open, opt) {
  const leaf = tree.left[n] === -1;
  const reached = leaf && onPath.has(n);
  const cls = ["node", leaf ? "leaf" : "split", onPath.has(n) ? "on-path" : "", reached ? "reached" : ""].filter(Boolean).join(" ");
  const g = el("g", { class: cls, transform: `translate(${x},${y})`, "data-node": n, "data-x": x + BOX_W / 2 });
  const info = opt.summary(tree, n);
  const samples = tree.samples ? `${tree.samples[n]} samples` : "";
  g.append(el("rect", { width: BOX_W, height: BOX_H, rx: 7, class: "box" }));
  if (info.colorIndex !== undefined) {
    g.append(el("rect", { width: 5, height: BOX_H - 12, x: 0, y: 6, rx: 2, class: `stripe c${info.colorIndex % 10}` }));
  }
  /** @type {string[]} */
  let lines;
  let title;
  if (leaf) {
    lines = [`leaf #${n}`, info.text, samples];
    title = `node ${n} (leaf)\n${info.title ?? info.text}${samples ? `\n${samples}` : ""}`;
  } else {
    const f = tree.feature[n];
    const t = tree.threshold[n];
    lines = [rule(opt.featureName(f), short(t), 22), info.text, samples || `node #${n}`];
    title =
      `node ${n}: go left when float32(${opt.featureName(f)}) <= ${t}` +
      `\nmissing values go ${tree.missingLeft[n] ? "left" : "right"}\n${info.title ?? info.text}${samples ? `\n${samples}` : ""}`;
  }
  g.append(el("title", {}, title));
  lines.filter(Boolean).forEach((line, i) => {
    g.append(el("text", { x: BOX_W / 2 + 2, y: 18 + i * 15, "text-anchor": "middle", class: i === 0 ? "head" : "line" }, line));
  });
  if (!leaf) {
    g.classList.add("toggle");
    g.setAttribute("tabindex", "0");
    g.setAttribute("role", "button");
    g.setAttribute("aria-expanded", String(open));
    const badge = el("g", { class: "badge", transform: `translate(${BOX_W / 2},${BOX_H})` });
    badge.append(el("circle", { r: 8 }), el("text", { y: 4, "text-anchor": "middle" }, open ? "−" : "+"));
    g.append(badge);
    const toggle = () => opt.onToggle(n);
    g.addEventListener("click", toggle);
    g.addEventListener("keydown", (e) => {
      const key = /** @type {KeyboardEvent} */ (e).key;
      if (key === "Enter" || key === " ") {
        e.preventDefault();
        toggle();
      }
    });
  }
  return g;
}
