// Size of the runtime as a browser would load it: src/ bundled (all families), minified with
// esbuild, gzip-compressed. Fails when over the budget.
import { build } from "esbuild";
import { gzipSync } from "node:zlib";

// 10 KiB until the first-hour messages (1.4 KiB: where, expected, found, did you mean) and
// one-vs-rest probabilities: what a user is told is worth more than the last kilobyte.
// 18 KiB from pipelines and preprocessing (issue 15: five families, mixed rows; about 5.5 KiB):
// the models people ship are pipelines.
// 19 KiB from HistGradientBoosting (issue 16: float64 walk, categorical splits; about 1 KiB).
// 25 KiB from neural networks and the long tail (issues 17, 18: six families, about 6 KiB:
// networks 1.5 with the blocked product that makes them fast, SVMs 2.2 (four kernels, votes,
// both decision shapes), naive Bayes 1.4 (four estimators, numpy's pairwise sum), isolation
// 0.8, linear classifiers and GLMs 0.3): each family a user can ship without Python.
const BUDGET = 25 * 1024;
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
