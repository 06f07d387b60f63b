/**
 * Other tools' migration folders, as those tools write them (test/fixtures/<tool>), migrated from
 * scratch by dbkit: the schema must be the one the tool itself builds (dbmate, drizzle-orm's
 * migrator and postgres-migrations run for real; golang-migrate and Flyway, which npm does not
 * install, are applied the way their documentation says, file by file), compared with pg_dump. Runs
 * on Debian's Postgres 15 (pg_dump 15 cannot dump a newer server); skipped where it is absent.
 */
import { execFile } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { chmod, cp, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { drizzle } from "drizzle-orm/postgres-js";
import { migrate as migrateWithDrizzle } from "drizzle-orm/postgres-js/migrator";
import postgres from "postgres";
import { migrate as migrateWithPostgresMigrations } from "postgres-migrations";
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from "vitest";
import { binariesIn } from "../../src/local/embedded-binaries.js";
import { startEmbeddedServer, type EmbeddedServer } from "../../src/local/embedded-server.js";
import { runCli } from "../support/project.js";

const run = promisify(execFile);
const PG15 = "/usr/lib/postgresql/15";
const FIXTURES = fileURLToPath(new URL("../fixtures/", import.meta.url));
const DBMATE = fileURLToPath(new URL("../../node_modules/dbmate/dist/cli.js", import.meta.url));
const NODE_PG_MIGRATE = fileURLToPath(new URL("../../node_modules/.bin/node-pg-migrate", import.meta.url));

let server: EmbeddedServer;
let serverDir: string;

async function freshDatabase(): Promise<{ url: string; sql: postgres.Sql }> {
  const name = `fmt_${Math.random().toString(36).slice(2, 10)}`;
  const admin = postgres(server.url(), { max: 1, onnotice: () => undefined });
  await admin.unsafe(`create database ${name}`);
  await admin.end();
  const url = new URL(server.url());
  url.pathname = `/${name}`;
  const sql = postgres(url.toString(), { max: 1, onnotice: () => undefined });
  onTestFinished(() => sql.end({ timeout: 1 }));
  return { url: url.toString(), sql };
}

/** The schema as pg_dump prints it, without the lines that differ on every run. */
async function schemaOf(url: string, exclude: string[]): Promise<string> {
  const { stdout } = await run(path.join(PG15, "bin", "pg_dump"), ["--schema-only", "--no-owner", ...exclude, url], { maxBuffer: 16 << 20 });
  return stdout
    .split("\n")
    .filter((line) => !/^\\(un)?restrict /.test(line) && !line.startsWith("-- Dumped"))
    .join("\n");
}

/** A copy of the fixture project, with a config naming its folder. */
async function project(fixture: string, config: Record<string, unknown>): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), `dbkit-${fixture}-`));
  await cp(path.join(FIXTURES, fixture), dir, { recursive: true });
  await writeFile(path.join(dir, "dbkit.config.json"), JSON.stringify(config));
  onTestFinished(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

function sqlFiles(dir: string, pattern: RegExp): string[] {
  return readdirSync(dir).filter((name) => pattern.test(name));
}

async function migrateWithDbkit(dir: string, url: string) {
  const result = await runCli(["migrate"], { cwd: dir, env: { DATABASE_URL: url } });
  expect(result.code, result.stderr).toBe(0);
  return result;
}

describe.skipIf(!existsSync(path.join(PG15, "bin", "pg_dump")))("other tools' folders migrate to the schema their own tool builds (Postgres 15)", () => {
  beforeAll(async () => {
    serverDir = await mkdtemp(path.join(os.tmpdir(), "dbkit-formats-pg15-"));
    await chmod(serverDir, 0o755); // as root the server runs as another user
    server = await startEmbeddedServer({ dir: serverDir, fast: true, binaries: binariesIn(PG15, "15") });
  });
  afterAll(async () => {
    await server?.stop();
    await rm(serverDir, { recursive: true, force: true });
  });

  it("golang-migrate: the .up.sql files run, the .down.sql files are kept as downs and never run", async () => {
    const dir = await project("golang-migrate", {});
    const ours = await freshDatabase();
    const result = await migrateWithDbkit(dir, ours.url);
    expect(result.stderr).toContain("reading migrations/ as a golang-migrate folder");
    const reference = await freshDatabase();
    // golang-migrate sends each up file whole, in version order.
    const folder = path.join(dir, "migrations");
    for (const name of sqlFiles(folder, /\.up\.sql$/).sort()) await reference.sql.unsafe(readFileSync(path.join(folder, name), "utf8"));
    expect(await schemaOf(ours.url, ["-N", "dbkit"])).toBe(await schemaOf(reference.url, []));
    const names = await ours.sql`select name from dbkit.migrations order by name`;
    expect(names.map((row) => row.name)).toEqual(["000001_create_users_table", "000002_add_mood_to_users", "000003_create_orders"]);
  });

  it("golang-migrate: a file of one CREATE INDEX CONCURRENTLY (and its DROP INDEX CONCURRENTLY down) runs outside a transaction, as golang-migrate sends it", async () => {
    const dir = await project("golang-migrate", {});
    const folder = path.join(dir, "migrations");
    await writeFile(path.join(folder, "000004_orders_created_at_index.up.sql"), "CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_created_at_idx\n    ON orders (created_at);\n");
    await writeFile(path.join(folder, "000004_orders_created_at_index.down.sql"), "DROP INDEX CONCURRENTLY IF EXISTS orders_created_at_idx;\n");
    const ours = await freshDatabase();
    const result = await migrateWithDbkit(dir, ours.url);
    expect(result.stdout).toContain("applied 000004_orders_created_at_index");
    const reference = await freshDatabase();
    for (const name of sqlFiles(folder, /\.up\.sql$/).sort()) await reference.sql.unsafe(readFileSync(path.join(folder, name), "utf8"));
    expect(await schemaOf(ours.url, ["-N", "dbkit"])).toBe(await schemaOf(reference.url, []));
    const down = await runCli(["down"], { cwd: dir, env: { DATABASE_URL: ours.url } });
    expect(down.code, down.stderr).toBe(0);
    expect(await ours.sql`select to_regclass('public.orders_created_at_idx') as idx`).toEqual([{ idx: null }]);
  });

  it("dbmate: only the up sections run (dbmate itself is the reference), transaction:false honoured", async () => {
    const dir = await project("dbmate", { migrationsDir: "db/migrations" });
    const ours = await freshDatabase();
    const result = await migrateWithDbkit(dir, ours.url);
    expect(result.stderr).toContain("as a dbmate folder");
    const reference = await freshDatabase();
    const url = new URL(reference.url);
    url.searchParams.set("sslmode", "disable");
    await run(process.execPath, [DBMATE, "--url", url.toString(), "--migrations-dir", path.join(dir, "db/migrations"), "--no-dump-schema", "up"]);
    expect(await schemaOf(ours.url, ["-N", "dbkit"])).toBe(await schemaOf(reference.url, ["-T", "public.schema_migrations"]));
    const status = await runCli(["status", "--check"], { cwd: dir, env: { DATABASE_URL: ours.url } });
    expect(status.code, status.stdout + status.stderr).toBe(0);
  });

  it("dbmate with hyphen-named files (20240201090000-create-plans.sql, as dbmate reads them): told from postgres-migrations' names by the markers, only the up sections run", async () => {
    const dir = await project("dbmate-hyphen", { migrationsDir: "database/migrations" });
    const ours = await freshDatabase();
    const result = await migrateWithDbkit(dir, ours.url);
    expect(result.stderr).toContain("reading database/migrations/ as a dbmate folder");
    const reference = await freshDatabase();
    const url = new URL(reference.url);
    url.searchParams.set("sslmode", "disable");
    await run(process.execPath, [DBMATE, "--url", url.toString(), "--migrations-dir", path.join(dir, "database/migrations"), "--no-dump-schema", "up"]);
    // The down sections never ran: the type and tables are there, as dbmate leaves them.
    expect(await schemaOf(ours.url, ["-N", "dbkit"])).toBe(await schemaOf(reference.url, ["-T", "public.schema_migrations"]));
    const names = await ours.sql`select name from dbkit.migrations order by name`;
    expect(names.map((row) => row.name)).toEqual(["20240201090000-create-plans", "20240202090000-plan-tier-team", "20240203090000_plan-prices"]);

    // Told to read it as postgres-migrations, whose files run whole: refused before anything runs, never a down.
    await writeFile(path.join(dir, "dbkit.config.json"), JSON.stringify({ migrationsDir: "database/migrations", format: "postgres-migrations" }));
    const fresh = await freshDatabase();
    const refused = await runCli(["migrate", "--json"], { cwd: dir, env: { DATABASE_URL: fresh.url } });
    expect(refused.code, refused.stdout).toBe(2);
    expect(JSON.parse(refused.stdout).error).toMatchObject({ code: "DBKIT_DBMATE_SECTIONS", message: expect.stringContaining("20240201090000-create-plans.sql:10: a dbmate -- migrate:down section") });
    expect(await fresh.sql`select to_regclass('public.plans') as t`).toEqual([{ t: null }]);
  });

  it("node-pg-migrate SQL files (-- Up Migration / -- Down Migration): only the up sections run (node-pg-migrate itself is the reference); dbkit down runs a down section", async () => {
    const dir = await project("node-pg-migrate", {});
    const ours = await freshDatabase();
    const result = await migrateWithDbkit(dir, ours.url);
    expect(result.stderr).toContain("reading migrations/ as a node-pg-migrate folder");
    const reference = await freshDatabase();
    const url = new URL(reference.url);
    url.searchParams.set("sslmode", "disable");
    await run(NODE_PG_MIGRATE, ["up", "-m", path.join(dir, "migrations"), "--no-check-order"], { env: { ...process.env, DATABASE_URL: url.toString() } });
    // Before, each file ran whole: authors was created and dropped again by its own down section.
    expect(await schemaOf(ours.url, ["-N", "dbkit"])).toBe(await schemaOf(reference.url, ["-T", "public.pgmigrations*"]));
    const down = await runCli(["down"], { cwd: dir, env: { DATABASE_URL: ours.url } });
    expect(down.code, down.stderr).toBe(0);
    expect(down.stdout).toContain("reverted 1 migration(s): 1718000200000_books-isbn");
    const columns = await ours.sql`select column_name from information_schema.columns where table_name = 'books' order by ordinal_position`;
    expect(columns.map((row) => row.column_name)).toEqual(["id", "author_id", "title"]);
  });

  it("drizzle-kit: the journal's order, breakpoints understood, a file missing from the journal reported and not run", async () => {
    const dir = await project("drizzle", { migrationsDir: "drizzle" });
    const ours = await freshDatabase();
    const result = await migrateWithDbkit(dir, ours.url);
    expect(result.stderr).toContain("as a drizzle-kit folder");
    expect(result.stderr).toContain("not in meta/_journal.json, so not run (drizzle-kit would not run them either): 0002_abandoned_draft.sql");
    const reference = await freshDatabase();
    // drizzle's own migrator (drizzle-orm), as a drizzle project runs it.
    await migrateWithDrizzle(drizzle(reference.sql), { migrationsFolder: path.join(dir, "drizzle") });
    expect(await schemaOf(ours.url, ["-N", "dbkit"])).toBe(await schemaOf(reference.url, ["-N", "drizzle"]));
  });

  it("postgres-migrations: hyphen-named files in id order, its disable-transaction marker honoured", async () => {
    const dir = await project("postgres-migrations", {});
    const ours = await freshDatabase();
    const result = await migrateWithDbkit(dir, ours.url);
    expect(result.stderr).toContain("as a postgres-migrations folder");
    const reference = await freshDatabase();
    // postgres-migrations itself.
    const url = new URL(reference.url);
    await migrateWithPostgresMigrations(
      { host: url.hostname, port: Number(url.port), user: decodeURIComponent(url.username), password: decodeURIComponent(url.password), database: url.pathname.slice(1) },
      path.join(dir, "migrations"),
    );
    expect(await schemaOf(ours.url, ["-N", "dbkit"])).toBe(await schemaOf(reference.url, ["-T", "public.migrations"]));
    const [row] = await ours.sql`select count(*)::int as n from dbkit.migrations where name = '0003-objects-bucket-name-index' and status = 'applied'`;
    expect(row!.n).toBe(1);
  });

  it("Flyway: versions in numeric order (1, 1.1, 2, 10), undo files kept, repeatables after them and again when changed", async () => {
    const dir = await project("flyway", { migrationsDir: "sql" });
    const ours = await freshDatabase();
    const result = await migrateWithDbkit(dir, ours.url);
    expect(result.stderr).toContain("as a Flyway folder");
    const reference = await freshDatabase();
    const folder = path.join(dir, "sql");
    for (const name of ["V1__create_customers.sql", "V1_1__add_customer_email.sql", "V2__create_invoices.sql", "V10__invoice_status.sql", "R__customer_totals.sql"]) {
      await reference.sql.begin((tx) => tx.unsafe(readFileSync(path.join(folder, name), "utf8")));
    }
    expect(await schemaOf(ours.url, ["-N", "dbkit"])).toBe(await schemaOf(reference.url, []));

    const again = await runCli(["status", "--check"], { cwd: dir, env: { DATABASE_URL: ours.url } });
    expect(again.code, again.stdout + again.stderr).toBe(0);
    // Changing a repeatable makes it pending, not drift; it runs again and is recorded with its new content.
    const changed = readFileSync(path.join(folder, "R__customer_totals.sql"), "utf8").replace("AS total", "AS total, count(i.id) AS invoices");
    await writeFile(path.join(folder, "R__customer_totals.sql"), changed);
    const pending = await runCli(["status", "--check"], { cwd: dir, env: { DATABASE_URL: ours.url } });
    expect(pending.code, pending.stdout + pending.stderr).toBe(6);
    await migrateWithDbkit(dir, ours.url);
    const columns = await ours.sql`select column_name from information_schema.columns where table_name = 'customer_totals' order by ordinal_position`;
    expect(columns.map((row) => row.column_name)).toEqual(["id", "name", "total", "invoices"]);
    expect((await runCli(["status", "--check"], { cwd: dir, env: { DATABASE_URL: ours.url } })).code).toBe(0);
  });

  it("Flyway: a migration of only CREATE/DROP INDEX CONCURRENTLY runs outside a transaction, as Flyway runs it; mixed with other statements it is refused, as Flyway refuses it", async () => {
    const dir = await project("flyway", { migrationsDir: "sql" });
    const folder = path.join(dir, "sql");
    // Replacing an index without blocking writes, the way Flyway projects write it (no .conf needed).
    const replace = "-- Replace the customer index without blocking writes\nDROP INDEX CONCURRENTLY IF EXISTS invoices_customer_idx;\nCREATE INDEX CONCURRENTLY IF NOT EXISTS invoices_customer_id_idx ON invoices (customer_id);\n";
    await writeFile(path.join(folder, "V11__invoice_customer_index.sql"), replace);
    const ours = await freshDatabase();
    const result = await migrateWithDbkit(dir, ours.url);
    expect(result.stdout).toContain("applied V11__invoice_customer_index");
    const [index] = await ours.sql`select indisvalid as valid from pg_index where indexrelid = 'invoices_customer_id_idx'::regclass`;
    expect(index).toEqual({ valid: true });
    expect((await runCli(["verify"], { cwd: dir, env: { DATABASE_URL: ours.url } })).code).toBe(0);

    await writeFile(path.join(folder, "V12__mixed.sql"), "ALTER TABLE invoices ADD COLUMN note text;\nCREATE INDEX CONCURRENTLY invoices_note_idx ON invoices (note);\n");
    const mixed = await runCli(["migrate"], { cwd: dir, env: { DATABASE_URL: ours.url } });
    expect(mixed.code).toBe(2);
    expect(mixed.stderr).toContain("V12__mixed.sql:2: CREATE INDEX CONCURRENTLY cannot run inside a transaction");
  });
});
