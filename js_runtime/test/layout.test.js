// The house of src/: every module has its row in the README's layout table, and imports (at run
// time) only modules of rows above its own, so that arrows go one way; a family module may
// also reuse another family module (logistic reads coefficients as linear does).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { posix } from "node:path";

const SRC = new URL("../src/", import.meta.url);
const README = readFileSync(new URL("../README.md", import.meta.url), "utf8");
/** Rows of the layout table, top to bottom: "json.js", ..., "models/<family>.js", "index.js". */
const ROWS = [...README.matchAll(/^\| `src\/([^`]+)` \|/gm)].map((m) => m[1]);
const files = readdirSync(SRC, { recursive: true }).map(String).filter((f) => f.endsWith(".js"));

/** @param {string} file a module's path under src/ */
const row = (file) => ROWS.indexOf(file.startsWith("models/") ? "models/<family>.js" : file);

test("every src module has its row in the README's layout", () => {
  for (const f of files) assert.ok(row(f) >= 0, `${f}: add it to the layout table of js_runtime/README.md`);
});

test("src modules import only modules above them in the README's layout", () => {
  for (const f of files) {
    const code = readFileSync(new URL(f, SRC), "utf8");
    for (const [, spec] of code.matchAll(/^import .* from "([^"]+)";$/gm)) {
      const target = posix.join(posix.dirname(f), spec);
      const sameRoom = f.startsWith("models/") && target.startsWith("models/");
      assert.ok(sameRoom || row(target) < row(f), `${f} imports ${target}, which is not above it`);
    }
  }
});
