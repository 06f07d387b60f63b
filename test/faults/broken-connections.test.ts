import { describe, expect, it } from "vitest";
import { DbkitError, migrate } from "../../dist/index.js";
import type { TestDatabase } from "../support/databases.js";
import { createProject, runCli, spawnCli } from "../support/project.js";
import { proxiedTestDatabase } from "../support/proxied-database.js";
import type { CutRule } from "../support/tcp-proxy.js";

const FILES = {
  "migrations/0001_a.sql": "create table a (id int);\ninsert into a values (1);\n",
  "migrations/0002_b.sql": "create table b (id int);\ninsert into b values (2);\n",
  "migrations/0003_c.sql": "create table c (id int);\n",
};

async function throughProxy() {
  const { db, proxy, url: proxied } = await proxiedTestDatabase();
  const dir = await createProject(FILES);
  return {
    db,
    proxy,
    dir,
    viaProxy: (args: string[]) => runCli(args, { cwd: dir, env: { DATABASE_URL: proxied.toString() } }),
    direct: (args: string[]) => runCli(args, { cwd: dir, env: { DATABASE_URL: db.url } }),
  };
}

/** Every recorded migration has its effect and no unrecorded migration has one. */
async function expectConsistent(db: TestDatabase): Promise<string[]> {
  const [journal] = await db.sql`select to_regclass('dbkit.migrations') is not null as exists`;
  const recorded = journal?.exists ? (await db.sql`select name from dbkit.migrations order by name`).map((r) => r.name as string) : [];
  for (const [name, table] of [["0001_a", "a"], ["0002_b", "b"], ["0003_c", "c"]] as const) {
    const [row] = await db.sql`select to_regclass(${table}) is not null as exists`;
    expect(row?.exists, `${name}: effect present ${row?.exists}, recorded ${recorded.includes(name)}`).toBe(recorded.includes(name));
  }
  return recorded;
}

describe("a connection cut at any moment leaves the database consistent (exit 3), and the next run finishes", () => {
  it.each<[string, CutRule]>([
    ["during a migration", { text: "create table b", when: "before" }],
    ["between migrations", { text: "begin isolation level read committed", occurrence: 3, when: "before" }],
    ["during the journal insert", { text: "insert into \"dbkit\".migrations", occurrence: 2, when: "before" }],
    ["during commit", { text: "commit\u0000", occurrence: 3, when: "after" }],
  ])("%s", async (_moment, rule) => {
    const s = await throughProxy();
    s.proxy.cutOn(rule);
    const result = await s.viaProxy(["migrate", "--json"]);
    expect(s.proxy.cut).toBe(true);
    expect(result.code, result.stdout + result.stderr).toBe(3);
    expect(JSON.parse(result.stdout).error.code).toBe("DBKIT_CONNECTION_LOST");
    const recorded = await expectConsistent(s.db);
    expect(recorded).toContain("0001_a");
    expect(recorded).not.toContain("0003_c");
    const rerun = await s.direct(["migrate"]);
    expect(rerun.code, rerun.stderr).toBe(0);
    expect(await expectConsistent(s.db)).toEqual(["0001_a", "0002_b", "0003_c"]);
  });

  it("--single-transaction over more files than the driver keeps in flight: a cut applies none of them", async () => {
    // Files are sent ahead of their answers. Were more sent than postgres.js keeps in flight, it
    // would send the rest on a new connection after the cut, outside the run's transaction. The
    // API shows it: the CLI's process may exit before that new connection is up.
    const files: Record<string, string> = {};
    for (let i = 1; i <= 150; i++) files[`migrations/${String(i).padStart(4, "0")}_t${i}.sql`] = `create table t_${i} (id int);\n`;
    const { db, proxy, url } = await proxiedTestDatabase();
    const dir = await createProject(files);
    proxy.cutOn({ text: "create table t_60 ", when: "before" });
    const failure = await migrate({ cwd: dir, url: url.toString(), singleTransaction: true }).catch((error: unknown) => error);
    expect(proxy.cut).toBe(true);
    expect(failure).toBeInstanceOf(DbkitError);
    expect((failure as DbkitError).code).toBe("DBKIT_CONNECTION_LOST");
    const [row] = await db.sql`select count(*)::int as tables from pg_tables where tablename like 't\\_%'`;
    expect(row?.tables).toBe(0);
    const [journal] = await db.sql`select to_regclass('dbkit.migrations') is not null as exists`;
    if (journal?.exists) expect(await db.sql`select name from dbkit.migrations`).toEqual([]);
  });

  it("before connecting: a clear connection error", async () => {
    const s = await throughProxy();
    s.proxy.refuse = true;
    const result = await s.viaProxy(["migrate"]);
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/error: the connection to 127\.0\.0\.1:\d+ was closed unexpectedly/);
    expect(await expectConsistent(s.db)).toEqual([]);
  });

  it("--wait retries the first connection until the database answers", async () => {
    const s = await throughProxy();
    s.proxy.refuse = true;
    // The database comes back once dbkit says it retries (an event, not a guess at a duration).
    const url = new URL(s.db.url);
    url.hostname = "127.0.0.1";
    url.port = String(s.proxy.port);
    const child = spawnCli(["migrate", "--wait", "20"], { cwd: s.dir, env: { DATABASE_URL: url.toString() } });
    let stderr = "";
    child.stderr!.on("data", (chunk) => {
      stderr += chunk;
      if (/retrying in \d\.\ds \(--wait\)/.test(stderr)) s.proxy.refuse = false;
    });
    const code = await new Promise((resolve) => child.on("close", resolve));
    expect(code, stderr).toBe(0);
    expect(stderr).toMatch(/retrying in \d\.\ds \(--wait\)/);
    expect(await expectConsistent(s.db)).toEqual(["0001_a", "0002_b", "0003_c"]);
  });
});
