// @ts-check
/**
 * Reading a JSON document from text or UTF-8 bytes, with errors a user can act on: compressed
 * or pickled bytes are recognised by their magic bytes, an invalid UTF-8 byte is named by its
 * offset, and a syntax error says where (line, column, offset) and why. The wording is shared
 * with the Python package.
 *
 * Nothing here uses a Node-only API: the same file runs in browsers.
 * @module
 */

/**
 * Most bytes a compressed document may decompress to (256 MiB): a few kilobytes of gzip must
 * not cost gigabytes. Python's `json_models._api.MAX_DOCUMENT_BYTES` is the same cap.
 */
export const MAX_DOCUMENT_BYTES = 2 ** 28;

/**
 * A surrogate code unit with no partner, never Unicode text: a high one not followed by a low
 * one, or a low one (group 1) not preceded by a high one. (No lookbehind: older Safari has none.)
 */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?:^|[^\ud800-\udbff])([\udc00-\udfff])/;

/**
 * The first lone surrogate of `s` (the code unit), or "" when `s` is Unicode text. (The native
 * String.prototype.isWellFormed where the engine has it: no regular expression on most strings.)
 * @param {string} s
 */
export function loneSurrogate(s) {
  const m = /** @type {any} */ (s).isWellFormed?.() ? null : LONE_SURROGATE.exec(s);
  return m ? (m[1] ?? m[0]) : "";
}

/** What the first bytes of a file that is not JSON text say it is, and what to do. */
const MAGIC = /** @type {const} */ ([
  [[0x1f, 0x8b], 'gzip-compressed data: decompress it first (zlib.gunzipSync in Node, DecompressionStream("gzip") in a browser); the json-models CLI and page read .json.gz themselves'],
  [[0xfd, 0x37, 0x7a, 0x58, 0x5a, 0], 'xz (lzma)-compressed data: decompress it first (xz -d), or write the model with compress="gzip"'],
  [[0x42, 0x5a, 0x68], 'bz2-compressed data: decompress it first (bzip2 -d), or write the model with compress="gzip"'],
  [[0x80], "a pickle file, not JSON: json-models reads only JSON documents (write one with json_models.dump)"],
]);

/**
 * Why `bytes` are not JSON text, by their first bytes (compression, pickle), or undefined.
 * @param {Uint8Array} bytes
 */
export function magicProblem(bytes) {
  // zlib: 0x78 then a header byte whose levels are 1, 2-5, 6 (default) and 7-9; what joblib's compress writes
  if (bytes[0] === 0x78 && [1, 0x5e, 0x9c, 0xda].includes(bytes[1])) return "zlib-compressed data (a joblib file?), not JSON";
  return MAGIC.find(([magic]) => magic.every((b, i) => bytes[i] === b))?.[1];
}

/**
 * Offset of the first ill-formed UTF-8 sequence in `bytes`, which has one: where the first
 * replacement character of a lenient decoding comes from (skipping any U+FFFD written as such).
 * @param {Uint8Array} bytes
 */
function utf8ErrorAt(bytes) {
  const text = new TextDecoder("utf-8", { ignoreBOM: true }).decode(bytes);
  let i = -1;
  let at;
  do at = new TextEncoder().encode(text.slice(0, (i = text.indexOf("\ufffd", i + 1)))).length;
  while (bytes[at] === 0xef && bytes[at + 1] === 0xbf && bytes[at + 2] === 0xbd);
  return at;
}

/**
 * The offset in `text` that JSON.parse's error `message` gives, `text.length` when it says the
 * text ends early, or -1 when it gives no place (V8's "Unexpected token" messages; Safari's
 * messages all).
 * @param {string} message
 * @param {string} text
 */
function placeIn(message, text) {
  // V8: "... in JSON at position 12", newer V8 adds " (line 1 column 13)"; Firefox: "JSON.parse:
  // ... at line 1 column 13 of the JSON data"; at the end, V8 "Unexpected end of JSON input",
  // Safari "Unexpected EOF".
  const position = /at position (\d+)/.exec(message);
  const lineColumn = /line (\d+) column (\d+)/.exec(message);
  if (position) return +position[1];
  if (!lineColumn) return /end of|EOF/i.test(message) ? text.length : -1;
  let pos = 0;
  for (let l = 1; l < +lineColumn[1]; l++) pos = text.indexOf("\n", pos) + 1 || text.length;
  return pos + +lineColumn[2] - 1;
}

/**
 * The offset where `s` stops being JSON text, when V8's message does not say: the length of
 * the longest prefix that JSON.parse does not find wrong before its end, found by bisection (a
 * text wrong at some offset stays wrong there however it goes on). V8 says where, or that a
 * text ends early, for every other error, which is what this needs; and it names the character
 * it did not expect, so only the places of that character are tried (when there are not too
 * many): a few parses where a document holds a NaN, not one per halving of the whole text.
 * @param {string} s
 * @param {string} [token] the unexpected character
 */
function bisect(s, token) {
  /** @type {number[] | null} */
  let at = [];
  for (let i = token ? s.indexOf(token) : -1; i >= 0 && at.length < 1e5; i = s.indexOf(/** @type {string} */ (token), i + 1)) at.push(i);
  if (!at.length || at.length >= 1e5) at = null;
  const place = (/** @type {number} */ k) => (at ? at[k] : k);
  let lo = 0;
  for (let hi = at ? at.length - 1 : s.length - 1; lo < hi; ) {
    const mid = (lo + hi) >> 1;
    const prefix = s.slice(0, place(mid) + 1);
    let wrong = false;
    try {
      JSON.parse(prefix);
    } catch (e) {
      wrong = placeIn(/** @type {Error} */ (e).message, prefix) < prefix.length;
    }
    if (wrong) hi = mid;
    else lo = mid + 1;
  }
  return place(lo);
}

/**
 * The text of UTF-8 `bytes`; `report` (which throws) says why when they are compressed,
 * pickled or not UTF-8 (a byte order mark is dropped).
 * @param {Uint8Array} bytes
 * @param {(message: string) => never} report
 */
function decode(bytes, report) {
  const problem = magicProblem(bytes);
  if (problem) report(problem);
  // (V8 aborts the process, rather than throw, when asked to decode 2 GiB or more.)
  const tooLong = () => report(`${bytes.length} bytes: more than a JavaScript string holds`);
  if (bytes.length >= 2 ** 31) tooLong();
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch (e) {
    if (!(e instanceof TypeError)) tooLong(); // longer than the longest string (2**29 - 24)
    const at = utf8ErrorAt(bytes);
    return report(`not valid UTF-8 at byte ${at} (0x${bytes[at].toString(16)}): a JSON document is UTF-8 text`);
  }
}

/**
 * Parse a JSON document given as text or UTF-8 bytes; when it is not one, call `report` with
 * why (it must throw): `not valid JSON at line L, column C (byte B): <reason>`, with L and C
 * counted from 1 and B the 0-based offset the parser reports, `... the document ends early
 * (is the file truncated?)` at the end of a truncated text, `not valid JSON: the document is
 * empty`, or what compressed, pickled or non-UTF-8 bytes are. (Where the engine says no place
 * and is not V8, as Safari: `not valid JSON: <reason>`.)
 *
 * `strings`, when given, is called with the parsed value when its text may hold a lone
 * surrogate (an escape `\ud800` to `\udfff`, or one as such in a string given): a cheap test
 * of the text spares the walk over the strings of almost every document.
 * @param {string | Uint8Array} input
 * @param {(message: string) => never} report
 * @param {(value: unknown) => void} [strings]
 * @returns {unknown}
 */
export function parseJson(input, report, strings) {
  const text = typeof input === "string" ? input : decode(input, report);
  if (/^[ \t\n\r]*$/.test(text)) report("not valid JSON: the document is empty");
  let value;
  try {
    value = JSON.parse(text);
  } catch (e) {
    if (!(e instanceof SyntaxError)) throw e;
    const n = text.length;
    const m = e.message;
    let pos = placeIn(m, text);
    if (pos < 0 && / is not valid JSON$/.test(m)) pos = bisect(text, /^Unexpected token '(.)'/s.exec(m)?.[1]); // V8 gives no place: search
    pos = Math.min(pos, n);
    const reason = pos === n ? "the document ends early (is the file truncated?)"
      : m.replace(/^JSON[^:]*: | (in JSON )?at (position|line) [^]*|, (\.\.\.)?"[^]*/g, "") || m;
    if (pos < 0) return report(`not valid JSON: ${reason}`); // (Safari says no place)
    let line = 1;
    for (let k = text.indexOf("\n"); k >= 0 && k < pos; k = text.indexOf("\n", k + 1)) line++;
    const column = pos - text.lastIndexOf("\n", pos - 1); // (never a line feed at pos)
    return report(`not valid JSON at line ${line}, column ${column} (byte ${pos}): ${reason}`);
  }
  // (indexOf first: a native scan; orjson and JSON.stringify write no \u escape but for control
  // characters, so the pattern is almost never searched)
  const escaped = text.indexOf("\\u") >= 0 && /\\u[dD][89a-fA-F]/.test(text);
  if (strings && (escaped || loneSurrogate(text))) strings(value);
  return value;
}
