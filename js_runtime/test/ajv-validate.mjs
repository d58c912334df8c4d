#!/usr/bin/env node
// Validate json-models documents with ajv (JSON Schema draft 2020-12) against schemas/.
//
// usage: node test/ajv-validate.mjs [--schemas DIR] FILE...
// Every DIR/*.schema.json (default: the repository's schemas/) is registered under its own
// `$id`, so the relative `$ref`s between them resolve offline. Prints one JSON line per file:
//   {"file": "...", "valid": true}
//   {"file": "...", "valid": false, "errors": ["/state/tree/feature: must be ...", ...]}
// The pytest suite compares this with Python's jsonschema. Exit status 0 once every file has
// been reported (valid or not), 2 for a usage or schema error.
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";
import Ajv2020 from "ajv/dist/2020.js";

const ENTRY_ID = "https://json-models.dev/schemas/1/json-models.schema.json";

/**
 * A validator for the entry schema, with every schema of `dir` registered by its `$id`.
 * @param {string} dir
 */
export function makeValidator(dir) {
  const ajv = new Ajv2020({ strict: false, allErrors: false });
  for (const name of readdirSync(dir).filter((f) => f.endsWith(".schema.json")).sort()) {
    ajv.addSchema(JSON.parse(readFileSync(join(dir, name), "utf8")));
  }
  const validate = ajv.getSchema(ENTRY_ID);
  if (!validate) throw new Error(`no schema with $id ${ENTRY_ID} in ${dir}`);
  return validate;
}

/** The repository's schemas/ folder. */
export const SCHEMAS_DIR = fileURLToPath(new URL("../../schemas/", import.meta.url));

function main(args) {
  let dir = SCHEMAS_DIR;
  if (args[0] === "--schemas") {
    dir = args[1];
    args = args.slice(2);
  }
  if (!dir || args.length === 0 || args[0] === "-h" || args[0] === "--help") {
    process.stderr.write("usage: node test/ajv-validate.mjs [--schemas DIR] FILE...\n");
    return 2;
  }
  let validate;
  try {
    validate = makeValidator(dir);
  } catch (e) {
    process.stderr.write(`ajv-validate: ${String(e.message).replace(/\s+/g, " ")}\n`);
    return 2;
  }
  for (const file of args) {
    let doc;
    try {
      let bytes = readFileSync(file);
      if (bytes[0] === 0x1f && bytes[1] === 0x8b) bytes = gunzipSync(bytes);
      doc = JSON.parse(bytes.toString("utf8"));
    } catch (e) {
      console.log(JSON.stringify({ file, valid: false, errors: [`not a JSON file: ${e.message}`] }));
      continue;
    }
    const valid = validate(doc);
    const line = { file, valid };
    if (!valid) line.errors = (validate.errors ?? []).map((e) => `${e.instancePath || "/"}: ${e.message}`);
    console.log(JSON.stringify(line));
  }
  return 0;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  process.exitCode = main(process.argv.slice(2));
}
