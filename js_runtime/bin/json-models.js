#!/usr/bin/env node
// json-models command line: `json-models predict MODEL.json X.json`.
//
// Prints one JSON object to stdout: {"predict": [...], "predict_proba": [...],
// "decision_function": [...]}, the last two only where the model has them. MODEL.json may be
// gzip-compressed. A bad model or bad input ends with one line on stderr and exit status 1;
// a wrong command line with usage on stderr and exit status 2.
import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { loadModel } from "../src/index.js";

const USAGE = "usage: json-models predict MODEL.json X.json";

/** @param {string} path */
function readText(path) {
  let bytes = readFileSync(path);
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) bytes = gunzipSync(bytes);
  return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
}

/** @param {string[]} args */
function main(args) {
  if (args[0] === "-h" || args[0] === "--help") {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (args.length !== 3 || args[0] !== "predict") {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  const [, modelPath, xPath] = args;
  const model = loadModel(readText(modelPath));
  let X;
  try {
    X = JSON.parse(readText(xPath));
  } catch (e) {
    throw new Error(`${xPath}: not valid JSON (${e instanceof Error ? e.message : e})`);
  }
  /** @type {Record<string, unknown>} */
  const out = { predict: model.predict(X) };
  if (model.predictProba) out.predict_proba = model.predictProba(X);
  if (model.decisionFunction) out.decision_function = model.decisionFunction(X);
  // JSON.stringify prints the shortest text that parses back to the same float64, and null
  // for a non-finite number (which a valid model does not produce).
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
