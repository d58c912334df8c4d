// src/ is one code path for Node and browsers: no Node-only API, every import relative.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const SRC = fileURLToPath(new URL("../src/", import.meta.url));
const files = readdirSync(SRC, { recursive: true }).filter((f) => String(f).endsWith(".js")).map(String);

test("src/ uses no Node-only API", () => {
  assert.ok(files.length >= 7, files.join(", "));
  for (const f of files) {
    const code = readFileSync(join(SRC, f), "utf8").replace(/\/\/.*$|\/\*[\s\S]*?\*\//gm, ""); // code, not comments
    for (const banned of [/\bBuffer\b/, /\bprocess\./, /\brequire\(/, /["']node:/, /\b__dirname\b/, /\bglobal\./]) {
      assert.doesNotMatch(code, banned, `${f} uses ${banned}`);
    }
    for (const [, spec] of code.matchAll(/\bfrom\s+["']([^"']+)["']/g)) {
      assert.match(spec, /^\.\.?\//, `${f} imports ${spec}`);
    }
  }
});

test("every src module checks its types", () => {
  for (const f of files) assert.match(readFileSync(join(SRC, f), "utf8"), /^\/\/ @ts-check\n/, f);
});
