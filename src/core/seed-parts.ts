/**
 * Splits a seed script, line by line, into what runs as SQL, what streams through COPY, and
 * what includes another file, the way psql reads a `pg_dump --data-only` file. Works on any
 * source of lines whose COPY data comes in chunks, so a 200 MB seed never sits in memory whole
 * and its rows are not handled one by one.
 */
import { leadingTriviaLength, scanSql } from "./sql-lexer.js";

export interface ScriptLine {
  text: string;
  line: number;
  newline: boolean;
}

/** Where a script's lines come from (fs/seed-source.ts reads a file; linesSource adapts lines). */
export interface ScriptSource {
  /** The next line, or undefined at the end. */
  nextLine(): ScriptLine | undefined;
  /**
   * Inside a COPY block (after its statement line): the next chunk of whole data lines, each
   * ending in a newline; undefined once the `\.` line (consumed) or the end of the script is reached.
   */
  nextCopyChunk(): Uint8Array | string | undefined;
}

export type SeedPart =
  /** SQL text to send as one simple query; `line` is where it starts in the file. */
  | { kind: "sql"; text: string; line: number }
  /** A COPY ... FROM stdin statement; `data` yields its data in chunks of whole lines, up to (not including) `\.`. */
  | { kind: "copy"; statement: string; line: number; data: Iterable<Uint8Array | string> }
  /** `\i file` or `\ir file`: run that file here. */
  | { kind: "include"; target: string; line: number }
  /** Any other psql meta-command: not supported. */
  | { kind: "meta"; command: string; line: number };

const COPY_FROM_STDIN = /^\s*copy\s[\s\S]*\sfrom\s+stdin\b[^;]*;\s*$/i;

/** A ScriptSource over plain lines: each COPY data line is its own chunk. */
export function linesSource(lines: Iterable<ScriptLine>): ScriptSource {
  const iterator = lines[Symbol.iterator]();
  const nextLine = () => {
    const next = iterator.next();
    return next.done ? undefined : next.value;
  };
  return {
    nextLine,
    nextCopyChunk() {
      const row = nextLine();
      return row === undefined || row.text === "\\." ? undefined : `${row.text}\n`;
    },
  };
}

/**
 * The SQL between COPY blocks is usually small (SET statements, setval calls); it is sent
 * whenever a COPY or an include needs to run after it, and when it grows past `flushBytes` at
 * a statement boundary, so a seed of plain INSERTs also streams.
 */
export function* splitSeedScript(source: ScriptSource, flushBytes = 4 * 1024 * 1024): Generator<SeedPart> {
  let buffer = "";
  let bufferLine = 1;
  const flush = function* (): Generator<SeedPart> {
    if (buffer.trim() !== "") yield { kind: "sql", text: buffer, line: bufferLine };
    buffer = "";
  };
  for (let next = source.nextLine(); next !== undefined; next = source.nextLine()) {
    const { text, line, newline } = next;
    if (buffer === "") bufferLine = line;
    const candidate = text.trimStart().startsWith("\\") || COPY_FROM_STDIN.test(text);
    // Only a line that starts outside any string, comment or dollar quote can be a command.
    if (candidate && !scanSql(buffer).unterminated) {
      const trimmed = text.trim();
      if (trimmed.startsWith("\\")) {
        const [command = "", ...rest] = trimmed.split(/\s+/);
        yield* flush();
        if (command === "\\i" || command === "\\ir" || command === "\\include" || command === "\\include_relative") {
          yield { kind: "include", target: rest.join(" ").replace(/^'(.*)'$/, "$1"), line };
        } else {
          yield { kind: "meta", command, line };
        }
        continue;
      }
      if (endsStatement(buffer)) {
        yield* flush();
        let done = false;
        const pull = (): IteratorResult<Uint8Array | string> => {
          const chunk = done ? undefined : source.nextCopyChunk();
          if (chunk === undefined) done = true;
          return chunk === undefined ? { done: true, value: undefined } : { done: false, value: chunk };
        };
        // No return(): a consumer that stops early leaves the rest here, to be skipped below.
        const data: Iterable<Uint8Array | string> = { [Symbol.iterator]: () => ({ next: pull }) };
        yield { kind: "copy", statement: text.trim(), line, data };
        while (!pull().done); // a consumer that stopped early must not desynchronise the script
        continue;
      }
    }
    buffer += newline ? `${text}\n` : text;
    if (buffer.length > flushBytes && text.trimEnd().endsWith(";") && endsStatement(buffer)) yield* flush();
  }
  yield* flush();
}

/** True when everything in `sql` is complete statements (the last top-level `;` ends it). */
function endsStatement(sql: string): boolean {
  if (sql.trim() === "") return true;
  const scan = scanSql(sql);
  if (scan.unterminated) return false;
  const rest = sql.slice((scan.statementEnds.at(-1) ?? -1) + 1);
  return leadingTriviaLength(rest) === rest.length;
}
