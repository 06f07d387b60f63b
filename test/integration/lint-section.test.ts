/**
 * The lint section of `migrate --dry-run` and `status --lint`: the files the command reports as
 * pending, linted as `dbkit lint` would, shown beside its result without changing its exit code.
 */
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { serverUrl } from "../support/databases.js";
import { createProject, runCli } from "../support/project.js";
import { json, scenario } from "../support/scenario.js";

const BASE = "create table public.orders (id bigint primary key, total numeric);\n";
const HAZARD = "select 1;\ncreate index orders_total_idx on public.orders (total);\n";

async function withPending(pending: Record<string, string>) {
  const s = await scenario({ "migrations/0001_base.sql": BASE });
  const migrated = await s.dbkit(["migrate"]);
  expect(migrated.code, migrated.stderr).toBe(0);
  for (const [name, text] of Object.entries(pending)) await writeFile(path.join(s.dir, "migrations", name), text);
  return s;
}

describe("lint section of migrate --dry-run and status --lint", () => {
  it("migrate --dry-run lints the files it would apply, in --json and human output, and still exits 0", async () => {
    const s = await withPending({ "0002_index.sql": HAZARD });
    const result = await s.dbkit(["migrate", "--dry-run", "--json", "--shadow-url", serverUrl()]);
    expect(result.code, result.stderr).toBe(0);
    expect(json(result)).toMatchObject({
      ok: true,
      dryRun: true,
      lint: { files: ["migrations/0002_index.sql"], failing: 1, findings: [{ code: "index-without-concurrently", level: "error", file: "migrations/0002_index.sql", line: 2 }] },
    });
    const human = await s.dbkit(["migrate", "--dry-run", "--shadow-url", serverUrl()]);
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toContain("dry run: would apply 1 migration(s)");
    expect(human.stdout).toContain("lint: 1 file linted: 1 error, 0 warnings, 0 allowed (dbkit lint would fail)");
    expect(human.stdout).toContain("migrations/0002_index.sql:2 error index-without-concurrently");
    // Nothing was applied, on the target or anywhere it can see.
    const [row] = await s.db.sql`select count(*)::int as n from pg_indexes where indexname = 'orders_total_idx'`;
    expect(row!.n).toBe(0);
    const skipped = await s.dbkit(["migrate", "--dry-run", "--no-lint", "--json"]);
    expect(skipped.code, skipped.stderr).toBe(0);
    expect(json(skipped)).not.toHaveProperty("lint");
  });

  it("migrate --dry-run with --to lints only the files up to it; with nothing to apply there is no lint section", async () => {
    const s = await withPending({ "0002_index.sql": HAZARD, "0003_drop.sql": "drop table public.orders;\n" });
    const upTo = await s.dbkit(["migrate", "--dry-run", "--to", "0002", "--json", "--shadow-url", serverUrl()]);
    expect(upTo.code, upTo.stderr).toBe(0);
    expect(json(upTo).lint).toMatchObject({ files: ["migrations/0002_index.sql"], findings: [{ code: "index-without-concurrently" }] });
    expect((await s.dbkit(["migrate"])).code).toBe(0);
    // A shadow URL that cannot be reached proves no scratch database was asked for.
    const noop = await s.dbkit(["migrate", "--dry-run", "--json", "--shadow-url", "postgres://nobody@127.0.0.1:1/none"]);
    expect(noop.code, noop.stderr).toBe(0);
    expect(json(noop)).not.toHaveProperty("lint");
  });

  it("a pending file that fails on the applied state is reported in the section; the dry run still exits 0", async () => {
    const s = await withPending({ "0002_bad.sql": "select 1;\nalter table public.nope add column x int;\n" });
    const result = await s.dbkit(["migrate", "--dry-run", "--json", "--shadow-url", serverUrl()]);
    expect(result.code, result.stderr).toBe(0);
    expect(json(result).lint).toMatchObject({ files: ["migrations/0002_bad.sql"], findings: [], error: { code: "DBKIT_LINT_FILE_FAILED", message: expect.stringContaining("migrations/0002_bad.sql:2") } });
  });

  it("on the embedded default, the dry run lints in a scratch database beside the embedded one and leaves it as it was", async () => {
    const dir = await createProject({ "migrations/0001_base.sql": BASE });
    expect((await runCli(["migrate"], { cwd: dir })).code).toBe(0);
    await writeFile(path.join(dir, "migrations", "0002_index.sql"), HAZARD);
    const dry = await runCli(["migrate", "--dry-run", "--json"], { cwd: dir });
    expect(dry.code, dry.stderr).toBe(0);
    expect(JSON.parse(dry.stdout)).toMatchObject({ target: { embedded: true }, lint: { failing: 1, findings: [{ code: "index-without-concurrently", file: "migrations/0002_index.sql", line: 2 }] } });
    const status = await runCli(["status", "--lint", "--json"], { cwd: dir });
    expect(status.code, status.stderr).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject({ pending: true, lint: { failing: 1 } });
    // The file is still pending: nothing of the lint's run reached the embedded database.
    const applied = await runCli(["migrate", "--json"], { cwd: dir });
    expect(JSON.parse(applied.stdout)).toMatchObject({ applied: [{ name: "0002_index" }] });
  });

  it("status --lint adds the section; --check still exits 6 for pending work; without --lint, none", async () => {
    const s = await withPending({ "0002_index.sql": HAZARD });
    const checked = await s.dbkit(["status", "--check", "--lint", "--json", "--shadow-url", serverUrl()]);
    expect(checked.code, checked.stderr).toBe(6);
    expect(json(checked)).toMatchObject({ pending: true, lint: { files: ["migrations/0002_index.sql"], failing: 1, findings: [{ code: "index-without-concurrently", line: 2 }] } });
    const human = await s.dbkit(["status", "--lint", "--shadow-url", serverUrl()]);
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toContain("lint: 1 file linted: 1 error");
    const plain = await s.dbkit(["status", "--check", "--json"]);
    expect(plain.code).toBe(6);
    expect(json(plain)).not.toHaveProperty("lint");
    expect((await s.dbkit(["migrate"])).code).toBe(0);
    const inSync = await s.dbkit(["status", "--check", "--lint", "--json", "--shadow-url", "postgres://nobody@127.0.0.1:1/none"]);
    expect(inSync.code, inSync.stderr).toBe(0);
    expect(json(inSync)).not.toHaveProperty("lint");
  });
});
