/**
 * A connection that dies during a no-transaction statement, by an RST or by a silent drop (nothing
 * is closed, nothing arrives), ends dbkit with exit 3 in bounded time, and the message says what
 * the journal holds: the file is recorded as running. Never a wait without end.
 */
import { describe, expect, it } from "vitest";
import { createProject, runCli } from "../support/project.js";
import { proxiedTestDatabase } from "../support/proxied-database.js";
import type { CutRule } from "../support/tcp-proxy.js";

const FILES = {
  "migrations/0001_items.sql": "create table items (id int, name text);\n",
  "migrations/0002_index.sql": "-- dbkit:no-transaction\ncreate table nt_marker (id int);\nselect pg_sleep(1);\ncreate index concurrently items_name_idx on items (name);\n",
};

describe("a connection that dies during a no-transaction statement", () => {
  it.each<[string, CutRule]>([
    ["an RST", { text: "select pg_sleep(1)", when: "after", how: "reset", thenRefuse: true }],
    ["a silent drop", { text: "select pg_sleep(1)", when: "after", how: "silent" }],
  ])("%s: exit 3 in bounded time, the message from what the journal holds", async (_how, rule) => {
    const { db, proxy, url } = await proxiedTestDatabase();
    const dir = await createProject(FILES);
    proxy.cutOn(rule);
    // runCli kills the process after 90 s: a hang fails the test instead of passing it.
    const result = await runCli(["migrate", "--json"], { cwd: dir, env: { DATABASE_URL: url.toString() }, timeoutMs: 90_000 });
    expect(proxy.cut || proxy.silent).toBe(true);
    expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(3);
    const { error } = JSON.parse(result.stdout);
    expect(error.code).toBe("DBKIT_CONNECTION_LOST");
    expect(error.message).toContain("during statement 2 of 3 of migrations/0002_index.sql: the journal records 0002_index as running");
    const [row] = await db.sql`select status from dbkit.migrations where name = '0002_index'`;
    expect(row?.status).toBe("running");
  }, 120_000);
});
