import { isUtf8 } from "node:buffer";
import crypto from "node:crypto";

/** Why a file's bytes cannot be used as SQL text. */
export type DecodeProblem =
  | { kind: "utf16" }
  | { kind: "invalid-utf8"; line: number; byteOffset: number }
  | { kind: "nul-byte"; line: number };

export type DecodeResult = { ok: true; text: string; hadBom: boolean } | { ok: false; problem: DecodeProblem };

/**
 * Turns a file's bytes into the SQL text dbkit runs: UTF-8 only, BOM stripped, CRLF and lone CR
 * normalised to LF so a Windows checkout applies exactly the same SQL and checksum.
 */
export function decodeSqlBytes(bytes: Uint8Array): DecodeResult {
  if (looksLikeUtf16(bytes)) return { ok: false, problem: { kind: "utf16" } };
  const hadBom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  const body = hadBom ? bytes.subarray(3) : bytes;
  // isUtf8 is native; the byte-by-byte scan runs only to locate the error in a bad file.
  const invalidAt = isUtf8(body) ? -1 : findInvalidUtf8(body);
  if (invalidAt !== -1) {
    return { ok: false, problem: { kind: "invalid-utf8", byteOffset: invalidAt, line: lineAtByte(body, invalidAt) } };
  }
  const nulAt = body.indexOf(0);
  if (nulAt !== -1) return { ok: false, problem: { kind: "nul-byte", line: lineAtByte(body, nulAt) } };
  const text = UTF8.decode(body);
  return { ok: true, text: normaliseLineEndings(text), hadBom };
}

const UTF8 = new TextDecoder("utf-8");

/** CRLF and lone CR become LF. */
export function normaliseLineEndings(text: string): string {
  return text.includes("\r") ? text.replace(/\r\n?/g, "\n") : text;
}

/**
 * The fast path for text already decoded as UTF-8 by the runtime (which turns bad bytes into
 * U+FFFD): usable as is when there is no replacement character, NUL or BOM; anything else goes
 * through decodeSqlBytes on the raw bytes, which says exactly what is wrong and where.
 */
export function cleanUtf8Text(text: string): string | undefined {
  if (text.charCodeAt(0) === 0xfeff || text.includes("\ufffd") || text.includes("\0")) return undefined;
  return normaliseLineEndings(text);
}

type OneShotHash = (algorithm: string, data: string, encoding: "hex") => string;
/**
 * crypto.hash (Node 20.12+) hashes in one call without a Hash object per file. Looked up on the
 * first checksum, not at load: the bundle loads node:crypto on first use (scripts/bundle.mjs).
 */
let oneShotHash: OneShotHash | null | undefined;

/** sha256 (hex) of the normalised text: the checksum recorded in the journal. */
export function checksumOf(normalisedText: string): string {
  oneShotHash ??= (crypto as { hash?: OneShotHash }).hash ?? null;
  return oneShotHash ? oneShotHash("sha256", normalisedText, "hex") : crypto.createHash("sha256").update(normalisedText, "utf8").digest("hex");
}

function looksLikeUtf16(bytes: Uint8Array): boolean {
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) return true;
  // Without a BOM, UTF-16 text of mostly ASCII has a NUL in every other byte.
  const sample = bytes.subarray(0, 200);
  if (sample.length < 4) return false;
  let nuls = 0;
  for (let i = 0; i < sample.length; i++) if (sample[i] === 0) nuls++;
  return nuls >= sample.length / 4;
}

function lineAtByte(bytes: Uint8Array, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset; i++) if (bytes[i] === 0x0a) line++;
  return line;
}

/** Offset of the first byte that is not part of a valid UTF-8 sequence, or -1. */
function findInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let min: number;
    if (b >= 0xc2 && b <= 0xdf) [need, min] = [1, 0x80];
    else if (b >= 0xe0 && b <= 0xef) [need, min] = [2, 0x800];
    else if (b >= 0xf0 && b <= 0xf4) [need, min] = [3, 0x10000];
    else return i;
    let cp = b & (0x3f >> need);
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (c & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += need + 1;
  }
  return -1;
}
