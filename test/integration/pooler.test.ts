/**
 * verify and status through a real transaction-mode pooler: every statement may land on another
 * server connection, so they must need no session state and no prepared statements.
 */
import { describe, expect, it } from "vitest";
import { serverUrl } from "../support/databases.js";
import { hasPgbouncer, throughPgbouncer } from "../support/pgbouncer.js";
import { scenario } from "../support/scenario.js";

const PROJECT = {
  "migrations/0001_schema.sql":
    "create table public.items (id bigint generated always as identity primary key, owner text not null default current_user, label text);\n" +
    "create index items_owner_idx on public.items (owner);\n" +
    "create function public.label_upper() returns trigger language plpgsql as $$ begin new.label := upper(new.label); return new; end $$;\n" +
    "create trigger items_label before insert on public.items for each row execute function public.label_upper();\n" +
    "alter table public.items enable row level security;\n" +
    "create policy items_mine on public.items using (owner = current_user);\n",
  "seeds/items.sql": "insert into public.items (owner, label) overriding system value values ('admin', 'first') on conflict do nothing;\n",
};

describe.skipIf(!hasPgbouncer)("through PgBouncer in transaction mode (skipped where pgbouncer is not installed)", () => {
  it("verify and status work, and verify still finds drift", async () => {
    const s = await scenario(PROJECT);
    const migrated = await s.dbkit(["migrate"]);
    expect(migrated.code, migrated.stderr).toBe(0);
    const env = { DATABASE_URL: await throughPgbouncer(s.db.url) };

    const clean = await s.dbkit(["verify", "--shadow-url", serverUrl()], env);
    expect(clean.code, clean.stdout + clean.stderr).toBe(0);
    const status = await s.dbkit(["status", "--check"], env);
    expect(status.code, status.stdout + status.stderr).toBe(0);

    await s.db.sql.unsafe("alter policy items_mine on public.items using (true)");
    const drift = await s.dbkit(["verify", "--shadow-url", serverUrl()], env);
    expect(drift.code, drift.stdout + drift.stderr).toBe(5);
    expect(drift.stdout).toContain("~ policy public.items.items_mine: USING differs");
  });
});
