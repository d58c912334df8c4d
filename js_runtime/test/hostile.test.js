// Crafted documents end in a model or an InvalidModelError at the bad place, with memory and
// time proportional to the document: counts the data does not confirm allocate nothing, values
// no reader can hold exactly are refused, and no walk recurses over the document's nesting.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { InvalidModelError, loadModel } from "../src/index.js";
import { MAX_DOCUMENT_BYTES } from "../src/json.js";
import * as fx from "./fixtures.js";

/** Assert that loading `input` fails with exactly `message` (which starts with the pointer). */
function refused(input, message) {
  assert.throws(() => loadModel(input), (e) => {
    assert.ok(e instanceof InvalidModelError, `not an InvalidModelError: ${e}`);
    assert.equal(e.message, message);
    return true;
  });
}

/** The JSON text of `doc` with the first `placeholder` replaced by raw JSON text `raw`. */
function textWith(doc, placeholder, raw) {
  const text = JSON.stringify(doc);
  assert.ok(text.includes(placeholder), placeholder);
  return text.replace(placeholder, raw);
}

test("numbers beyond float64 (1e400) are infinities: refused where a finite number is needed", () => {
  const lin = fx.linear();
  lin.state.intercept = 0.125;
  refused(textWith(lin, "0.125", "-1e400"), "/state/intercept: expected a finite number, found the number -Infinity");
  lin.state.coef[1] = 0.125;
  refused(textWith(lin, "0.125", "1e400"), "/state/coef/1: expected a finite number, found the number Infinity");
  const tree = fx.treeClassifier();
  tree.state.tree.value[1][0][1] = 0.125;
  refused(textWith(tree, "0.125", "1e400"), "/state/tree/value/1/0/1: expected a finite number, found the number Infinity");
  const rate = fx.boostingBinary();
  rate.params.learning_rate = 0.125;
  refused(textWith(rate, "0.125", "1e400"), "/params/learning_rate: expected a finite number, found the number Infinity");
  // tree thresholds take infinities, as numbers or strings
  const t = fx.treeClassifier(fx.stump(0.125));
  assert.deepEqual(loadModel(textWith(t, "0.125", "1e400")).predict([[1e30, 0]]), ["a"]);
  assert.deepEqual(loadModel(textWith(t, "0.125", "-1e400")).predict([[-1e30, 0]]), ["b"]);
});

test("a lone surrogate is refused in any string of JSON text, key or value, at its place", () => {
  const t = fx.treeClassifier();
  refused(textWith(t, '"b"]', '"b\\ud800"]'), "/state/classes/1: expected Unicode text, found a lone surrogate (U+D800)");
  refused(textWith(t, '"gini"', '"\\uDC00gini"'), "/params/criterion: expected Unicode text, found a lone surrogate (U+DC00)");
  refused(textWith(t, '"criterion"', '"crit\\udbffx"'), "/params/crit\udbffx: expected Unicode text, found a lone surrogate (U+DBFF)");
  refused(new TextEncoder().encode(textWith(t, '"json-models","version"', '"x\\udfff","version"')),
    "/producer/name: expected Unicode text, found a lone surrogate (U+DFFF)");
  refused(JSON.stringify(t).replace('"gini"', '"gi\ud800ni"'), "/params/criterion: expected Unicode text, found a lone surrogate (U+D800)");
  // any depth, without recursion
  refused(textWith(t, '"gini"', `${"[".repeat(1e5)}"\\ud800"${"]".repeat(1e5)}`), `/params/criterion${"/0".repeat(1e5)}: expected Unicode text, found a lone surrogate (U+D800)`);
  // a pair is text, and so is an escaped backslash before "ud800"
  assert.deepEqual(loadModel(textWith(t, '"b"]', '"\\ud83d\\ude00"]')).classes, ["a", "\u{1f600}"]);
  assert.doesNotThrow(() => loadModel(textWith(t, '"gini"', '"\\\\ud800"')));
  // a parsed document: the labels and feature names the runtime reads
  const parsed = fx.treeClassifier();
  parsed.state.classes[0] = "\udc00";
  refused(parsed, "/state/classes/0: expected Unicode text, found a lone surrogate (U+DC00)");
});

test("labels: no U+0000, numbers below 2**53 in magnitude; feature names: no U+0000", () => {
  const t = fx.treeClassifier();
  t.state.classes = ["a", "b\0"];
  refused(t, '/state/classes/1: expected a label without U+0000, found the string "b\\u0000"');
  const m = fx.multiOutputTree();
  m.state.classes[1][2] = "z\0";
  refused(m, '/state/classes/1/2: expected a label without U+0000, found the string "z\\u0000"');
  for (const big of [2 ** 53, -(2 ** 53), 1e300]) {
    const f = fx.forestClassifier();
    f.state.classes[2] = big;
    refused(f, `/state/classes/2: expected a label below 2**53 in magnitude, found the number ${big}`);
  }
  const ok = fx.forestClassifier();
  ok.state.classes[2] = 2 ** 53 - 1;
  assert.doesNotThrow(() => loadModel(ok));
  const named = fx.treeClassifier();
  named.state.feature_names_in = ["x", "y\0"];
  refused(named, '/state/feature_names_in/1: expected a name without U+0000, found the string "y\\u0000"');
});

test("integral numbers are integers (1.0 is 1), others and non-numbers are refused where they are", () => {
  assert.doesNotThrow(() => loadModel(JSON.stringify(fx.treeClassifier()).replace('"children_left":[1,', '"children_left":[1.0,')));
  assert.doesNotThrow(() => loadModel(JSON.stringify(fx.treeClassifier()).replace('"n_outputs":1', '"n_outputs":1.0')));
  const t = fx.treeClassifier();
  t.state.tree.feature[0] = 0.5;
  refused(t, "/state/tree/feature/0: expected an integer, found the number 0.5");
  const v = fx.treeClassifier();
  v.state.tree.value[1][0][1] = true;
  refused(v, "/state/tree/value/1/0/1: expected a number, found true");
  const c = fx.linear();
  c.state.coef[0] = null;
  refused(c, "/state/coef/0: expected a number, found null");
});

test("counts the data does not confirm allocate nothing", () => {
  const reg = fx.treeRegressor();
  reg.state.n_outputs = 2 ** 31 - 1;
  refused(reg, "/state/tree/value: expected shape [3,2147483647,1], found [3,1,1]");
  const outputs = fx.multiOutputTree();
  outputs.state.n_outputs = 200000;
  outputs.state.classes = Array.from({ length: 200000 }, () => [0, 1]);
  refused(outputs, "/state/tree/value: expected shape [3,200000,2], found [3,2,3]");
  // a ragged value whose first row is long: refused at the first other row
  const ragged = fx.treeRegressor();
  ragged.state.tree.value[0] = [new Array(1e6).fill(0)];
  refused(ragged, "/state/tree/value/1/0: expected 1000000 entries, found 1");
  const rows = fx.linear(true);
  rows.state.coef = [new Array(1e6).fill(0), ...Array.from({ length: 1e4 }, () => [1])];
  refused(rows, "/state/coef/1: expected 1000000 entries, found 1");
  // a tree may name few of up to 2**31 - 1 features: nothing per feature at load
  const wide = fx.treeClassifier();
  wide.state.n_features_in = 2 ** 31 - 1;
  assert.equal(loadModel(wide).nFeatures, 2 ** 31 - 1);
});

test("nesting deeper than the field's arrays is refused without recursion", () => {
  const deep = `${"[".repeat(1e5)}${"]".repeat(1e5)}`;
  const t = fx.treeClassifier();
  t.state.tree.value[1][0][1] = 0.125;
  refused(textWith(t, "0.125", deep), "/state/tree/value/1/0/1: expected a number, not an array nested 4 deep, found an array");
  t.state.tree.children_left[1] = 0.125;
  refused(textWith(t, "0.125", deep), "/state/tree/children_left/1: expected a number, not an array nested 2 deep, found an array");
});

test("the command line refuses gzip that decompresses past MAX_DOCUMENT_BYTES", () => {
  const dir = mkdtempSync(join(tmpdir(), "json-models-hostile-"));
  try {
    const bin = fileURLToPath(new URL("../bin/json-models.js", import.meta.url));
    const run = (/** @type {string} */ model, /** @type {string} */ rows) =>
      spawnSync(process.execPath, [bin, "predict", model, rows], { encoding: "utf8" });
    const bomb = gzipSync(Buffer.alloc(MAX_DOCUMENT_BYTES + 2 ** 20, 0x20), { level: 1 });
    const lying = Buffer.from(bomb);
    lying.writeUInt32LE(100, lying.length - 4); // a trailer that says 100 bytes
    const model = join(dir, "m.json");
    const rows = join(dir, "X.json");
    writeFileSync(model, JSON.stringify(fx.treeClassifier()));
    writeFileSync(rows, "[[0, 0]]");
    for (const [i, gz] of [bomb, lying].entries()) {
      const path = join(dir, `bomb${i}.json.gz`);
      writeFileSync(path, gz);
      for (const [args, prefix] of [[[path, rows], `${path}: /: `], [[model, path], `${path}: `]]) {
        const r = run(args[0], args[1]);
        assert.equal(r.status, 1, r.stderr);
        assert.equal(r.stderr, `json-models: ${prefix}decompresses to more than 268435456 bytes\n`);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
