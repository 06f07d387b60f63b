/**
 * COMMIT and ROLLBACK inside PL/pgSQL: a DO block or a procedure may end the transaction it runs
 * in, which Postgres refuses inside dbkit's per-file transaction ("invalid transaction
 * termination"). Found lexically before anything runs, like statement-rules.ts.
 */

import { leadingTriviaLength, scanSql } from "./sql-lexer.js";

const DOLLAR_BODY = /\$([A-Za-z_][A-Za-z0-9_]*)?\$([\s\S]*?)\$\1\$/;
const CONTROL = /(^|[;\s])(commit|rollback)(\s+and\s+(no\s+)?chain)?\s*(;|$)/i;
const PROCEDURE = /^create\s+(or\s+replace\s+)?procedure\s+((?:"[^"]+"|[A-Za-z_][\w$]*)(?:\s*\.\s*(?:"[^"]+"|[A-Za-z_][\w$]*))?)/i;
const CALL = /^call\s+((?:"[^"]+"|[A-Za-z_][\w$]*)(?:\s*\.\s*(?:"[^"]+"|[A-Za-z_][\w$]*))?)\s*\(/i;

/** A COMMIT or ROLLBACK in the dollar-quoted body of `statement`: the word and its offset in the statement. */
export function transactionControlInBody(statement: string): { what: string; offset: number } | undefined {
  const body = DOLLAR_BODY.exec(statement);
  if (!body) return undefined;
  const code = blankCommentsAndStrings(body[2]!);
  const found = CONTROL.exec(code);
  if (!found) return undefined;
  const bodyStart = body.index + body[0].indexOf("$", 1) + 1;
  return { what: found[2]!.toUpperCase(), offset: bodyStart + found.index + found[1]!.length };
}

/** `statement` is a DO block. */
export function isDoBlock(statement: string): boolean {
  return /^do\b/i.test(statement);
}

/** proceduresEndingTransactions over whole files; only files that create a procedure are split. */
export function proceduresEndingTransactionsIn(texts: Iterable<string>): Set<string> {
  const statements: string[] = [];
  for (const text of texts) {
    if (!/create\s+(or\s+replace\s+)?procedure/i.test(text)) continue;
    let start = 0;
    for (const end of [...scanSql(text).statementEnds, text.length]) {
      const raw = text.slice(start, end);
      statements.push(raw.slice(leadingTriviaLength(raw)));
      start = end + 1;
    }
  }
  return proceduresEndingTransactions(statements);
}

/** The names (`name` and `schema.name`, lower case) of procedures whose body commits or rolls back. */
export function proceduresEndingTransactions(statements: Iterable<string>): Set<string> {
  const names = new Set<string>();
  for (const statement of statements) {
    const match = PROCEDURE.exec(statement);
    if (!match || !transactionControlInBody(statement)) continue;
    const name = normaliseName(match[2]!);
    names.add(name);
    names.add(name.split(".").at(-1)!);
  }
  return names;
}

/** The procedure a `CALL` statement calls, normalised like proceduresEndingTransactions. */
export function calledProcedure(statement: string): string | undefined {
  const match = CALL.exec(statement);
  return match ? normaliseName(match[1]!) : undefined;
}

function normaliseName(name: string): string {
  return name
    .split(".")
    .map((part) => part.trim())
    .map((part) => (part.startsWith('"') ? part.slice(1, -1) : part.toLowerCase()))
    .join(".");
}

/** Comments and string literals replaced by spaces: `raise notice 'commit;'` is not a COMMIT. */
function blankCommentsAndStrings(code: string): string {
  return code.replace(/--[^\n]*|\/\*[\s\S]*?\*\/|'(?:[^']|'')*'/g, (match) => match.replace(/[^\n]/g, " "));
}
