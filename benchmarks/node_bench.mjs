// Node figures for `python -m benchmarks`: load against JSON.parse of the same text, batch
// throughput and single-row latency of the json-models runtime.
// usage: node benchmarks/node_bench.mjs MODEL.json X.json REPEAT
// prints one JSON object: {"parse_ms", "load_ms", "batch_rows_per_s", "single_row_us", "rows"}
import { readFileSync } from "node:fs";
import { loadModel } from "../js_runtime/src/index.js";

const [modelPath, rowsPath, repeatText] = process.argv.slice(2);
const repeat = Number(repeatText ?? 5);
const text = readFileSync(modelPath, "utf8");
const rows = JSON.parse(readFileSync(rowsPath, "utf8"));

/** Median of `n` timings of `f`, in milliseconds. */
function median(n, f) {
  const times = [];
  for (let i = 0; i < n; i++) {
    const start = process.hrtime.bigint();
    f();
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

// One untimed round first, so the JIT has seen every path.
let model = loadModel(text);
const method = model.predictProba ? "predictProba" : "predict";
model[method](rows.slice(0, 100));

const parseMs = median(repeat, () => JSON.parse(text));
const loadMs = median(repeat, () => { model = loadModel(text); });
const batchMs = median(repeat, () => model[method](rows));
const singles = Math.min(rows.length, 2000);
const singleMs = median(repeat, () => {
  for (let i = 0; i < singles; i++) model[method]([rows[i]]);
});
console.log(JSON.stringify({
  parse_ms: parseMs,
  load_ms: loadMs,
  batch_rows_per_s: rows.length / (batchMs / 1000),
  single_row_us: (singleMs * 1000) / singles,
  rows: rows.length,
}));
