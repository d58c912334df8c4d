// Compare this runtime with scikit-learn's outputs on sample documents.
//
// usage: node scripts/check-samples.mjs DIR
// For each DIR/NAME.json with a DIR/NAME.expected.json ({"X", "predict", "predict_proba"?,
// "decision_function"?}), predicts X and checks SPEC's "Fidelity" rules: trees and forests
// bit-for-bit, boosting decision values bit-for-bit and probabilities within 4 ulp, linear
// models within 1e-12 (relative). Prints one line per document; exit status 1 on a mismatch.
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { loadModel } from "../src/index.js";

const dir = process.argv[2] ?? "/tmp/jm-samples";
const read = (p) => {
  let b = readFileSync(p);
  if (b[0] === 0x1f && b[1] === 0x8b) b = gunzipSync(b);
  return JSON.parse(b.toString("utf8"));
};
const flat = (v) => (Array.isArray(v) ? v.flat(Infinity) : [v]);
const ULP4 = 4 * 2 ** -52;

/** @returns {(a: number, b: number) => boolean} */
function rule(family, key) {
  const exact = (a, b) => Object.is(a, b) || a === b;
  if (key === "predict" && family !== "linear") return exact;
  if (family === "tree" || family === "forest") return exact;
  if (family === "boosting") return key === "predict_proba" ? (a, b) => Math.abs(a - b) <= ULP4 * Math.max(1, Math.abs(b)) : exact;
  if (family === "logistic" && key === "predict_proba") return (a, b) => Math.abs(a - b) <= 1e-12;
  return (a, b) => Math.abs(a - b) <= 1e-12 * (1 + Math.abs(b));
}
const familyOf = (est) =>
  /GradientBoosting/.test(est) ? "boosting" : /Forest|ExtraTrees/.test(est) ? "forest" : /tree\./.test(est) ? "tree"
    : /LogisticRegression/.test(est) ? "logistic" : "linear";

let bad = 0;
let files = readdirSync(dir).filter((f) => /\.json(\.gz)?$/.test(f) && !f.includes(".expected."));
for (const f of files.sort()) {
  const base = f.replace(/\.json(\.gz)?$/, "").replace(/\.(plain|list|base64|compact)$/, "");
  let expected;
  try {
    expected = read(join(dir, `${base}.expected.json`));
  } catch {
    continue;
  }
  let line;
  try {
    const doc = read(join(dir, f));
    const model = loadModel(doc);
    const family = familyOf(model.estimator);
    const problems = [];
    const got = { predict: model.predict(expected.X) };
    if (model.predictProba) got.predict_proba = model.predictProba(expected.X);
    if (model.decisionFunction) got.decision_function = model.decisionFunction(expected.X);
    for (const key of ["predict", "predict_proba", "decision_function"]) {
      if (!(key in expected) || expected[key] == null) continue;
      if (!(key in got)) { problems.push(`${key} missing`); continue; }
      const a = flat(got[key]);
      const b = flat(expected[key]);
      if (a.length !== b.length) { problems.push(`${key}: ${a.length} values, expected ${b.length}`); continue; }
      const ok = rule(family, key);
      let n = 0;
      let worst = 0;
      for (let i = 0; i < a.length; i++) {
        if (!ok(a[i], b[i])) n++;
        if (typeof a[i] === "number") worst = Math.max(worst, Math.abs(a[i] - b[i]) / Math.max(1, Math.abs(b[i])));
      }
      if (n) problems.push(`${key}: ${n}/${a.length} differ (worst rel ${worst.toExponential(2)})`);
      else if (worst) problems.push(`${key}: ok, worst rel ${worst.toExponential(2)}`);
    }
    const failed = problems.some((p) => !p.includes(": ok"));
    if (failed) bad++;
    line = `${failed ? "FAIL" : "ok  "} ${f} (${model.estimator}, ${expected.X.length} rows) ${problems.join("; ")}`;
  } catch (e) {
    bad++;
    line = `FAIL ${f}: ${e.message}`;
  }
  console.log(line);
}
console.log(bad ? `${bad} document(s) disagree` : "all agree");
process.exitCode = bad ? 1 : 0;
