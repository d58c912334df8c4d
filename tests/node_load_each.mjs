// For tests/test_hostile_node.py: load each document of a JSON-lines file with the runtime,
// predict the given rows with every method it has, and print one JSON line per document:
// {"ok": true} or {"ok": false, "name": error.name, "message": first line of error.message}.
import { readFileSync } from "node:fs";
import { loadModel } from "../js_runtime/src/index.js";

for (const line of readFileSync(process.argv[2], "utf8").split("\n")) {
  if (!line) continue;
  const { doc, rows } = JSON.parse(line);
  let result;
  try {
    const model = loadModel(doc);
    // (a tree may declare 2**31 - 1 features and use four: rows that wide are not built)
    for (const method of model.nFeatures <= 1e5 ? ["predict", "predictProba", "decisionFunction"] : []) {
      if (typeof model[method] === "function") {
        model[method](rows.map((row) => row.slice(0, model.nFeatures).concat(
          Array(Math.max(0, model.nFeatures - row.length)).fill(0))));
      }
    }
    result = { ok: true };
  } catch (error) {
    const e = /** @type {Error} */ (error);
    result = { ok: false, name: e.name, message: String(e.message).split("\n")[0] };
  }
  console.log(JSON.stringify(result));
}
