/** The repository's own example (a Supabase chat application) migrated, verified, reset, and its RLS proven. */
import { cp } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { serverUrl, type TestDatabase } from "../support/databases.js";
import { scenario } from "../support/scenario.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const USER_A = "00000000-0000-0000-0000-00000000000a";
const USER_B = "00000000-0000-0000-0000-00000000000b";

async function exampleProject() {
  const s = await scenario({});
  await cp(path.join(ROOT, "migrations"), path.join(s.dir, "migrations"), { recursive: true });
  await cp(path.join(ROOT, "seeds"), path.join(s.dir, "seeds"), { recursive: true });
  const migrated = await s.dbkit(["migrate"]);
  expect(migrated.code, migrated.stderr).toBe(0);
  return s;
}

/** Runs `query` as the API would for a request: role and JWT claims set for one transaction. */
async function asRequest(db: TestDatabase, role: "anon" | "authenticated", claims: Record<string, unknown> | null, query: string): Promise<Record<string, unknown>[]> {
  return db.sql.begin(async (tx) => {
    await tx.unsafe(`set local role ${role}`);
    if (claims) await tx.unsafe(`select set_config('request.jwt.claims', $1, true)`, [JSON.stringify(claims)]);
    return [...(await tx.unsafe(query))];
  });
}

describe("the example project", () => {
  it("migrates, verifies clean, and rebuilds with reset", async () => {
    const s = await exampleProject();
    const verified = await s.dbkit(["verify", "--shadow-url", serverUrl()]);
    expect(verified.code, verified.stdout + verified.stderr).toBe(0);
    expect(verified.stdout).toMatch(/Tables +14 tables/);
    expect(verified.stdout).toMatch(/Functions +13 functions/);
    expect(verified.stdout).toMatch(/RLS Policies +14 tables with RLS/);
    const reset = await s.dbkit(["reset", "--yes"]);
    expect(reset.code, reset.stderr).toBe(0);
    expect(reset.stderr).toContain("trigger on_auth_user_deleted on auth.users");
    expect(reset.stdout).toContain("applied 5 migration(s), 5 seed(s)");
  });

  it("enforces its RLS policies: users see their own chats, anon nothing, admins everything", async () => {
    const s = await exampleProject();
    await s.db.sql`insert into auth.users (id, email) values (${USER_A}, 'a@example.com'), (${USER_B}, 'b@example.com')`;
    await s.db.sql`insert into public."Chat" (title, user_id) values ('A''s chat', ${USER_A}), ('B''s chat', ${USER_B})`;

    const asA = await asRequest(s.db, "authenticated", { sub: USER_A, role: "authenticated" }, `select title from public."Chat"`);
    expect(asA.map((r) => r.title)).toEqual(["A's chat"]);
    const asB = await asRequest(s.db, "authenticated", { sub: USER_B, role: "authenticated" }, `select title from public."Chat"`);
    expect(asB.map((r) => r.title)).toEqual(["B's chat"]);
    expect(await asRequest(s.db, "anon", null, `select title from public."Chat"`)).toEqual([]);
    expect(await asRequest(s.db, "anon", null, `select model_id from public.model_config`)).toEqual([]);
    const admin = await asRequest(s.db, "authenticated", { sub: USER_A, role: "authenticated", user_metadata: { role: "admin" } }, `select title from public."Chat" order by title`);
    expect(admin.map((r) => r.title)).toEqual(["A's chat", "B's chat"]);

    // Writes: A may create a chat for A, not for B.
    await asRequest(s.db, "authenticated", { sub: USER_A }, `insert into public."Chat" (title, user_id) values ('another', '${USER_A}')`);
    await expect(asRequest(s.db, "authenticated", { sub: USER_A }, `insert into public."Chat" (title, user_id) values ('forged', '${USER_B}')`)).rejects.toMatchObject({ code: "42501" });
    // Signed-in users read the model list; only admins read the agent configuration.
    expect((await asRequest(s.db, "authenticated", { sub: USER_A }, `select model_id from public.model_config`)).length).toBe(10);
    expect(await asRequest(s.db, "authenticated", { sub: USER_A }, `select config_key from public.admin_config`)).toEqual([]);
    expect((await asRequest(s.db, "authenticated", { sub: USER_A, user_metadata: { role: "admin" } }, `select config_key from public.admin_config`)).length).toBe(20);
  });

  it("checks users against auth.users and removes their data when they are deleted", async () => {
    const s = await exampleProject();
    await expect(s.db.sql`insert into public."Chat" (title, user_id) values ('orphan', ${USER_A})`).rejects.toMatchObject({ code: "23503" });
    await s.db.sql`insert into auth.users (id, email) values (${USER_A}, 'a@example.com')`;
    await s.db.sql`insert into public."Chat" (title, user_id) values ('mine', ${USER_A})`;
    await s.db.sql`delete from auth.users where id = ${USER_A}`;
    expect(await s.db.sql`select * from public."Chat"`).toEqual([]);
  });
});
