import { writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { scenario } from "../support/scenario.js";

const SUPABASE_PROJECT = {
  "migrations/0001_profiles.sql":
    "create table public.profiles (id uuid primary key, email text);\nalter table public.profiles enable row level security;\n" +
    "create policy own on public.profiles for select to authenticated using (id = auth.uid());\n",
};

describe("the Supabase base on databases dbkit prepares itself", () => {
  it("is installed once for a Supabase project, with helpers that read JWT claims like Supabase's", async () => {
    const s = await scenario(SUPABASE_PROJECT);
    const first = await s.dbkit(["migrate"]);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr).toContain("installed the Supabase base");
    await s.dbkit(["migrate"]);
    const [helpers] = await s.db.sql.begin(async (tx) => {
      await tx`select set_config('request.jwt.claims', '{"sub": "00000000-0000-0000-0000-000000000001", "role": "authenticated", "email": "a@example.com"}', true)`;
      return tx`select auth.uid()::text as uid, auth.role() as role, auth.email() as email, auth.jwt() ->> 'email' as jwt_email,
                       storage.foldername('avatars/team/me.png') as folders, storage.filename('avatars/team/me.png') as file, storage.extension('avatars/team/me.png') as ext`;
    });
    expect(helpers).toEqual({ uid: "00000000-0000-0000-0000-000000000001", role: "authenticated", email: "a@example.com", jwt_email: "a@example.com", folders: ["avatars", "team"], file: "me.png", ext: "png" });
    const [legacy] = await s.db.sql.begin(async (tx) => {
      await tx`select set_config('request.jwt.claim.sub', '00000000-0000-0000-0000-000000000002', true)`;
      return tx`select auth.uid()::text as uid`;
    });
    expect(legacy?.uid).toBe("00000000-0000-0000-0000-000000000002");
    const roles = await s.db.sql`select rolname, rolbypassrls from pg_roles where rolname in ('anon', 'authenticated', 'service_role', 'authenticator', 'supabase_admin') order by rolname`;
    expect(roles.map((r) => r.rolname)).toEqual(["anon", "authenticated", "authenticator", "service_role", "supabase_admin"]);
    expect(roles.find((r) => r.rolname === "service_role")?.rolbypassrls).toBe(true);
    const [grants] = await s.db.sql`select has_table_privilege('anon', 'public.profiles', 'select') as anon_select, exists (select from pg_publication where pubname = 'supabase_realtime') as publication`;
    expect(grants).toEqual({ anon_select: true, publication: true });
  });

  it("has Realtime's messages table and helpers: Realtime Authorization policies and a trigger that broadcasts apply and verify clean", async () => {
    const s = await scenario({
      "migrations/0001_rooms.sql":
        "create table public.rooms (id bigint generated always as identity primary key, name text);\n" +
        "alter table public.rooms enable row level security;\n" +
        "create policy \"members read rooms\" on public.rooms for select to authenticated using (true);\n" +
        "create policy \"members receive room broadcasts\" on realtime.messages for select to authenticated using (realtime.topic() like 'room:%');\n" +
        "create policy \"members send to their room\" on realtime.messages for insert to authenticated with check (realtime.topic() like 'room:%');\n" +
        "create function public.broadcast_room() returns trigger language plpgsql security definer set search_path = '' as $$\n" +
        "begin perform realtime.send(jsonb_build_object('id', new.id), 'created', 'room:' || new.id, true); return new; end $$;\n" +
        "revoke execute on function public.broadcast_room() from public, anon, authenticated;\n" +
        "create trigger rooms_broadcast after insert on public.rooms for each row execute function public.broadcast_room();\n",
    });
    const migrated = await s.dbkit(["migrate"]);
    expect(migrated.code, migrated.stderr).toBe(0);
    expect(migrated.stderr).toContain("installed the Supabase base");
    await s.db.sql`insert into public.rooms (name) values ('lobby')`;
    const [message] = await s.db.sql`select topic, event, payload ->> 'id' as id, private, extension from realtime.messages`;
    expect(message).toEqual({ topic: "room:1", event: "created", id: "1", private: true, extension: "broadcast" });
    const [topic] = await s.db.sql.begin(async (tx) => {
      await tx`select set_config('realtime.topic', 'room:1', true)`;
      return tx`select realtime.topic() as topic`;
    });
    expect(topic?.topic).toBe("room:1");
    const verified = await s.dbkit(["verify"]);
    expect(verified.code, verified.stdout + verified.stderr).toBe(0);
  });

  it("has Database Webhooks' supabase_functions.http_request(): a webhook trigger applies, logs each call in supabase_functions.hooks, and verifies clean", async () => {
    const s = await scenario({
      "migrations/0001_orders.sql":
        "create table public.orders (id bigint generated always as identity primary key, total numeric not null);\n" +
        "alter table public.orders enable row level security;\n" +
        "create policy \"staff read orders\" on public.orders for select to authenticated using (true);\n" +
        "create trigger \"notify-fulfilment\" after insert or update on public.orders for each row execute function " +
        "supabase_functions.http_request('http://localhost:3000/api/orders', 'POST', '{\"Content-type\":\"application/json\"}', '{}', '5000');\n" +
        "create trigger \"bad-method\" after delete on public.orders for each row execute function supabase_functions.http_request('http://localhost:3000/api/orders', 'PUT', '{}', '{}', '1000');\n",
    });
    const migrated = await s.dbkit(["migrate"]);
    expect(migrated.code, migrated.stderr).toBe(0);
    await s.db.sql`insert into public.orders (total) values (10), (20)`;
    const hooks = await s.db.sql`select hook_name, hook_table_id = 'public.orders'::regclass::oid::int as on_orders, request_id from supabase_functions.hooks order by id`;
    expect(hooks).toEqual([
      { hook_name: "notify-fulfilment", on_orders: true, request_id: null },
      { hook_name: "notify-fulfilment", on_orders: true, request_id: null },
    ]);
    await expect(s.db.sql`delete from public.orders`).rejects.toThrow("method argument PUT is invalid");
    const verified = await s.dbkit(["verify", "--fail-on", "error"]);
    expect(verified.code, verified.stdout + verified.stderr).toBe(0);
  });

  it("adds Database Webhooks' part alone to a base installed before it had one", async () => {
    const s = await scenario(SUPABASE_PROJECT);
    expect((await s.dbkit(["migrate"])).code).toBe(0);
    await s.db.sql.unsafe("drop schema supabase_functions cascade");
    writeFileSync(path.join(s.dir, "migrations", "0002_hook.sql"), "create trigger hook after insert on public.profiles for each row execute function supabase_functions.http_request('http://localhost/h', 'POST', '{}', '{}', '1000');\n");
    const migrated = await s.dbkit(["migrate"]);
    expect(migrated.code, migrated.stderr).toBe(0);
  });

  it("adds Realtime's part alone to a base installed before it had one", async () => {
    const s = await scenario(SUPABASE_PROJECT);
    expect((await s.dbkit(["migrate"])).code).toBe(0);
    // As a base of an earlier dbkit left it; a user's revoke elsewhere in the base must stay.
    await s.db.sql.unsafe("drop schema realtime cascade; revoke usage on schema storage from anon");
    writeFileSync(path.join(s.dir, "migrations", "0002_realtime.sql"), "create policy \"receive\" on realtime.messages for select to authenticated using (realtime.topic() = 'lobby');\n");
    const migrated = await s.dbkit(["migrate"]);
    expect(migrated.code, migrated.stderr).toBe(0);
    const [state] = await s.db.sql`select to_regclass('realtime.messages') is not null as messages, has_schema_privilege('anon', 'storage', 'usage') as anon_storage`;
    expect(state).toEqual({ messages: true, anon_storage: false });
  });

  it("is never installed on a real Supabase database", async () => {
    const s = await scenario(SUPABASE_PROJECT);
    await s.db.sql.unsafe(`do $$ begin if not exists (select from pg_roles where rolname = 'supabase_admin') then create role supabase_admin nologin; end if; end $$;
      create schema auth; create table auth.users (id uuid primary key);
      create function auth.uid() returns uuid language sql as $f$ select null::uuid $f$;
      do $$ begin if not exists (select from pg_roles where rolname = 'authenticated') then create role authenticated nologin; end if; end $$;`);
    const result = await s.dbkit(["migrate"]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).not.toContain("installed the Supabase base");
    const [storage] = await s.db.sql`select to_regnamespace('storage') is null as absent`;
    expect(storage?.absent).toBe(true);
  });

  it("is not installed for a project that is not a Supabase project", async () => {
    const s = await scenario({ "migrations/0001_plain.sql": "create table plain (id int);\n" });
    const result = await s.dbkit(["migrate"]);
    expect(result.stderr).not.toContain("Supabase base");
    const [auth] = await s.db.sql`select to_regnamespace('auth') is null as absent`;
    expect(auth?.absent).toBe(true);
  });
});
