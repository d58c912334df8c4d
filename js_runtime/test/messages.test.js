// "The first hour": every message a user can meet names the place and says what was expected
// and what was found, in the words shared with the Python package. Input -> exact message.
import { test } from "node:test";
import assert from "node:assert/strict";
import { gzipSync } from "node:zlib";
import { InvalidModelError, loadModel } from "../src/index.js";
import { closest, quote, show } from "../src/errors.js";
import { parseJson } from "../src/json.js";
import * as fx from "./fixtures.js";

/** Assert that `f` throws an `Ctor` whose message is exactly `message`. */
function throwsExactly(f, message, Ctor = InvalidModelError) {
  assert.throws(f, (e) => {
    assert.ok(e instanceof Ctor, `not a ${Ctor.name}: ${e}`);
    assert.equal(e.message, message);
    return true;
  });
}

const bytes = (...parts) => new Uint8Array(parts.flatMap((p) => (typeof p === "string" ? [...Buffer.from(p)] : p)));
const GZIP = 'gzip-compressed data: decompress it first (zlib.gunzipSync in Node, DecompressionStream("gzip") in a browser); the json-models CLI and page read .json.gz themselves';
const XZ = 'xz (lzma)-compressed data: decompress it first (xz -d), or write the model with compress="gzip"';
const BZ2 = 'bz2-compressed data: decompress it first (bzip2 -d), or write the model with compress="gzip"';
const PICKLE = "a pickle file, not JSON: json-models reads only JSON documents (write one with json_models.dump)";
const ZLIB = "zlib-compressed data (a joblib file?), not JSON";
const TRUNCATED = "the document ends early (is the file truncated?)";

test("loadModel takes JSON text, a parsed document, or UTF-8 bytes (Uint8Array, Buffer)", () => {
  const text = JSON.stringify(fx.linear());
  const want = loadModel(fx.linear()).predict([[1, 2]]);
  assert.deepEqual(loadModel(text).predict([[1, 2]]), want);
  assert.deepEqual(loadModel(Buffer.from(text)).predict([[1, 2]]), want);
  assert.deepEqual(loadModel(new TextEncoder().encode(text)).predict([[1, 2]]), want);
  assert.deepEqual(loadModel(bytes([0xef, 0xbb, 0xbf], text)).predict([[1, 2]]), want); // a byte order mark is dropped
  const named = fx.linear();
  named.state.feature_names_in = ["café", "naïve"]; // non-ASCII text survives the decoding
  assert.deepEqual(loadModel(Buffer.from(JSON.stringify(named))).featureNames, ["café", "naïve"]);
});

test("compressed and pickled bytes are recognised by their magic bytes", () => {
  const cases = [
    [gzipSync(JSON.stringify(fx.linear())), GZIP],
    [bytes([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00, 0x00, 0x04]), XZ],
    [bytes("BZh91AY&SY"), BZ2],
    [bytes([0x80, 0x04, 0x95, 0x0a]), PICKLE], // pickle protocol 4
    [bytes([0x80, 0x02, 0x7d]), PICKLE], // protocol 2
    [bytes([0x78, 0x9c, 0xab, 0xae]), ZLIB], // zlib.compress, joblib's default
    [bytes([0x78, 0x01, 0x01]), ZLIB],
    [bytes([0x78, 0x5e, 0x01]), ZLIB],
    [bytes([0x78, 0xda, 0x01]), ZLIB],
  ];
  for (const [input, message] of cases) throwsExactly(() => loadModel(input), `/: ${message}`);
  // As text, the same bytes are just not JSON (only bytes have magic).
  throwsExactly(() => loadModel("BZh91AY&SY"), "/: not valid JSON at line 1, column 1 (byte 0): Unexpected token 'B'");
});

test("invalid UTF-8 is named by the offset of its first byte", () => {
  const cases = [
    [bytes('{"a": "caf', [0xe9], '"}'), "not valid UTF-8 at byte 10 (0xe9): a JSON document is UTF-8 text"], // Latin-1 é
    [bytes("{", [0xff]), "not valid UTF-8 at byte 1 (0xff): a JSON document is UTF-8 text"],
    [bytes([0xff, 0xfe, 0x00]), "not valid UTF-8 at byte 0 (0xff): a JSON document is UTF-8 text"], // UTF-16 byte order mark
    [bytes('["', [0xe0, 0x80, 0x80], '"]'), "not valid UTF-8 at byte 2 (0xe0): a JSON document is UTF-8 text"], // overlong
    [bytes('["', [0xed, 0xa0, 0x80], '"]'), "not valid UTF-8 at byte 2 (0xed): a JSON document is UTF-8 text"], // surrogate
    [bytes('["', [0xef, 0xbf, 0xbd], '", "', [0xc3], '"]'), "not valid UTF-8 at byte 9 (0xc3): a JSON document is UTF-8 text"], // after a real U+FFFD
    [bytes('["', [0xe2, 0x82]), "not valid UTF-8 at byte 2 (0xe2): a JSON document is UTF-8 text"], // cut inside a character
  ];
  for (const [input, message] of cases) throwsExactly(() => loadModel(input), `/: ${message}`);
});

test("JSON syntax errors say where: line, column, offset, and the parser's reason", () => {
  const cases = [
    ["{not json", "line 1, column 2 (byte 1): Expected property name or '}'"],
    ['{"a": 1,}', "line 1, column 9 (byte 8): Expected double-quoted property name"],
    ["[1 2]", "line 1, column 4 (byte 3): Expected ',' or ']' after array element"],
    ["{} x", "line 1, column 4 (byte 3): Unexpected non-whitespace character after JSON"],
    ['{\n  "a": 1,\n  "b": x\n}', "line 3, column 8 (byte 19): Unexpected token 'x'"], // V8 says no place here
    ['{"format": "json-models", "x": NaN}', "line 1, column 32 (byte 31): Unexpected token 'N'"],
    ["{\r\n  \"a\": tru,\r\n}", "line 2, column 11 (byte 13): Unexpected token ','"], // inside a literal
    ["NaN", "line 1, column 1 (byte 0): \"NaN\" is not valid JSON"],
    ['{"a": "\u0001"}', "line 1, column 8 (byte 7): Bad control character in string literal"],
    ["[01]", "line 1, column 3 (byte 2): Unexpected number"],
    ['{"b": [true, 1e5, "x"], "c" }', "line 1, column 29 (byte 28): Unexpected token '}'"],
    ['{"é": x}', "line 1, column 7 (byte 6): Unexpected token 'x'"],
  ];
  for (const [text, where] of cases) throwsExactly(() => loadModel(text), `/: not valid JSON at ${where}`);
});

test("a text that ends early says so, at its end; an empty one says it is empty", () => {
  const cases = [
    ['{"format": "json-models", ', `line 1, column 27 (byte 26): ${TRUNCATED}`],
    ["[[0,", `line 1, column 5 (byte 4): ${TRUNCATED}`],
    ['{\n  "a": [1, 2\n', `line 3, column 1 (byte 15): ${TRUNCATED}`],
    ['{"a": "abc', `line 1, column 11 (byte 10): ${TRUNCATED}`],
    ['{"a": nul', `line 1, column 10 (byte 9): ${TRUNCATED}`],
    ['{"a"', `line 1, column 5 (byte 4): ${TRUNCATED}`],
    ['{"a": -', `line 1, column 8 (byte 7): ${TRUNCATED}`],
    ['{"a": 1.', `line 1, column 9 (byte 8): ${TRUNCATED}`],
  ];
  for (const [text, where] of cases) throwsExactly(() => loadModel(text), `/: not valid JSON at ${where}`);
  const doc = JSON.stringify(fx.forestClassifier(), null, 2);
  const cut = doc.slice(0, 300);
  const lines = cut.split("\n");
  throwsExactly(() => loadModel(Buffer.from(cut)),
    `/: not valid JSON at line ${lines.length}, column ${lines.at(-1).length + 1} (byte 300): ${TRUNCATED}`);
  for (const empty of ["", " ", "\n\t\r\n", new Uint8Array(0), bytes("  \n")]) {
    throwsExactly(() => loadModel(empty), "/: not valid JSON: the document is empty");
  }
});

test("the place is found from other engines' messages too (newer V8, Firefox, Safari)", (t) => {
  const real = JSON.parse;
  /** Make JSON.parse throw `rewrite(V8's message, text)` instead of V8's message. */
  const engine = (rewrite) => {
    t.mock.method(JSON, "parse", (text) => {
      try {
        return real(text);
      } catch (e) {
        throw new SyntaxError(rewrite(e.message, text));
      }
    });
  };
  const lineColumn = (text, pos) => {
    const before = text.slice(0, pos).split("\n");
    return `line ${before.length} column ${before.at(-1).length + 1}`;
  };
  const place = (m) => +(/at position (\d+)/.exec(m)?.[1] ?? -1);
  const texts = ['{\n  "a": 1,\n  "b": [1 2]\n}', '{\n  "a": x\n}', "[1, 2", "{} x"];
  const want = texts.map((s) => {
    try {
      parseJson(s, (m) => { throw new Error(m); });
    } catch (e) {
      return e.message;
    }
  });
  // Newer V8: "... in JSON at position 23 (line 3 column 11)"
  engine((m, s) => (place(m) >= 0 ? `${m} (${lineColumn(s, place(m))})` : m));
  texts.forEach((s, i) => assert.throws(() => parseJson(s, (m) => { throw new Error(m); }), { message: want[i] }));
  t.mock.restoreAll();
  // A V8 that gives only the line and column
  engine((m, s) => m.replace(/at position (\d+)/, (_, p) => `at ${lineColumn(s, +p)}`));
  texts.forEach((s, i) => assert.throws(() => parseJson(s, (m) => { throw new Error(m); }), { message: want[i] }));
  t.mock.restoreAll();
  // Firefox: "JSON.parse: expected ',' or ']' after array element at line 3 column 11 of the JSON data"
  engine((m, s) => {
    const p = place(m) >= 0 ? place(m) : /end of/.test(m) ? s.length : 9; // (9: where '{\n  "a": x' goes wrong)
    return `JSON.parse: ${m.replace(/ in JSON at position \d+| at position \d+|, (\.\.\.)?".*$/s, "")} at ${lineColumn(s, p)} of the JSON data`;
  });
  assert.throws(() => parseJson(texts[0], (m) => { throw new Error(m); }), { message: want[0] });
  assert.throws(() => parseJson(texts[1], (m) => { throw new Error(m); }), { message: want[1] });
  t.mock.restoreAll();
  // Safari: "JSON Parse error: Unexpected EOF", else a reason without any place
  engine((m, s) => (/end of/.test(m) || place(m) >= s.length ? "JSON Parse error: Unexpected EOF" : "JSON Parse error: Unrecognized token '2'"));
  assert.throws(() => parseJson(texts[0], (m) => { throw new Error(m); }), { message: "not valid JSON: Unrecognized token '2'" });
  assert.throws(() => parseJson(texts[2], (m) => { throw new Error(m); }), { message: want[2] }); // ends early
});

test("bisection finds the place V8 names, wherever V8 names one", (t) => {
  // For texts where V8 says where, the bisection over prefixes (used where it does not) agrees.
  const real = JSON.parse;
  const texts = ["[1 2]", '{"a": 1,}', '{"a" 1}', "[1, 2]x", '{"a":1}}', "[[[[1]]], [[2]] 3]", '{"a": {"b": [true, false, null, 1e5, "x"], "c" 1}', '[1, "a\\qb"]'];
  const positions = texts.map((s) => {
    try {
      real(s);
    } catch (e) {
      return +/at position (\d+)/.exec(e.message)[1];
    }
  });
  // A V8 that never says where, only whether the text ends early, and the character it did not
  // expect (which the bisection tries, when it occurs; else every offset).
  for (const named of [true, false]) {
    t.mock.method(JSON, "parse", (x) => {
      try {
        return real(x);
      } catch (e) {
        const at = /at position (\d+)/.exec(e.message);
        if (/end of/.test(e.message) || (at && +at[1] >= x.length)) throw new SyntaxError("Unexpected end of JSON input");
        throw new SyntaxError(`Unexpected token '${named && at ? x[+at[1]] : "\u0007"}', "..." is not valid JSON`);
      }
    });
    texts.forEach((s, i) => {
      const token = named ? s[positions[i]] : "\u0007";
      assert.throws(() => parseJson(s, (m) => { throw new Error(m); }), { message: `not valid JSON at line 1, column ${positions[i] + 1} (byte ${positions[i]}): Unexpected token '${token}'` }, s);
    });
    t.mock.restoreAll();
  }
});

test("found values are shown in the words of the model", () => {
  assert.equal(show("3.8"), 'the string "3.8"');
  assert.equal(show(3), "the number 3");
  assert.equal(show(-0.5), "the number -0.5");
  assert.equal(show(NaN), "the number NaN");
  assert.equal(show(true), "true");
  assert.equal(show(false), "false");
  assert.equal(show(null), "null");
  assert.equal(show([1]), "an array");
  assert.equal(show({}), "an object");
  assert.equal(show(undefined), "nothing");
  const long = "x".repeat(70);
  assert.equal(show(long), `the string "${"x".repeat(57)}..."`);
  assert.equal(quote("y".repeat(60)), `"${"y".repeat(60)}"`);
  assert.equal(quote("y".repeat(61)), `"${"y".repeat(57)}..."`);
  assert.equal(quote('a "b"\n'), '"a \\"b\\"\\n"');
  const d = fx.treeClassifier();
  d.format = long;
  throwsExactly(() => loadModel(d), `/format: expected "json-models", found the string "${"x".repeat(57)}..."`);
});

test("numbers given as strings: thresholds name the non-finite strings they allow", () => {
  const t = fx.treeClassifier();
  t.state.tree.threshold[0] = "3.819999933242798";
  throwsExactly(() => loadModel(t), '/state/tree/threshold/0: expected a number (or "Infinity", "-Infinity", "NaN"), found the string "3.819999933242798"');
  const l = fx.linear();
  l.state.coef[0] = "1.5";
  throwsExactly(() => loadModel(l), '/state/coef/0: expected a number, found the string "1.5"');
  const b = fx.boostingBinary();
  b.params.learning_rate = "0.5";
  throwsExactly(() => loadModel(b), '/params/learning_rate: expected a number, found the string "0.5"');
  const i = fx.linear();
  i.state.n_features_in = "2";
  throwsExactly(() => loadModel(i), '/state/n_features_in: expected an integer in [1, 2147483647], found the string "2"');
});

test("an unknown estimator: the nearest supported name, or the README", () => {
  const named = (name) => { const d = fx.forestClassifier(); d.estimator = name; return d; };
  throwsExactly(() => loadModel(named("sklearn.ensemble.RandomForestClassifer")),
    '/estimator: expected a supported estimator, found "sklearn.ensemble.RandomForestClassifer"; did you mean "sklearn.ensemble.RandomForestClassifier"?');
  throwsExactly(() => loadModel(named("sklearn.tree.decisiontreeclassifier")),
    '/estimator: expected a supported estimator, found "sklearn.tree.decisiontreeclassifier"; did you mean "sklearn.tree.DecisionTreeClassifier"?');
  throwsExactly(() => loadModel(named("sklearn.cluster.KMeans")),
    "/estimator: expected a supported estimator, found \"sklearn.cluster.KMeans\"; see the README's table of supported estimators");
  throwsExactly(() => loadModel(named("RandomForestClassifier")),
    "/estimator: expected a supported estimator, found \"RandomForestClassifier\"; see the README's table of supported estimators");
  throwsExactly(() => loadModel(named("s".repeat(100_000))),
    `/estimator: expected a supported estimator, found "${"s".repeat(57)}..."; see the README's table of supported estimators`);
});

test("closest: Levenshtein distance at most max(2, a third of the name's length), first of the nearest", () => {
  assert.equal(closest("n_features_in", ["n_feature_in", "x"]), "n_feature_in");
  assert.equal(closest("abcdef", ["abcxyz"]), undefined); // 3 > max(2, 2)
  assert.equal(closest("abcdefghi", ["abcxyzghi"]), "abcxyzghi"); // 3 <= 3
  assert.equal(closest("abcdefghi", ["abcxyzwhi"]), undefined); // 4 > 3
  assert.equal(closest("b", ["c"]), "c");
  assert.equal(closest("b", ["xyz"]), undefined);
  assert.equal(closest("ab", ["xb", "ay"]), "xb"); // equally near: the first
  assert.equal(closest("ab", ["xy", "ay"]), "ay"); // the nearest
  assert.equal(closest("ab", []), undefined);
  assert.equal(closest("a".repeat(1000), ["a".repeat(999) + "b"]), "a".repeat(999) + "b");
  assert.equal(closest("a".repeat(1001), ["a".repeat(1000) + "b"]), undefined); // too long to compare
});

test("missing keys: a near miss the runtime does not read is named, else the object", () => {
  const cases = [
    [fx.linear, (s) => { s.n_feature_in = s.n_features_in; delete s.n_features_in; }, '/state/n_feature_in: unknown key; did you mean "n_features_in"?'],
    [fx.linear, (s) => { s.n_features_in_ = 2; delete s.n_features_in; }, '/state/n_features_in_: unknown key; did you mean "n_features_in"?'],
    [fx.linear, (s) => delete s.n_features_in, '/state: missing key "n_features_in"'],
    [fx.linear, (s) => { s.whatever = 1; delete s.n_features_in; }, '/state: missing key "n_features_in"'],
    [fx.treeClassifier, (s) => delete s.tree.children_left, '/state/tree: missing key "children_left"'], // not "children_right"
    [fx.treeClassifier, (s) => delete s.tree.children_right, '/state/tree: missing key "children_right"'],
    [fx.treeClassifier, (s) => { s.tree.tresholds = s.tree.threshold; delete s.tree.threshold; }, '/state/tree/tresholds: unknown key; did you mean "threshold"?'],
    [fx.forestClassifier, (s) => delete s.estimators, '/state: missing key "estimators"'], // not "n_estimators"
    [fx.boostingBinary, (s) => delete s.estimators, '/state: missing key "estimators"'],
    [fx.boostingBinary, (s) => delete s.n_estimators, '/state: missing key "n_estimators"'],
    [fx.forestClassifier, (s) => { s.estimators[1] = { tre: s.estimators[1].tree }; }, '/state/estimators/1/tre: unknown key; did you mean "tree"?'],
    [fx.treeClassifier, (s) => { s.n_output = 1; delete s.n_outputs; }, '/state/n_output: unknown key; did you mean "n_outputs"?'],
  ];
  for (const [make, edit, message] of cases) {
    const d = make();
    edit(d.state);
    throwsExactly(() => loadModel(d), message);
  }
  const e = fx.linear();
  e.stat = e.state;
  delete e.state;
  throwsExactly(() => loadModel(e), '/stat: unknown key; did you mean "state"?');
});

test("deleting any key a valid document needs says it is missing, never suggests a sibling", () => {
  const binary = fx.linear();
  binary.state.coef = { dtype: "float64", shape: [2], base64: fx.b64(Float64Array, [1.5, -2]) };
  const docs = [...Object.values(fx.ALL).map((make) => make()), binary];
  let checked = 0;
  for (const doc of docs) {
    // every object of the document, with its pointer
    const objects = [];
    const walk = (v, p) => {
      if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${p}/${i}`));
      else if (v && typeof v === "object") {
        objects.push([v, p]);
        for (const [k, x] of Object.entries(v)) walk(x, `${p}/${k}`);
      }
    };
    walk(doc, "");
    for (const [obj, p] of objects) {
      for (const key of Object.keys(obj)) {
        const value = obj[key];
        delete obj[key];
        try {
          loadModel(doc);
        } catch (e) {
          if (e.message.includes("missing key")) {
            assert.equal(e.message, `${p || "/"}: missing key ${JSON.stringify(key)}`);
            checked++;
          }
          assert.doesNotMatch(e.message, /did you mean/);
        } finally {
          obj[key] = value;
        }
      }
    }
  }
  assert.ok(checked > 50, `${checked}`);
});

test("rows as objects: other keys are ignored; a missing feature is named, with a near miss", () => {
  const names = ["sepal length (cm)", "sepal width (cm)", "petal length (cm)", "petal width (cm)"];
  const doc = fx.treeClassifier();
  doc.state.n_features_in = 4;
  doc.state.max_features = 4;
  doc.state.feature_names_in = names;
  doc.state.tree.feature = [3, -2, -2];
  const m = loadModel(doc);
  const row = Object.fromEntries(names.map((n) => [n, 0]));
  assert.deepEqual(m.predict([{ id: 17, ...row, species: "setosa" }]), ["a"]);
  const { "petal width (cm)": _, ...rest } = row;
  throwsExactly(() => m.predict([{ ...rest, "petal_width (cm)": 1 }]),
    'X row 0: missing feature "petal width (cm)"; did you mean "petal_width (cm)"?', TypeError);
  throwsExactly(() => m.predict([row, { ...rest, id: 1 }]), 'X row 1: missing feature "petal width (cm)"', TypeError);
  throwsExactly(() => m.predict([{ ...row, "petal width (cm)": "abc" }]),
    'X row 0, feature "petal width (cm)": expected a number or null, found the string "abc"', TypeError);
  throwsExactly(() => m.predict([[0, 0, 0, "abc"]]), 'X row 0, feature 3: expected a number or null, found the string "abc"', TypeError);
  throwsExactly(() => m.predict([{ ...row, "sepal width (cm)": Infinity }]),
    'X row 0, feature "sepal width (cm)": expected a finite number, found the number Infinity', TypeError);
  assert.deepEqual(m.predict([{ ...row, "petal width (cm)": null }]), ["a"]); // missing values where the model takes them
});
