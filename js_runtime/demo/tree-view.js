// @ts-check
/**
 * Drawing one tree of a loaded model: the first levels as SVG, with a row's decision path
 * highlighted. The runtime reads the trees (`model.trees.tree(i)`) and routes the row
 * (`model.trees.decisionPath(row, i)`); this module only lays out and draws.
 * @module
 */

/**
 * @typedef {object} Shape what drawing a tree needs beyond its nodes
 * @property {Int32Array} depth depth of each node (root 0)
 * @property {number} maxDepth
 * @property {number} leaves number of leaves
 */

/** @typedef {import("../src/index.js").Tree & Shape} ShapedTree a tree as the runtime reads it, and its shape */

/**
 * Shapes already worked out, by tree: the runtime gives the same tree until another is asked for.
 * @type {WeakMap<import("../src/index.js").Tree, ShapedTree>}
 */
const shapes = new WeakMap();

/**
 * `tree` with the depth of each node, its depth and its number of leaves.
 * @param {import("../src/index.js").Tree} tree
 * @returns {ShapedTree}
 */
export function withShape(tree) {
  const known = shapes.get(tree);
  if (known) return known;
  const { left, right } = tree;
  const n = left.length;
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
  const shaped = { ...tree, depth, maxDepth, leaves };
  shapes.set(tree, shaped);
  return shaped;
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
 * @property {boolean} [float64] thresholds compare `x` in float64 (HistGradientBoosting), not
 *   `float32(x)`
 * @property {(v: string | number) => string} [categoryText] how a category is written
 * @property {(tree: ShapedTree, node: number) => NodeText} summary
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
 * A categorical split's rule in at most `max` characters: `name ∈ {a, b, c}`, a long set
 * shortened to its first categories and "…(N)", N the set's size.
 * @param {string} name
 * @param {string[]} items
 * @param {number} max
 */
function setRule(name, items, max) {
  const bare = clip(name.replace(/\s*\([^)]*\)$/, "") || name, 10);
  let set = `{${items.join(", ")}}`;
  for (let k = items.length - 1; k > 0 && bare.length + set.length + 3 > max; k--) {
    set = `{${items.slice(0, k).map((c) => clip(c, 8)).join(", ")}, …(${items.length})}`;
  }
  if (bare.length + set.length + 3 > max) set = items.length > 1 ? `{${clip(items[0], 6)}, …(${items.length})}` : `{${clip(items[0], 8)}}`;
  return `${bare} ∈ ${set}`;
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
 * @param {ShapedTree} tree
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
        // (At a categorical split, a category the model has not seen goes the missing way.)
        const label = `${isLeft ? "yes" : "no"}${missing ? (tree.categories?.(n) ? ", missing, unseen" : ", missing") : ""}`;
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
 * @param {ShapedTree} tree
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
 * @param {ShapedTree} tree
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
    const name = opt.featureName(f);
    const cats = tree.categories?.(n);
    const items = cats?.map(opt.categoryText ?? String);
    if (items) {
      g.classList.add("categorical");
      g.dataset.categories = JSON.stringify(cats);
    }
    lines = [items ? setRule(name, items, 22) : rule(name, short(t), 22), info.text, samples || `node #${n}`];
    title =
      (items
        ? `node ${n}: go left when ${name} is one of {${items.join(", ")}}` +
          `\nmissing values and categories the model has not seen go ${tree.missingLeft[n] ? "left" : "right"}`
        : `node ${n}: go left when ${opt.float64 ? name : `float32(${name})`} <= ${t}\nmissing values go ${tree.missingLeft[n] ? "left" : "right"}`) +
      `\n${info.title ?? info.text}${samples ? `\n${samples}` : ""}`;
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
