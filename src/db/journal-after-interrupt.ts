/**
 * After an interrupt, what the journal holds, read on a fresh connection (the run's own is closed
 * by then, and the server has rolled back what it had not committed): the interrupted run's
 * message says what happened from this, not from what the run had printed so far.
 */
import type postgres from "postgres";
import { journalTable } from "./journal-sql.js";

/** Name to status of every migration and seed row; "unreachable" when the database cannot be read now. */
export type JournalAfterInterrupt = Map<string, string> | "unreachable";

export async function readJournalAfterInterrupt(open: () => postgres.Sql, journalSchema: string, timeoutMs = 5000): Promise<JournalAfterInterrupt> {
  const sql = open();
  let timer: NodeJS.Timeout | undefined;
  try {
    const read = sql.unsafe<{ name: string; status: string }[]>(
      `select name, status from ${journalTable(journalSchema)} where to_regclass($1) is not null`,
      [journalTable(journalSchema)],
    );
    const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error("timeout")), timeoutMs)));
    const rows = await Promise.race([read, timeout]);
    return new Map(rows.map((row) => [row.name, row.status]));
  } catch (error) {
    // No journal table yet: nothing was recorded.
    if ((error as { code?: string }).code === "42P01") return new Map();
    return "unreachable";
  } finally {
    clearTimeout(timer);
    await sql.end({ timeout: 0 }).catch(() => undefined);
  }
}
