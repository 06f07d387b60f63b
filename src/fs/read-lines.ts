/**
 * Streams a SQL file as lines, with the same rules as decodeSqlBytes (UTF-8 only, BOM stripped,
 * CRLF and lone CR as line ends) but in constant memory: seed files may be hundreds of MB.
 */
import { createReadStream } from "node:fs";
import { MigrationFileError } from "../errors.js";
import { fileAccessError } from "./file-errors.js";

export interface SourceLine {
  text: string;
  /** 1-based line number. */
  line: number;
  /** False only for a last line without a line ending. */
  newline: boolean;
}

export async function* readLines(filePath: string, shownPath: string): AsyncGenerator<SourceLine> {
  const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });
  let pending = "";
  let line = 1;
  let first = true;
  const fail = (what: string, hint: string): never => {
    throw new MigrationFileError("DBKIT_FILE_ENCODING", `${shownPath}:${line}: ${what}`, { hint, details: { file: shownPath, line } });
  };
  for await (const chunk of chunksOf(filePath, shownPath)) {
    const bytes = chunk as Buffer;
    if (first) {
      first = false;
      if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) fail("the file is UTF-16; dbkit reads SQL files as UTF-8", "save the file as UTF-8");
    }
    let text: string;
    try {
      text = decoder.decode(bytes, { stream: true });
    } catch {
      return fail("invalid UTF-8", "save the file as UTF-8; it may be in a legacy encoding such as Latin-1");
    }
    pending += text;
    let start = 0;
    for (let i = 0; i < pending.length; i++) {
      const c = pending.charCodeAt(i);
      if (c === 0) fail("the file contains a NUL byte, which Postgres cannot accept in SQL text", "remove the NUL byte");
      if (c !== 10 && c !== 13) continue;
      // A CR at the very end of the buffer may be the first half of a CRLF split across chunks.
      if (c === 13 && i === pending.length - 1) break;
      yield { text: pending.slice(start, i), line: line++, newline: true };
      if (c === 13 && pending.charCodeAt(i + 1) === 10) i++;
      start = i + 1;
    }
    pending = pending.slice(start);
  }
  try {
    pending += decoder.decode();
  } catch {
    fail("invalid UTF-8 at the end of the file", "save the file as UTF-8");
  }
  if (pending.endsWith("\r")) {
    yield { text: pending.slice(0, -1), line: line++, newline: true };
  } else if (pending.length > 0) {
    if (pending.includes("\u0000")) fail("the file contains a NUL byte, which Postgres cannot accept in SQL text", "remove the NUL byte");
    yield { text: pending, line, newline: false };
  }
}

/** The file's bytes in chunks; a folder or an unreadable file is a usage error naming the path. */
async function* chunksOf(filePath: string, shownPath: string): AsyncGenerator<Buffer> {
  try {
    for await (const chunk of createReadStream(filePath, { highWaterMark: 256 * 1024 })) yield chunk as Buffer;
  } catch (error) {
    throw fileAccessError(error, shownPath, "file") ?? error;
  }
}
