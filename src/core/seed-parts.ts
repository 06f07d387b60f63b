/**
 * Splits a seed script, line by line, into what runs as SQL, what streams through COPY, and
 * what includes another file, the way psql reads a `pg_dump --data-only` file. Works on any
 * async sequence of lines, so a 200 MB seed never sits in memory whole.
 */
import { leadingTriviaLength, scanSql } from "./sql-lexer.js";

export interface ScriptLine {
  text: string;
  line: number;
  newline: boolean;
}

export type SeedPart =
  /** SQL text to send as one simple query; `line` is where it starts in the file. */
  | { kind: "sql"; text: string; line: number }
  /** A COPY ... FROM stdin statement; `data` yields its data lines up to (not including) `\.`. */
  | { kind: "copy"; statement: string; line: number; data: AsyncIterable<string> }
  /** `\i file` or `\ir file`: run that file here. */
  | { kind: "include"; target: string; line: number }
  /** Any other psql meta-command: not supported. */
  | { kind: "meta"; command: string; line: number };

const COPY_FROM_STDIN = /^\s*copy\s[\s\S]*\sfrom\s+stdin\b[^;]*;\s*$/i;

/**
 * The SQL between COPY blocks is usually small (SET statements, setval calls); it is sent
 * whenever a COPY or an include needs to run after it, and when it grows past `flushBytes` at
 * a statement boundary, so a seed of plain INSERTs also streams.
 */
export async function* splitSeedScript(lines: AsyncIterable<ScriptLine>, flushBytes = 4 * 1024 * 1024): AsyncGenerator<SeedPart> {
  const iterator = lines[Symbol.asyncIterator]();
  let buffer = "";
  let bufferLine = 1;
  const flush = function* (): Generator<SeedPart> {
    if (buffer.trim() !== "") yield { kind: "sql", text: buffer, line: bufferLine };
    buffer = "";
  };
  for (;;) {
    const next = await iterator.next();
    if (next.done) break;
    const { text, line, newline } = next.value;
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
        let consumed = false;
        const data: AsyncIterable<string> = {
          [Symbol.asyncIterator]: () => ({
            next: async (): Promise<IteratorResult<string>> => {
              if (done) return { done: true, value: undefined };
              consumed = true;
              const row = await iterator.next();
              if (row.done || row.value.text === "\\.") {
                done = true;
                return { done: true, value: undefined };
              }
              return { done: false, value: row.value.text };
            },
          }),
        };
        yield { kind: "copy", statement: text.trim(), line, data };
        if (!consumed || !done) for await (const _ of data) void _; // a consumer that stopped early must not desynchronise the script
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
