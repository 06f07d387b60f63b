/**
 * A no-transaction file (CREATE INDEX CONCURRENTLY, ALTER TYPE ... ADD VALUE), statement by
 * statement: a `running` row first, `applied` after the last statement, `failed` (with the
 * statement and line) when one fails. A crash leaves `running`, which blocks until resolved.
 */
import { performance } from "node:perf_hooks";
import type { MigrationFile } from "../core/types.js";
import type { ApplyOptions, ApplyOutcome } from "../engine/ports.js";
import { ConnectionError, type DbkitError } from "../errors.js";
import type { SqlStatement } from "../sql/parse-sql.js";
import { insertRow, lockAndReread, sessionSettings } from "./apply-sql.js";
import { retryOnLockTimeout } from "./lock-retry.js";
import { claimRow } from "./running-owner.js";
import { retryWhileRunnerAtWork } from "./runner-at-work.js";
import { migrationErrorFor } from "./migration-errors.js";
import type { Session } from "./session.js";
import { waitForLock } from "./wait-for-lock.js";

export async function applyWithoutTransaction(session: Session, file: MigrationFile, statements: SqlStatement[], options: ApplyOptions): Promise<ApplyOutcome> {
  const { sql } = session;
  let lost = false;
  // A session lock held for the whole file makes concurrent runners wait rather than see the
  // `running` row; it is released on disconnect, so a crash leaves `running` for resolve. Behind a
  // pooler the unlock may reach another server session than the lock, which would keep it for
  // good and stop every later file: there the `running` row alone keeps runners apart (a runner
  // that meets it waits while its owner's session lives, see runner-at-work.ts). Its owner is then
  // the run lock's own connection, which lives exactly as long as this runner's.
  const sessionLock = !session.pooled;
  if (sessionLock) await session.run(() => waitForLock(() => sql.unsafe<{ locked: boolean }[]>(`select pg_try_advisory_lock(${session.lockKey}) as locked`), options.onWait));
  try {
    const claimed = await retryWhileRunnerAtWork(
      session,
      () =>
        session.run(() =>
          session.transaction("isolation level read committed", async (tx) => {
            if (await lockAndReread(session, tx, file.name, options)) return false;
            await insertRow(session, tx, file, "running", null, options.dbkitVersion, null);
            await claimRow(tx, session.table, file.name, session.runOwnerPid);
            return true;
          }),
        ),
      options.onWait,
    );
    if (!claimed) return { kind: "skipped" };
    const started = performance.now();
    await session.run(() => sql.unsafe(sessionSettings(options, "session")).simple());
    for (const [index, statement] of statements.entries()) {
      try {
        await retryOnLockTimeout(session.monitor, session.backendPid, `${file.name} statement ${index + 1}`, options, async () => {
          try {
            await session.orLost(session.track(sql.unsafe(statement.text).simple()));
          } catch (error) {
            throw migrationErrorFor(error, file, session.target, { statement: { text: statement.text, offset: statement.offset, index: index + 1 } });
          }
        });
      } catch (failure) {
        // With the connection gone, what is known is what this run recorded: the row says running.
        // Nothing more is sent (a new connection would record a guess); the session's end
        // releases the session lock.
        if ((failure as DbkitError).code === "DBKIT_CONNECTION_LOST") {
          lost = true;
          throw lostDuring(failure as DbkitError, file, index + 1, statements.length);
        }
        await recordFailure(session, file, index + 1, statement.line, failure as DbkitError);
        throw failure;
      }
    }
    const executionMs = Math.round(performance.now() - started);
    await session.run(() => sql.unsafe(`update ${session.table} set status = 'applied', execution_ms = $2, applied_at = now() where name = $1`, [file.name, executionMs]));
    return { kind: "applied", executionMs };
  } finally {
    if (!lost && sessionLock) await sql.unsafe(`select pg_advisory_unlock(${session.lockKey})`).catch(() => undefined);
  }
}

function lostDuring(failure: DbkitError, file: MigrationFile, statement: number, total: number): ConnectionError {
  return new ConnectionError(
    "DBKIT_CONNECTION_LOST",
    `${failure.message} during statement ${statement} of ${total} of ${file.path}: the journal records ${file.name} as running (the statements before ${statement} were applied; ${statement} may have been)`,
    {
      hint: `check the database, then run \`dbkit resolve ${file.name} --applied\` or \`--rolled-back\`; while its server session still runs, dbkit waits for it`,
      cause: failure,
      details: { ...failure.details, file: file.path, statement, name: file.name, journalStatus: "running" },
    },
  );
}

async function recordFailure(session: Session, file: MigrationFile, index: number, line: number, failure: DbkitError): Promise<void> {
  const error = JSON.stringify({ statement: index, line, code: failure.code, message: failure.message });
  await session.sql
    .unsafe(`update ${session.table} set status = 'failed', error = $2 where name = $1`, [file.name, error])
    .catch(() => undefined); // connection gone: the row stays `running`, which also blocks until resolved
}
