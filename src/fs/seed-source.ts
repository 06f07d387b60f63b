/**
 * A seed file as a ScriptSource, read once in large blocks: SQL lines are decoded and checked
 * with the rules of decodeSqlBytes (UTF-8 only, BOM stripped, CRLF and lone CR as line ends, no
 * NUL); COPY data is handed on as raw blocks of whole lines, found with native byte searches, for
 * the server to check as it does psql's. Everything read goes into `hash` as normalised text, the
 * checksum the journal records. Synchronous reads: the file is read between sends anyway, and a
 * seed's checksum can then be worked out where it is first asked for.
 */
import { closeSync, openSync, readSync } from "node:fs";
import type { Hash } from "node:crypto";
import type { ScriptLine, ScriptSource } from "../core/seed-parts.js";
import { MigrationFileError } from "../errors.js";
import { fileAccessError } from "./file-errors.js";

const BLOCK = 1024 * 1024;
const LF = 10;
const CR = 13;
const TERMINATOR = Buffer.from("\n\\.");

export interface FileSource extends ScriptSource {
  close(): void;
}

/** `block`: bytes read at a time (tests make it tiny to cross every boundary). */
export function fileSource(filePath: string, shown: string, hash?: Hash, block = BLOCK): FileSource {
  const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
  let fd: number | undefined = access(() => openSync(filePath, "r"));
  let data = Buffer.alloc(0);
  let start = 0;
  let eof = false;
  let first = true;
  let line = 1;
  const queued: ScriptLine[] = [];

  const fail = (what: string, hint: string): never => {
    throw new MigrationFileError("DBKIT_FILE_ENCODING", `${shown}:${line}: ${what}`, { hint, details: { file: shown, line } });
  };
  function access<T>(read: () => T): T {
    try {
      return read();
    } catch (error) {
      throw fileAccessError(error, shown, "file") ?? error;
    }
  }
  const close = () => {
    if (fd !== undefined) closeSync(fd);
    fd = undefined;
  };

  /** Reads the next block behind what is left; a fresh buffer each time, since blocks handed out stay in use. */
  function fill(): boolean {
    if (eof || fd === undefined) return false;
    const left = data.length - start;
    const next = Buffer.allocUnsafe(Math.max(block, left * 2, 3));
    data.copy(next, 0, start);
    let length = left;
    // The first read takes at least the three bytes that tell a BOM or UTF-16.
    do {
      const read = access(() => readSync(fd!, next, length, next.length - length, null));
      if (read === 0) eof = true;
      length += read;
    } while (first && !eof && length < 3);
    data = next.subarray(0, length);
    start = 0;
    if (eof) close();
    if (length === left) return false;
    if (first) {
      first = false;
      if ((data[0] === 0xff && data[1] === 0xfe) || (data[0] === 0xfe && data[1] === 0xff)) fail("the file is UTF-16; dbkit reads SQL files as UTF-8", "save the file as UTF-8");
      if (data[0] === 0xef && data[1] === 0xbb && data[2] === 0xbf) start = 3;
    }
    return true;
  }

  function decodeLine(bytes: Buffer, newline: boolean): ScriptLine {
    let text: string;
    try {
      text = decoder.decode(bytes);
    } catch {
      return fail("invalid UTF-8", "save the file as UTF-8; it may be in a legacy encoding such as Latin-1");
    }
    if (text.includes("\u0000")) fail("the file contains a NUL byte, which Postgres cannot accept in SQL text", "remove the NUL byte");
    if (text.endsWith("\r")) {
      text = text.slice(0, -1);
      newline = true;
    }
    // A lone CR ends a line too (old Mac line endings).
    const [head = "", ...more] = text.includes("\r") ? text.split("\r") : [text];
    for (const [index, piece] of more.entries()) queued.push({ text: piece, line: line + index + 1, newline: index < more.length - 1 || newline });
    hash?.update(newline || more.length > 0 ? `${head}\n` : head);
    for (const piece of queued) hash?.update(piece.newline ? `${piece.text}\n` : piece.text);
    const result = { text: head, line, newline: newline || more.length > 0 };
    line += 1 + more.length;
    return result;
  }

  /** A block of COPY data as the server gets it: CRLF and CR made LF (rare: then copied), hashed, its lines counted. */
  function emit(block: Buffer): Buffer {
    const normalised = block.includes(CR) ? withLfEndings(block) : block;
    hash?.update(normalised);
    for (let at = normalised.indexOf(LF); at !== -1; at = normalised.indexOf(LF, at + 1)) line++;
    return normalised;
  }

  return {
    close,
    nextLine() {
      const waiting = queued.shift();
      if (waiting) return waiting;
      if (first) fill();
      for (;;) {
        const at = data.indexOf(LF, start);
        if (at !== -1) {
          const bytes = data.subarray(start, at);
          start = at + 1;
          return decodeLine(bytes, true);
        }
        if (fill()) continue;
        if (start >= data.length) return undefined;
        const bytes = data.subarray(start);
        start = data.length;
        return decodeLine(bytes, false);
      }
    },
    nextCopyChunk() {
      // Lines split at lone CRs were decoded (and hashed) already: their rows are served first.
      const waiting = queued.shift();
      if (waiting) return waiting.text === "\\." ? undefined : `${waiting.text}\n`;
      for (;;) {
        const found = findTerminator();
        if (found && found.at > start) {
          const block = data.subarray(start, found.at);
          start = found.at;
          return emit(block);
        }
        if (found?.after !== undefined) {
          hash?.update(found.after > found.at + 2 ? "\\.\n" : "\\.");
          line++;
          start = found.after;
          return undefined;
        }
        if (found) {
          fill(); // the `\.` line's end is in the next block
          continue;
        }
        // No `\.` line in the buffer: hand on the whole lines, keep the partial last one.
        const lastLf = data.lastIndexOf(LF);
        if (lastLf >= start) {
          const block = data.subarray(start, lastLf + 1);
          start = lastLf + 1;
          return emit(block);
        }
        if (fill()) continue;
        if (start >= data.length) return undefined; // the end of the file ends COPY, as in psql
        // A last data line without a newline: the server needs one.
        const rest = data.subarray(start);
        start = data.length;
        hash?.update(rest);
        line++;
        return Buffer.concat([rest, Buffer.from("\n")]);
      }
    },
  };

  /**
   * The next `\.` line at or after `start` (always a line start inside COPY data): where it is,
   * and where its line ends (undefined when the buffer ends before that can be told).
   */
  function findTerminator(): { at: number; after?: number } | undefined {
    let at = data[start] === 0x5c && data[start + 1] === 0x2e ? start : nextCandidate(start);
    while (at !== undefined) {
      const end = at + 2;
      if (end >= data.length) return eof ? { at, after: data.length } : { at };
      if (data[end] === LF) return { at, after: end + 1 };
      if (data[end] === CR) {
        if (end + 1 >= data.length) return eof ? { at, after: data.length } : { at };
        return { at, after: data[end + 1] === LF ? end + 2 : end + 1 };
      }
      at = nextCandidate(at);
    }
    return undefined;
  }

  function nextCandidate(from: number): number | undefined {
    const found = data.indexOf(TERMINATOR, from);
    return found === -1 ? undefined : found + 1;
  }
}

function withLfEndings(block: Buffer): Buffer {
  const out = Buffer.allocUnsafe(block.length);
  let length = 0;
  for (let i = 0; i < block.length; i++) {
    const byte = block[i]!;
    if (byte !== CR) out[length++] = byte;
    else if (block[i + 1] !== LF) out[length++] = LF;
  }
  return out.subarray(0, length);
}
