/**
 * Where a failure without a server position happened. Postgres gives no position for errors
 * raised while a statement executes (`extension "vector" is not available`, `role "x" does not
 * exist`, `column "c" of relation "t" already exists`), but it names the objects: the statement
 * that failed is the one of the file, split with psql's rules, that names them all.
 */
import { leadingTriviaLength, scanSql } from "./sql-lexer.js";
import { locationOfOffset, type SqlLocation } from "./sql-position.js";

/** SQLSTATEs of "already exists": the object was made by an earlier statement naming it too. */
const ALREADY_EXISTS = new Set(["42710", "42P07", "42701", "42P06", "42723", "42P04", "42712", "42P16"]);

export function locateFailedStatement(text: string, message: string, sqlstate: string): SqlLocation | undefined {
  const names = [...message.matchAll(/"([^"]+)"/g)].map((match) => match[1]!);
  const patterns = names.map(namePattern);
  const { statementEnds, unterminated } = scanSql(text);
  if (unterminated) return undefined;
  const candidates: number[] = [];
  const creating: number[] = [];
  const starts: number[] = [];
  let start = 0;
  for (const end of [...statementEnds, text.length]) {
    const raw = text.slice(start, end);
    const statementStart = start + leadingTriviaLength(raw);
    const statement = withoutComments(text.slice(statementStart, end));
    if (statement.trim() !== "") {
      starts.push(statementStart);
      if (names.length > 0 && patterns.every((pattern) => pattern.test(statement))) {
        candidates.push(statementStart);
        if (CREATES.test(statement)) creating.push(statementStart);
      }
    }
    start = end + 1;
  }
  // A file of one statement: that statement, whatever the message names.
  if (starts.length === 1) return locationOfOffset(text, starts[0]!);
  // "Already exists" is raised by a statement that makes something (not by a GRANT naming the
  // object); with two of them naming it, the first made it and the second failed.
  const makers = ALREADY_EXISTS.has(sqlstate) && creating.length > 0 ? creating : candidates;
  const offset = ALREADY_EXISTS.has(sqlstate) && makers.length > 1 ? makers[1] : makers[0];
  return offset === undefined ? undefined : locationOfOffset(text, offset);
}

/** A statement that can make an object: CREATE ..., or ALTER ... ADD / RENAME. */
const CREATES = /^\s*(create\b|alter\b[\s\S]*\b(add|rename)\b)/i;

/** The name as an identifier: quoted exactly, or unquoted in any letter case. */
function namePattern(name: string): RegExp {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const quoted = name.replace(/"/g, '""').replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return new RegExp(`"${quoted}"|(^|[^\\w$"])${escaped}($|[^\\w$"])|'${escaped}'`, "i");
}

function withoutComments(statement: string): string {
  return statement.replace(/--[^\n]*|\/\*[\s\S]*?\*\//g, " ");
}
