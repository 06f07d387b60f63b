/**
 * The real Postgres grammar (libpg_query, compiled to WebAssembly): statement splitting for
 * no-transaction files, and the statement trees verify and reset read their scope from. Loaded
 * lazily: `migrate` of transactional files never pays for it.
 */
import { leadingTriviaLength } from "../core/sql-lexer.js";
import { locationOfOffset, type SqlLocation } from "../core/sql-position.js";

export interface SqlStatement {
  /** The statement's text, leading comments included. */
  text: string;
  /** 1-based line where the statement's own text starts in the file. */
  line: number;
  /** JavaScript string offset of `text` in the file. */
  offset: number;
  /** The node type, e.g. `IndexStmt`, `TransactionStmt`. */
  kind: string;
  node: Record<string, unknown>;
}

export type ParseResult = { ok: true; statements: SqlStatement[] } | { ok: false; message: string; location: SqlLocation };

type LibPgQuery = typeof import("libpg-query");
let loaded: Promise<LibPgQuery> | undefined;
let baselineCompilerOnly = false;

/**
 * For the CLI, which owns its process: the parser's WebAssembly is compiled by V8's baseline
 * compiler only (Liftoff). V8 otherwise recompiles the parser's hottest functions (a very large
 * generated parser loop) with its optimising compiler in the background: 0.3 s of CPU, which on a
 * 2-core machine held up the file operations right after for a second or more, and the optimised
 * code did not even make a 1 MB parse faster. A process-wide V8 setting, so a library user opts in.
 */
export function compileParserWithBaselineOnly(): void {
  baselineCompilerOnly = true;
}

async function parser(): Promise<LibPgQuery> {
  loaded ??= (async () => {
    const v8 = baselineCompilerOnly ? await import("node:v8") : undefined;
    v8?.setFlagsFromString("--liftoff-only");
    const module = await import("libpg-query");
    try {
      await module.loadModule();
    } catch (error) {
      // A platform where the baseline compiler cannot compile the module: with the optimising one, as by default.
      if (!v8) throw error;
      v8.setFlagsFromString("--no-liftoff-only");
      await module.loadModule();
    }
    return module;
  })();
  return loaded;
}

/** Parses a whole file; on a syntax error returns the parser's message and location. */
export async function parseStatements(text: string): Promise<ParseResult> {
  const pg = await parser();
  let tree: { stmts?: { stmt: Record<string, Record<string, unknown>>; stmt_location?: number; stmt_len?: number }[] };
  try {
    tree = pg.parseSync(text);
  } catch (error) {
    const details = (error as { sqlDetails?: { message?: string; cursorPosition?: number } }).sqlDetails;
    const message = details?.message ?? (error as Error).message;
    return { ok: false, message, location: locationOfOffset(text, details?.cursorPosition ?? 0) };
  }
  // Statement locations are UTF-8 byte offsets: slice the bytes, then map back to string offsets.
  // One cursor walks the file forward (statements come in order), so a file is crossed once:
  // converting each offset and line from the start made a 575 KB file take 13 s.
  const bytes = Buffer.from(text, "utf8");
  const cursor = forwardCursor(text, bytes);
  const statements: SqlStatement[] = [];
  for (const raw of tree.stmts ?? []) {
    const start = raw.stmt_location ?? 0;
    const end = raw.stmt_len ? start + raw.stmt_len : bytes.length;
    const statementText = bytes.subarray(start, end).toString("utf8");
    const offset = cursor.offsetOfByte(start);
    // The line shown is where the statement itself starts, after comments that precede it.
    const leading = leadingTriviaLength(statementText);
    const [kind, node] = Object.entries(raw.stmt)[0] ?? ["Unknown", {}];
    statements.push({ text: statementText, offset, line: cursor.lineOfOffset(offset + leading), kind, node });
  }
  return { ok: true, statements };
}

/**
 * Byte offset to string offset, and string offset to line, for positions that only move forward
 * (a position behind the cursor starts again from the top, correct if slower).
 */
function forwardCursor(text: string, bytes: Buffer): { offsetOfByte(byte: number): number; lineOfOffset(offset: number): number } {
  const ascii = bytes.length === text.length;
  let byteAt = 0;
  let offsetAt = 0;
  let lineOffset = 0;
  let line = 1;
  return {
    offsetOfByte(byte) {
      if (ascii) return byte;
      if (byte < byteAt) byteAt = offsetAt = 0;
      offsetAt += bytes.toString("utf8", byteAt, byte).length;
      byteAt = byte;
      return offsetAt;
    },
    lineOfOffset(offset) {
      if (offset < lineOffset) {
        lineOffset = 0;
        line = 1;
      }
      for (let k = text.indexOf("\n", lineOffset); k !== -1 && k < offset; k = text.indexOf("\n", k + 1)) line++;
      lineOffset = offset;
      return line;
    },
  };
}
