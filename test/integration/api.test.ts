import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { DbkitError, migrate, reset, status, verify } from "../../dist/index.js";
import { serverUrl } from "../support/databases.js";
import { json, scenario } from "../support/scenario.js";

const run = promisify(execFile);
const FILES = { "migrations/0001_a.sql": "create table a (id int primary key, name text);\n", "seeds/a.sql": "insert into a values (1, 'one') on conflict do nothing;\n" };

describe("the programmatic API", () => {
  it("migrate, status, verify and reset return the documents the CLI prints with --json", async () => {
    const s = await scenario(FILES);
    const events: string[] = [];
    const migrated = await migrate({ cwd: s.dir, url: s.db.url, onEvent: (event) => events.push(event.type) });
    expect(migrated).toMatchObject({ schemaVersion: 1, ok: true, command: "migrate", applied: [{ name: "0001_a" }], seeds: { applied: [{ name: "a.sql" }] } });
    expect(events).toEqual(expect.arrayContaining(["target", "applying", "applied"]));

    const fromApi = await status({ cwd: s.dir, url: s.db.url });
    const fromCli = json(await s.dbkit(["status", "--json"]));
    expect(JSON.parse(JSON.stringify(fromApi))).toEqual(fromCli);

    const verified = await verify({ cwd: s.dir, url: s.db.url, shadowUrl: serverUrl() });
    expect(verified).toMatchObject({ command: "verify", ok: true });

    await expect(reset({ cwd: s.dir, url: s.db.url })).rejects.toMatchObject({ code: "DBKIT_RESET_UNCONFIRMED", exitCode: 2 });
    const again = await reset({ cwd: s.dir, url: s.db.url, yes: true });
    expect(again).toMatchObject({ command: "reset", droppedSchemas: ["public", "dbkit"], migrate: { applied: [{ name: "0001_a" }] } });
  });

  it("throws DbkitError with the same code and exit code the CLI uses", async () => {
    const s = await scenario({ "migrations/0001_bad.sql": "select nope;\n" });
    const error = await migrate({ cwd: s.dir, url: s.db.url }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DbkitError);
    expect(error).toMatchObject({ code: "DBKIT_MIGRATION_FAILED", exitCode: 4 });
  });

  it("is importable by its package name with types, as users import it", async () => {
    const { stdout } = await run(process.execPath, ["--input-type=module", "-e", "const m = await import('dbkit'); console.log(Object.keys(m).sort().join(','))"], { cwd: process.cwd() });
    expect(stdout.trim()).toBe("DbkitError,ExitCode,baseline,diff,importHistory,importSupabase,lint,migrate,reset,resolve,seed,start,status,stop,test,verify");
  });
});

describe("the npm package", () => {
  it("contains only what users need", async () => {
    // A run of the CLI leaves a code cache beside the bundle; it must not be published.
    await run(process.execPath, ["bin/dbkit.cjs", "--version"], { cwd: process.cwd() });
    // --ignore-scripts: `prepare` would rebuild dist/bundle while other test files run the CLI.
    const { stdout } = await run("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], { cwd: process.cwd() });
    const files = (JSON.parse(stdout) as { files: { path: string }[] }[])[0]!.files.map((f) => f.path);
    for (const needed of ["bin/dbkit.cjs", "dist/bundle/cli.cjs", "dist/index.js", "dist/index.d.ts", "README.md", "LICENSE", "CHANGELOG.md", "docs/json.md", "package.json"]) expect(files).toContain(needed);
    expect(files.filter((f) => /^(src|test|migrations|seeds|bench)\//.test(f) || f.startsWith(".") || f.endsWith(".ts") && !f.endsWith(".d.ts") || f.includes("code-cache"))).toEqual([]);
  });
});

describe("output conventions", () => {
  it("no colours without a terminal, with --no-color or NO_COLOR; --verbose shows the SQL dbkit runs", async () => {
    const s = await scenario(FILES);
    const plain = await s.dbkit(["migrate"]);
    expect(plain.stdout + plain.stderr).not.toMatch(/\u001b\[/);
    const verbose = await s.dbkit(["status", "--verbose", "--no-color"], { NO_COLOR: "1" });
    expect(verbose.stderr).toContain("sql: select to_regclass('\"dbkit\".migrations') is not null as ok");
    expect(verbose.stdout + verbose.stderr).not.toMatch(/\u001b\[/);
    const quiet = await s.dbkit(["status", "--quiet"]);
    expect(quiet.stdout + quiet.stderr).toBe("");
  });
});
