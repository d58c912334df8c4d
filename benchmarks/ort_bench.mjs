// onnxruntime-node figures for `python -m benchmarks`, in the shape of node_bench.mjs: session
// load time, batch throughput and single-row latency on the same rows (float32, as ONNX's tree
// operators take them). onnxruntime-node is optional and never a dependency:
//   cd js_runtime && ONNXRUNTIME_NODE_INSTALL=skip npm install --no-save onnxruntime-node
// usage: node benchmarks/ort_bench.mjs MODEL.onnx X.json REPEAT
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(new URL("../js_runtime/package.json", import.meta.url));
const ort = require("onnxruntime-node");

const [modelPath, rowsPath, repeatText] = process.argv.slice(2);
const repeat = Number(repeatText ?? 5);
const rows = JSON.parse(readFileSync(rowsPath, "utf8"));
const n = rows.length, m = rows[0].length;

/** Median wall time of `k` awaited calls of `f`, in milliseconds. */
async function median(k, f) {
  const times = [];
  for (let i = 0; i < k; i++) {
    const start = performance.now();
    await f();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return times[k >> 1];
}

let session;
const loadMs = await median(repeat, async () => { session = await ort.InferenceSession.create(modelPath); });
const output = session.outputNames.includes("probabilities") ? "probabilities" : session.outputNames[0];
const X = new Float32Array(n * m);
rows.forEach((row, i) => X.set(row, i * m));
const batch = { [session.inputNames[0]]: new ort.Tensor("float32", X, [n, m]) };
await session.run(batch, [output]); // warm up
const batchMs = await median(repeat, () => session.run(batch, [output]));
const singles = Math.min(n, 2000);
const one = Array.from({ length: singles }, (_, i) => ({
  [session.inputNames[0]]: new ort.Tensor("float32", X.subarray(i * m, (i + 1) * m), [1, m]),
}));
const singleMs = await median(repeat, async () => {
  for (let i = 0; i < singles; i++) await session.run(one[i], [output]);
});
console.log(JSON.stringify({
  load_ms: loadMs,
  batch_rows_per_s: n / (batchMs / 1000),
  single_row_us: (singleMs * 1000) / singles,
  rows: n,
}));
