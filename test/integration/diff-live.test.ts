/** dbkit diff with a live database: a hot-fix captured, two databases compared, one unreachable; and the rename question at a terminal. */
import { describe, expect, it } from "vitest";
import { serverUrl } from "../support/databases.js";
import { migrationsOf, NOTES, project, read } from "../support/diff-project.js";
import { json } from "../support/scenario.js";
import { dbkitInTerminal, HAS_SCRIPT } from "../support/terminal.js";
import { readOnlyUrl, READ_ONLY_PASSWORD } from "../support/read-only-role.js";

describe("dbkit diff --from-migrations --to-url: a hot-fix made on a database, as a migration", () => {
  it("writes what the database has and the migrations lack; after migrate, verify finds no drift", async () => {
    const s = await project({ "migrations/0001_notes.sql": NOTES });
    expect((await s.dbkit(["migrate"])).code).toBe(0);
    await s.db.sql.unsafe("alter table public.notes add column pinned boolean not null default false");
    const before = await s.dbkit(["verify", "--shadow-url", serverUrl()]);
    expect(before.code).toBe(5);

    const result = await s.diff(["--from-migrations", "--to-url", s.db.url, "hotfix", "pinned"]);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toContain("+ column public.notes.pinned");
    expect(result.stdout).toContain("proven: the migration gives");
    expect(result.stdout + result.stderr).not.toContain(new URL(s.db.url).password || "\u0000");
    expect(migrationsOf(s)).toEqual(["0001_notes.sql", "0002_hotfix_pinned.sql"]);

    // The database has the column already: recording the file as applied is the user's call (dbkit
    // baseline); here the hot-fix is undone first, so migrate applies the captured file itself.
    await s.db.sql.unsafe("alter table public.notes drop column pinned");
    expect((await s.dbkit(["migrate"])).code).toBe(0);
    const after = await s.dbkit(["verify", "--shadow-url", serverUrl()]);
    expect(after.code, after.stdout).toBe(0);
  });

  it("captures a lone REVOKE EXECUTE ... FROM PUBLIC on a function that had no ACL, proven; and writes the GRANT back the other way", async () => {
    const fn = "create function public.note_count() returns bigint language sql as 'select count(*) from public.notes';\n";
    const s = await project({ "migrations/0001_notes.sql": NOTES + fn });
    expect((await s.dbkit(["migrate"])).code).toBe(0);
    await s.db.sql.unsafe("revoke execute on function public.note_count() from public");
    expect((await s.dbkit(["verify", "--shadow-url", serverUrl()])).code).toBe(5);

    const result = await s.diff(["--from-migrations", "--to-url", s.db.url, "close", "count"]);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toContain("proven: the migration gives");
    expect(read(s, "migrations/0002_close_count.sql")).toContain("REVOKE EXECUTE ON FUNCTION public.note_count() FROM PUBLIC;");
    expect((await s.dbkit(["migrate"])).code).toBe(0);
    expect((await s.dbkit(["verify", "--shadow-url", serverUrl()])).code).toBe(0);

    // The database opened again (created anew: no ACL) against migrations that close it.
    await s.db.sql.unsafe("drop function public.note_count(); " + fn);
    const reopened = await s.diff(["--from-migrations", "--to-url", s.db.url, "open", "count"]);
    expect(reopened.code, reopened.stdout + reopened.stderr).toBe(0);
    expect(reopened.stdout).toContain("proven: the migration gives");
    expect(read(s, "migrations/0003_open_count.sql")).toContain("GRANT EXECUTE ON FUNCTION public.note_count() TO PUBLIC;");
  });

  it("only reads the database: works as a role with read rights only and default_transaction_read_only", async () => {
    const s = await project({ "migrations/0001_notes.sql": NOTES });
    expect((await s.dbkit(["migrate"])).code).toBe(0);
    await s.db.sql.unsafe("create index notes_body_idx on public.notes (body)");
    const url = await readOnlyUrl(s.db);
    const result = await s.diff(["--to-url", url, "body", "index", "--json"]);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout + result.stderr).not.toContain(READ_ONLY_PASSWORD);
    expect(json(result)).toMatchObject({ ok: true, proven: true, written: true });
    expect(json(result).statements).toContainEqual(expect.objectContaining({ object: "index public.notes_body_idx", action: "create", phase: "no-transaction" }));
  });

  it("between two databases prints the SQL (dry run implied) and says it is not proven", async () => {
    const a = await project({ "migrations/0001_notes.sql": NOTES });
    const b = await project({ "migrations/0001_notes.sql": NOTES.replace("not null", "not null, owner text") });
    expect((await a.dbkit(["migrate"])).code).toBe(0);
    expect((await b.dbkit(["migrate"])).code).toBe(0);
    const result = await a.diff(["--from-url", a.db.url, "--to-url", b.db.url]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/ALTER TABLE public\.notes ADD COLUMN owner text;/i);
    expect(result.stderr).toContain("not proven");
    expect(migrationsOf(a)).toEqual(["0001_notes.sql"]);
    const doc = json(await a.diff(["--from-url", a.db.url, "--to-url", b.db.url, "--json"]));
    expect(doc).toMatchObject({ ok: true, proven: null, written: false, dryRun: true });
    // Nothing to change: stdout stays empty (it is SQL, piped on), the verdict goes to stderr.
    const same = await a.diff(["--from-url", a.db.url, "--to-url", a.db.url]);
    expect(same.code, same.stderr).toBe(0);
    expect(same.stdout).toBe("");
    expect(same.stderr).toContain("nothing to change");
  });
});

describe("dbkit diff against a database it cannot reach", () => {
  it("exits 3 and never prints the URL's password", async () => {
    const s = await project({ "migrations/0001_notes.sql": NOTES });
    const result = await s.diff(["--to-url", "postgres://someone:s3cret-pw@127.0.0.1:1/nowhere", "hotfix"]);
    expect(result.code, result.stdout + result.stderr).toBe(3);
    expect(result.stdout + result.stderr).not.toContain("s3cret-pw");
  });
});

describe.skipIf(!HAS_SCRIPT)("dbkit diff at a terminal", () => {
  it("asks whether a table was renamed; yes writes ALTER TABLE ... RENAME", async () => {
    const plain = NOTES.replace(" primary key", " not null");
    const s = await project({ "migrations/0001_notes.sql": plain, "schema/notes.sql": plain.replace("public.notes", "public.memos") });
    const run = dbkitInTerminal(["diff", "--shadow-url", serverUrl(), "rename", "--no-color"], { cwd: s.dir, env: { DATABASE_URL: s.db.url, CI: "" } });
    await run.waitFor("was public.notes renamed to public.memos? [y/N]");
    run.type("y\r");
    const { code, output } = await run.exit;
    expect(code, output).toBe(0);
    expect(output).toContain("proven: the migration gives");
    expect(read(s, "migrations/0002_rename.sql")).toMatch(/ALTER TABLE public\.notes RENAME TO memos;/i);
  });

  it("in CI (CI=true) asks nothing, even at a terminal: refused with the --rename hint", async () => {
    const plain = NOTES.replace(" primary key", " not null");
    const s = await project({ "migrations/0001_notes.sql": plain, "schema/notes.sql": plain.replace("public.notes", "public.memos") });
    const run = dbkitInTerminal(["diff", "--shadow-url", serverUrl(), "rename", "--no-color"], { cwd: s.dir, env: { DATABASE_URL: s.db.url, CI: "true" } });
    const { code, output } = await run.exit;
    expect(code, output).toBe(5);
    expect(output).not.toContain("[y/N]");
    expect(output).toContain("--rename public.notes=public.memos");
  });
});
