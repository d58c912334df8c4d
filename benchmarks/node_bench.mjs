// Node figures for `python -m benchmarks`: load against JSON.parse of the same text, batch
// throughput and single-row latency of the json-models runtime.
// usage: node --expose-gc benchmarks/node_bench.mjs MODEL.json X.json REPEAT
// prints one JSON object: {"parse_ms", "load_ms", "load_x_parse", "batch_rows_per_s",
// "single_row_us", "rows"}
import { readFileSync } from "node:fs";
import { loadModel } from "../js_runtime/src/index.js";

const [modelPath, rowsPath, repeatText] = process.argv.slice(2);
const repeat = Number(repeatText ?? 5);
const text = readFileSync(modelPath, "utf8");
const rows = JSON.parse(readFileSync(rowsPath, "utf8"));

// Collect garbage before each load timing (node --expose-gc), as the Python side does: the
// 150 MB that parsing a large document leaves must not be collected inside the next timing.
const collect = globalThis.gc ?? (() => {});

/** Wall time of one call of `f`, in milliseconds. */
function timed(f) {
  const start = process.hrtime.bigint();
  f();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/** @param {number[]} xs */
function median(xs) {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

// One untimed round first, so the JIT has seen every path.
let model = loadModel(text);
const method = model.predictProba ? "predictProba" : "predict";
model[method](rows.slice(0, 100));

// JSON.parse and loadModel in turn, round by round: a slow spell falls on both alike.
const parse = [], load = [];
for (let i = 0; i < repeat; i++) {
  collect();
  parse.push(timed(() => JSON.parse(text)));
  collect();
  load.push(timed(() => { model = loadModel(text); }));
}
const batchMs = median(Array.from({ length: repeat }, () => timed(() => model[method](rows))));
const singles = Math.min(rows.length, 2000);
const singleMs = median(Array.from({ length: repeat }, () => timed(() => {
  for (let i = 0; i < singles; i++) model[method]([rows[i]]);
})));
console.log(JSON.stringify({
  parse_ms: median(parse),
  load_ms: median(load),
  load_x_parse: median(load.map((t, i) => t / parse[i])),
  batch_rows_per_s: rows.length / (batchMs / 1000),
  single_row_us: (singleMs * 1000) / singles,
  rows: rows.length,
}));
