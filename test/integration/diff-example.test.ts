/** The repository's example project declares its schema in schema/ as well: dbkit diff keeps the two in step. */
import { cp, readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { serverUrl } from "../support/databases.js";
import { json, scenario } from "../support/scenario.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

async function exampleProject() {
  const s = await scenario({});
  for (const dir of ["migrations", "schema"]) await cp(path.join(ROOT, dir), path.join(s.dir, dir), { recursive: true });
  return { ...s, diff: (args: string[]) => s.dbkit(["diff", "--shadow-url", serverUrl(), ...args]) };
}

describe("the example project's schema/ folder", () => {
  it("is the schema its migrations build: dbkit diff has nothing to change and writes nothing", async () => {
    const s = await exampleProject();
    const result = await s.diff(["check"]);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toContain("nothing to change: schema/ and the migrations are the same schema");
    expect(await readdir(path.join(s.dir, "migrations"))).toEqual(await readdir(path.join(ROOT, "migrations")));
  });

  it("a policy changed in schema/ becomes a one-statement migration, proven", async () => {
    const s = await exampleProject();
    const file = path.join(s.dir, "schema", "5_rls.sql");
    const text = await readFile(file, "utf8");
    const changed = text.replace(`create policy "Admins can read all chats" on public."Chat" for select to authenticated using (public.get_user_role() = 'admin');`, `create policy "Admins can read all chats" on public."Chat" for select to authenticated using (public.get_user_role() in ('admin', 'support'));`);
    expect(changed).not.toBe(text);
    await writeFile(file, changed);
    const result = await s.diff(["support reads chats", "--json"]);
    expect(result.code, result.stderr).toBe(0);
    const doc = json(result);
    expect(doc).toMatchObject({ ok: true, proven: true, written: true, unsupported: [] });
    expect(doc.statements).toHaveLength(1);
    expect(doc.statements[0]).toMatchObject({ object: 'policy public.Chat.Admins can read all chats' });
    expect(doc.files).toHaveLength(1);
    const written = await readFile(path.join(s.dir, doc.files[0].path), "utf8");
    expect(written).toContain("'support'");
    // Migrated, the database is what schema/ declares.
    expect((await s.dbkit(["migrate"])).code).toBe(0);
    const verified = await s.dbkit(["verify", "--shadow-url", serverUrl()]);
    expect(verified.code, verified.stdout).toBe(0);
  });
});
