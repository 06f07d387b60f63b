/** The project's session settings tried once, in a transaction rolled back, before anything runs. */
import type postgres from "postgres";
import { sessionSettingsSql } from "../core/session-settings.js";
import { UsageError } from "../errors.js";

export async function checkSessionSettings(sql: postgres.Sql, settings: Readonly<Record<string, string>>): Promise<void> {
  const statement = sessionSettingsSql(settings, true);
  if (!statement) return;
  try {
    await sql.begin(async (tx) => {
      await tx.unsafe(statement).simple();
      throw ROLLBACK;
    });
  } catch (error) {
    if (error === ROLLBACK) return;
    const code = (error as { code?: string }).code ?? "";
    // 42704: unrecognized parameter; 22023 / 22P02: invalid value; 55P02 / 42501: cannot be set in a session.
    if (!["42704", "22023", "22P02", "55P02", "42501"].includes(code)) throw error;
    const message = (error as Error).message;
    throw new UsageError("DBKIT_SESSION_SETTING", `a session setting was refused: ${message}`, {
      hint: "fix sessionSettings in dbkit.config.json or the options=-c name=value of the database URL",
      cause: error,
    });
  }
}

const ROLLBACK = new Error("rollback");
