/**
 * After SIGINT or SIGTERM, the message says what the journal holds (read again once the run's
 * connection is closed), checked here against the journal itself; with --json the document carries
 * the signal's exit code. Interrupts are sent on events (a row, a running statement), not timers.
 */
import { describe, expect, it } from "vitest";
import type { TestDatabase } from "../support/databases.js";
import { exitOf } from "../support/child-events.js";
import { spawnCli } from "../support/project.js";
import { scenario } from "../support/scenario.js";

async function untilSleeping(db: TestDatabase): Promise<void> {
  for (;;) {
    const rows = await db.sql`select 1 from pg_stat_activity where query like '%pg_sleep(30)%' and pid <> pg_backend_pid() and state = 'active'`;
    if (rows.length > 0) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function journal(db: TestDatabase): Promise<Map<string, string>> {
  const rows = await db.sql`select name, status from dbkit.migrations`;
  return new Map(rows.map((row) => [row.name as string, row.status as string]));
}

const FILES = {
  "migrations/0001_a.sql": "create table a (id int);\n",
  "migrations/0002_b.sql": "create table b (id int);\n",
};

describe("the message after an interrupt comes from the journal", () => {
  it.each(["SIGINT", "SIGTERM"] as const)("%s during a transactional file: the files before it applied, it rolled back; --json exit code", async (signal) => {
    const s = await scenario({ ...FILES, "migrations/0003_slow.sql": "create table slow (id int);\nselect pg_sleep(30);\n" });
    const child = spawnCli(["migrate", "--json"], { cwd: s.dir, env: { DATABASE_URL: s.db.url } });
    const exit = exitOf(child);
    await untilSleeping(s.db);
    child.kill(signal);
    const result = await exit;
    const expectedCode = signal === "SIGINT" ? 130 : 143;
    expect(result.code, result.stderr).toBe(expectedCode);
    const doc = JSON.parse(result.stdout);
    expect(doc).toMatchObject({ ok: false, command: "migrate", error: { code: "DBKIT_INTERRUPTED", exitCode: expectedCode } });
    const rows = await journal(s.db);
    expect([...rows.keys()].sort()).toEqual(["0001_a", "0002_b"]);
    expect(doc.error.message).toBe(`interrupted by ${signal}: applied 2 migration(s) (last: 0002_b); 0003_slow was rolled back and not recorded (as the journal holds it now)`);
  });

  it("SIGTERM during a no-transaction file: the message names what the journal recorded, not a rollback", async () => {
    const s = await scenario({ ...FILES, "migrations/0003_nt.sql": "-- dbkit:no-transaction\ncreate table nt_done (id int);\nselect pg_sleep(30);\n" });
    const child = spawnCli(["migrate"], { cwd: s.dir, env: { DATABASE_URL: s.db.url } });
    const exit = exitOf(child);
    await untilSleeping(s.db);
    child.kill("SIGTERM");
    const result = await exit;
    expect(result.code).toBe(143);
    const status = (await journal(s.db)).get("0003_nt");
    expect(["running", "failed"]).toContain(status);
    expect(result.stderr).toContain(`0003_nt is recorded as ${status}: a no-transaction migration stopped partway`);
    expect(result.stderr).not.toContain("0003_nt was rolled back");
  });
});
