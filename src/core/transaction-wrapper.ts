/**
 * Other tools' files often wrap themselves in `BEGIN; ... COMMIT;` (golang-migrate's own tutorial
 * does): their tool runs the file as written, outside a transaction. dbkit runs the body in its
 * own transaction with the journal row instead, which is what the wrapper asked for.
 */
import { leadingTriviaLength, scanSql } from "./sql-lexer.js";

const OPENING = /^(begin|start\s+transaction)(\s+(work|transaction))?\s*$/i;
const CLOSING = /^(commit|end)(\s+(work|transaction))?\s*$/i;

/**
 * The text with an outer BEGIN and COMMIT blanked out (spaces, so positions and lines stay the
 * file's), or undefined when the file is not wrapped that way.
 */
export function unwrapTransaction(text: string): string | undefined {
  const { statementEnds, unterminated } = scanSql(text);
  if (unterminated) return undefined;
  const statements: { start: number; end: number; body: string }[] = [];
  let start = 0;
  for (const end of [...statementEnds, text.length]) {
    const raw = text.slice(start, end);
    const lead = leadingTriviaLength(raw);
    const body = raw.slice(lead).trim();
    if (body !== "") statements.push({ start: start + lead, end: Math.min(end + 1, text.length), body });
    start = end + 1;
  }
  const first = statements[0];
  const last = statements.at(-1);
  if (!first || !last || first === last || !OPENING.test(first.body) || !CLOSING.test(last.body)) return undefined;
  const blank = (from: number, to: number) => text.slice(from, to).replace(/[^\n]/g, " ");
  return text.slice(0, first.start) + blank(first.start, first.end) + text.slice(first.end, last.start) + blank(last.start, last.end) + text.slice(last.end);
}
