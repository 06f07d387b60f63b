/**
 * Other tools' files often wrap themselves, or parts of themselves, in `BEGIN; ... COMMIT;`:
 * golang-migrate's own tutorial wraps the whole file, and `prisma migrate dev` writes a block for
 * each enum it recreates (`-- AlterEnum` `BEGIN; CREATE TYPE "Role_new" ...; COMMIT;`) among the
 * file's other statements. Their tool sends the file as one query, where those blocks run in
 * order. dbkit runs the whole file in its own transaction with the journal row instead: every
 * statement still runs, in order, and a failure leaves nothing behind.
 */
import { topLevelStatements } from "./sql-lexer.js";

const OPENING = /^(begin|start\s+transaction)(\s+(work|transaction))?\s*$/i;
const CLOSING = /^(commit|end)(\s+(work|transaction))?\s*$/i;

/**
 * The text with each top-level BEGIN and its COMMIT blanked out (spaces, so positions and lines
 * stay the file's), or undefined when the file has no such block, or has transaction control that
 * is not a plain sequence of BEGIN ... COMMIT blocks (a nested BEGIN, a COMMIT without one, a
 * block left open): those are refused as they are, with file and line.
 */
export function unwrapTransaction(text: string): string | undefined {
  const { statements, unterminated } = topLevelStatements(text);
  if (unterminated) return undefined;
  const blanked: { start: number; end: number }[] = [];
  let open = false;
  for (const statement of statements) {
    if (OPENING.test(statement.body)) {
      if (open) return undefined;
      open = true;
      blanked.push(statement);
    } else if (CLOSING.test(statement.body)) {
      if (!open) return undefined;
      open = false;
      blanked.push(statement);
    }
  }
  if (open || blanked.length === 0) return undefined;
  let result = "";
  let from = 0;
  for (const { start, end } of blanked) {
    result += text.slice(from, start) + text.slice(start, end).replace(/[^\n]/g, " ");
    from = end;
  }
  return result + text.slice(from);
}

/**
 * Whether the file sets the characteristics of its own transaction (`SET TRANSACTION ISOLATION
 * LEVEL REPEATABLE READ` after its BEGIN, `BEGIN ISOLATION LEVEL ...`): that must be the
 * transaction's first statement, which it cannot be inside dbkit's, where the lock and the
 * journal's check come first. Such a file runs as its own tool runs it, its BEGIN and COMMIT in charge.
 */
export function setsItsOwnTransaction(text: string): boolean {
  if (!/\btransaction\b|\bbegin\s+(isolation|read|not|deferrable)/i.test(text)) return false;
  const { statements, unterminated } = topLevelStatements(text);
  return !unterminated && statements.some(({ body }) => OWN_CHARACTERISTICS.test(body));
}

const OWN_CHARACTERISTICS = /^(set\s+transaction\s|(begin|start\s+transaction)(\s+(work|transaction))?\s+(isolation|read|not|deferrable)\b)/i;
