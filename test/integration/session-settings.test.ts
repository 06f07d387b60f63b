import { describe, expect, it } from "vitest";
import { serverUrl } from "../support/databases.js";
import { json, scenario, tableExists } from "../support/scenario.js";

// Unqualified names land where the session's search_path says: the project needs its settings.
const FILES = {
  "migrations/0001_schema.sql": "create schema app;\n",
  "migrations/0002_items.sql": "create table items (id int primary key, label text);\ncreate index items_label_idx on items (label);\n",
  "seeds/items.sql": "insert into items values (1, 'one') on conflict do nothing;\n",
};

describe("session settings a project needs", () => {
  it("sessionSettings in the config: migrate, seeds, verify's scratch build and reset all use them", async () => {
    const s = await scenario({ ...FILES, "dbkit.config.json": JSON.stringify({ sessionSettings: { search_path: "app, public", "app.tenant": "acme" } }) });
    const migrated = await s.dbkit(["migrate"]);
    expect(migrated.code, migrated.stderr).toBe(0);
    expect(await tableExists(s.db, "app.items")).toBe(true);
    expect(await tableExists(s.db, "public.items")).toBe(false);
    const [row] = await s.db.sql`select label from app.items`;
    expect(row?.label).toBe("one");
    const verified = await s.dbkit(["verify", "--shadow-url", serverUrl()]);
    expect(verified.code, verified.stdout + verified.stderr).toBe(0);
    const reset = await s.dbkit(["reset", "--yes"]);
    expect(reset.code, reset.stderr).toBe(0);
    expect(await tableExists(s.db, "app.items")).toBe(true);
    expect(await tableExists(s.db, "public.items")).toBe(false);
  });

  it("the URL's options=-c name=value (libpq's convention) too, overriding the config", async () => {
    const s = await scenario({ ...FILES, "dbkit.config.json": JSON.stringify({ sessionSettings: { search_path: "public" } }) });
    const url = `${s.db.url}${s.db.url.includes("?") ? "&" : "?"}options=${encodeURIComponent("-c search_path=app,public")}`;
    const migrated = await s.dbkit(["migrate"], { DATABASE_URL: url });
    expect(migrated.code, migrated.stderr).toBe(0);
    expect(await tableExists(s.db, "app.items")).toBe(true);
    const bad = await s.dbkit(["status"], { DATABASE_URL: `${s.db.url}${s.db.url.includes("?") ? "&" : "?"}options=${encodeURIComponent("-x oops")}` });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("options parameter has 2 part(s) that are not -c name=value: -x, oops");
  });

  it("a setting name Postgres does not know is refused clearly, before anything runs", async () => {
    const s = await scenario({ ...FILES, "dbkit.config.json": JSON.stringify({ sessionSettings: { serch_path: "app" } }) });
    const result = await s.dbkit(["migrate", "--json"]);
    expect(result.code, result.stderr).toBe(2);
    expect(json(result).error).toMatchObject({ code: "DBKIT_SESSION_SETTING", message: expect.stringContaining('"serch_path"') });
    expect(await tableExists(s.db, "dbkit.migrations")).toBe(false);
  });
});
