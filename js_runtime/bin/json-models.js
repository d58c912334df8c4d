#!/usr/bin/env node
// json-models command line: `json-models predict MODEL.json X.json`, `json-models --version`.
//
// Prints one JSON object to stdout: {"predict": [...], "predict_proba": [...],
// "decision_function": [...], "score_samples": [...], "transform": [...]}, each where the model
// has it (a transformer has only "transform"; a NaN it outputs is printed as null). MODEL.json
// and X.json may be gzip-compressed. A bad model or bad input ends with one line on stderr, which
// names the file (and, for a model, the JSON Pointer of the bad place), and exit status 1; a
// wrong command line with usage on stderr and exit status 2.
import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { FORMAT_MAJOR, loadModel } from "../src/index.js";
import { fail } from "../src/errors.js";
import { MAX_DOCUMENT_BYTES, parseJson } from "../src/json.js";

const USAGE = "usage: json-models predict MODEL.json X.json\n       json-models --version";

/**
 * The bytes of the file at `path`, gzip decompressed (recognised by its magic bytes) up to
 * MAX_DOCUMENT_BYTES: more is refused, without decompressing anything when the gzip trailer
 * (ISIZE, the size modulo 2**32, in the last 4 bytes) already says so.
 * @param {string} path
 * @param {(message: string) => never} report throws the error for a message
 */
function readBytes(path, report) {
  const bytes = readFileSync(path);
  if (bytes[0] !== 0x1f || bytes[1] !== 0x8b) return bytes;
  const tooLarge = () => report(`decompresses to more than ${MAX_DOCUMENT_BYTES} bytes`);
  if (bytes.length >= 18 && bytes.readUInt32LE(bytes.length - 4) > MAX_DOCUMENT_BYTES) tooLarge();
  try {
    return gunzipSync(bytes, { maxOutputLength: MAX_DOCUMENT_BYTES });
  } catch (e) {
    if (e instanceof RangeError && /** @type {any} */ (e).code === "ERR_BUFFER_TOO_LARGE") tooLarge();
    return report(`not valid gzip data (${e instanceof Error ? e.message : e})`);
  }
}

/**
 * `read()`, with the file's path at the start of any error message but a file system error's
 * (which names the path already).
 * @template T
 * @param {string} path
 * @param {() => T} read
 * @returns {T}
 */
function fromFile(path, read) {
  try {
    return read();
  } catch (e) {
    if (!(e instanceof Error) || "code" in e) throw e;
    throw new Error(`${path}: ${e.message}`);
  }
}

/** @param {string} message @returns {never} */
function plain(message) {
  throw new Error(message);
}

/** @param {string[]} args */
function main(args) {
  if (args[0] === "-h" || args[0] === "--help") {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (args[0] === "-v" || args[0] === "--version") {
    const { version } = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
    process.stdout.write(`json-models ${version} (reads format ${FORMAT_MAJOR}.x)\n`);
    return 0;
  }
  if (args.length !== 3 || args[0] !== "predict") {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  const [, modelPath, xPath] = args;
  const model = fromFile(modelPath, () => loadModel(readBytes(modelPath, (m) => fail("", m))));
  const X = fromFile(xPath, () => parseJson(readBytes(xPath, plain), plain));
  /** @type {Record<string, unknown>} */
  const out = {};
  if (model.predict) out.predict = model.predict(X);
  if (model.predictProba) out.predict_proba = model.predictProba(X);
  if (model.decisionFunction) out.decision_function = model.decisionFunction(X);
  if (model.scoreSamples) out.score_samples = model.scoreSamples(X);
  if (model.transform) out.transform = model.transform(X);
  // JSON.stringify prints the shortest text that parses back to the same float64, and null
  // for a non-finite number (a missing value a transformer passes through).
  process.stdout.write(`${JSON.stringify(out)}\n`);
  return 0;
}

try {
  process.exitCode = main(process.argv.slice(2));
} catch (e) {
  const message = e instanceof Error ? e.message : String(e);
  process.stderr.write(`json-models: ${message.replace(/\s+/g, " ")}\n`);
  process.exitCode = 1;
}
