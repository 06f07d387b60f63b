import { parseStatements } from "../../src/sql/parse-sql.js";

/** Statements of `sql` with the real parser; a syntax error fails the test. */
export async function statements(sql: string) {
  if (!sql.trim()) return [];
  const parsed = await parseStatements(sql);
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.statements;
}
