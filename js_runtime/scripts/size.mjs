// Size of the runtime as a browser would load it: src/ bundled (all families), minified with
// esbuild, gzip-compressed. Fails when over the budget.
import { build } from "esbuild";
import { gzipSync } from "node:zlib";

// 10 KiB until the first-hour messages (1.4 KiB: where, expected, found, did you mean) and
// one-vs-rest probabilities: what a user is told is worth more than the last kilobyte.
// 18 KiB from pipelines and preprocessing (issue 15: five families, mixed rows; about 5.5 KiB):
// the models people ship are pipelines.
// 19 KiB from HistGradientBoosting (issue 16: float64 walk, categorical splits; about 1 KiB).
const BUDGET = 19 * 1024;
const result = await build({
  entryPoints: [new URL("../src/index.js", import.meta.url).pathname],
  bundle: true,
  minify: true,
  format: "esm",
  platform: "neutral",
  write: false,
});
const code = result.outputFiles[0].contents;
const gz = gzipSync(code, { level: 9 }).length;
console.log(`src/ min: ${code.length} B, min+gzip: ${gz} B (budget ${BUDGET} B)`);
if (gz > BUDGET) {
  console.error("over the size budget");
  process.exitCode = 1;
}
