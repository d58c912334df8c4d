// For tests/test_hostile_corpus.py: load each JSON file named on the command line with the
// runtime and predict three rows of zeros with every method the model has (not for names
// ending ":nopredict"); print one JSON line per file: {"ok": true} or
// {"ok": false, "name": error.name, "pointer": error.pointer, "message": ...}.
import { readFileSync } from "node:fs";
import { loadModel } from "../js_runtime/src/index.js";

for (const arg of process.argv.slice(2)) {
  const predict = !arg.endsWith(":nopredict");
  const path = arg.replace(/:nopredict$/, "");
  const start = performance.now();
  let result;
  try {
    const model = loadModel(readFileSync(path));
    if (predict) {
      const rows = [0, 1, 2].map(() => new Array(model.nFeatures).fill(0));
      for (const method of ["predict", "predictProba", "decisionFunction", "transform"]) {
        if (typeof model[method] === "function") model[method](rows);
      }
    }
    result = { ok: true };
  } catch (error) {
    const e = /** @type {Error & {pointer?: string}} */ (error);
    result = { ok: false, name: e.name, pointer: e.pointer ?? null, message: String(e.message).slice(0, 300) };
  }
  result.seconds = Math.round(performance.now() - start) / 1000;
  console.log(JSON.stringify(result));
}
