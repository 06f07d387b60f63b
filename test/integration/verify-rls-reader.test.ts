/**
 * verify run by a read-only role (SELECT only, no BYPASSRLS), as the README's scheduled CI
 * verify does: rows that row-level security hides from it are not checkable, not missing.
 */
import { randomBytes } from "node:crypto";
import { describe, expect, it, onTestFinished } from "vitest";
import { serverUrl } from "../support/databases.js";
import { json, scenario } from "../support/scenario.js";

describe("verify as a read-only role on RLS tables", () => {
  it("reports the seed rows of an RLS table as not checkable (a warning naming the table and the fix), not as drift", async () => {
    const reader = `dbkit_rls_reader_${randomBytes(4).toString("hex")}`;
    const s = await scenario({
      "migrations/0001_tables.sql":
        "create table public.plans (id int primary key, name text not null);\nalter table public.plans enable row level security;\n" +
        "create table public.colours (id int primary key, name text not null);\n",
      "seeds/plans.sql": "insert into public.plans values (1, 'free'), (2, 'pro') on conflict (id) do update set name = excluded.name;\n",
      "seeds/colours.sql": "insert into public.colours values (1, 'red') on conflict (id) do update set name = excluded.name;\n",
    });
    expect((await s.dbkit(["migrate"])).code).toBe(0);
    await s.db.sql.unsafe(`create role ${reader} login password 'reader-pw'`);
    onTestFinished(async () => {
      await s.db.sql.unsafe(`drop owned by ${reader}`).catch(() => undefined);
      await s.db.sql.unsafe(`drop role if exists ${reader}`).catch(() => undefined);
    });
    await s.db.sql.unsafe(`grant usage on schema public, dbkit to ${reader}; grant select on all tables in schema public, dbkit to ${reader}`);
    const url = new URL(s.db.url);
    url.username = reader;
    url.password = "reader-pw";
    const result = await s.dbkit(["verify", "--json", "--shadow-url", serverUrl()], { DATABASE_URL: url.toString() });
    const doc = json(result);
    expect(result.code, result.stdout).toBe(0);
    const seedFindings = doc.sections.find((section: { name: string }) => section.name === "Seed Data").findings;
    expect(seedFindings).toEqual([
      expect.objectContaining({ level: "warning", object: "public.plans", message: expect.stringContaining(`row-level security hides this table's rows from role "${reader}"`) }),
    ]);
    expect(seedFindings[0].message).toContain("BYPASSRLS");
    // The table RLS does not hide is still checked: a missing row there is drift.
    await s.db.sql`delete from public.colours`;
    const drift = await s.dbkit(["verify", "--json", "--shadow-url", serverUrl()], { DATABASE_URL: url.toString() });
    expect(drift.code).toBe(5);
  });
});
