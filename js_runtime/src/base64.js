// @ts-check
/**
 * Standard padded base64 (RFC 4648 section 4), decoded strictly and fast, with no `Buffer`
 * (browsers have none): the bytes of a binary array.
 * @module
 */
import { fail } from "./errors.js";

/** Value of each base64 character (RFC 4648 section 4) by byte, -1 for any other byte. */
const B64 = new Int8Array(256).fill(-1);
for (let i = 0; i < 64; i++) B64["ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".charCodeAt(i)] = i;

/**
 * Number of bytes that base64 `text` holds; throws unless its length is a multiple of 4.
 * @param {string} text
 * @param {string} pointer
 */
export function base64Size(text, pointer) {
  if (text.length % 4 !== 0) fail(pointer, "expected standard padded base64 text (length not a multiple of 4)");
  return (text.length / 4) * 3 - (text.endsWith("==") ? 2 : text.endsWith("=") ? 1 : 0);
}

/** Base64 text is turned into bytes this many characters at a time (a multiple of 4). */
const CHUNK = 1 << 16;
const CHARS = new Uint8Array(CHUNK);
const ENCODER = new TextEncoder();

/**
 * Decode standard padded base64 (RFC 4648 section 4: `+`, `/`, `=` padding, no whitespace) to
 * bytes, into `out` when given (of at least the decoded size). A table decoder over the text's
 * UTF-8 bytes, taken a chunk at a time: no `Buffer` (browsers have none), stricter than `atob`
 * (which accepts whitespace and missing padding), faster than `atob` or `charCodeAt` loops, and
 * no copy of the whole text.
 * @param {string} text
 * @param {string} pointer
 * @param {Uint8Array} [out]
 */
export function decodeBase64(text, pointer, out) {
  const n = base64Size(text, pointer);
  const bytes = out ?? new Uint8Array(n);
  const len = text.length;
  for (let start = 0, j = 0; start < len; start += CHUNK) {
    const { read, written } = ENCODER.encodeInto(text.slice(start, start + CHUNK), CHARS);
    if (written !== Math.min(CHUNK, len - start) || read !== written) {
      fail(pointer, "expected standard padded base64 text (non-ASCII character)"); // it takes 2 or more bytes
    }
    // "A" (0) in place of the padding, whose bits are dropped
    if (start + written === len && n % 3) CHARS[written - 1] = CHARS[written - 3 + (n % 3)] = 65;
    for (let i = 0; i < written; i += 4) {
      const a = B64[CHARS[i]];
      const b = B64[CHARS[i + 1]];
      const c = B64[CHARS[i + 2]];
      const d = B64[CHARS[i + 3]];
      if ((a | b | c | d) < 0) {
        fail(pointer, `expected standard padded base64 text (bad character in ${JSON.stringify(text.slice(start + i, start + i + 4))})`);
      }
      const v = (a << 18) | (b << 12) | (c << 6) | d;
      if (j + 3 <= n) {
        bytes[j] = v >> 16;
        bytes[j + 1] = v >> 8;
        bytes[j + 2] = v;
        j += 3;
      } else {
        bytes[j++] = v >> 16;
        if (j < n) bytes[j++] = v >> 8;
      }
    }
  }
  return bytes;
}
