// The JSON schemas live once, in the repository's top-level schemas/. `npm pack` (and
// `npm publish`) ships them in the package as json-models/schemas/*: the prepack script
// copies them into js_runtime/schemas/ (gitignored) and the postpack script removes the
// copy, so the working tree stays as it was and no second copy is ever committed.
//
//   node scripts/pack-schemas.mjs copy     (prepack)
//   node scripts/pack-schemas.mjs remove   (postpack)
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync } from "node:fs";
import { fileURLToPath } from "node:url";

const source = new URL("../../schemas/", import.meta.url);
const target = new URL("../schemas/", import.meta.url);
const SHIPPED = /^(.+\.schema\.json|README\.md)$/;

const mode = process.argv[2];
if (mode === "copy") {
  if (!existsSync(source)) {
    console.error(
      `pack-schemas: ${fileURLToPath(source)} not found; pack from a checkout of the repository`,
    );
    process.exit(1);
  }
  rmSync(target, { recursive: true, force: true }); // nothing stale from an interrupted pack
  mkdirSync(target);
  const names = readdirSync(source).filter((name) => SHIPPED.test(name));
  if (!names.some((name) => name.endsWith(".schema.json"))) {
    console.error(`pack-schemas: no *.schema.json in ${fileURLToPath(source)}`);
    process.exit(1);
  }
  for (const name of names) copyFileSync(new URL(name, source), new URL(name, target));
} else if (mode === "remove") {
  rmSync(target, { recursive: true, force: true });
} else {
  console.error("usage: node scripts/pack-schemas.mjs copy|remove");
  process.exit(2);
}
