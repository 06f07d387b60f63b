/**
 * A Supabase project's seed.sql is development data (the Supabase CLI runs it on a local
 * `db reset`, never on `db push`): dbkit runs the seeds of supabase/config.toml only on a database
 * on this machine unless asked. "Remote" here is the test server reached through this machine's
 * non-loopback address, which dbkit cannot tell from a database elsewhere.
 */
import { rm } from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { describe, expect, it, onTestFinished } from "vitest";
import { createTestDatabase } from "../support/databases.js";
import { createProject, runCli } from "../support/project.js";
import { json } from "../support/scenario.js";

/** The first non-loopback IPv4 address of this machine, if it has one. */
const EXTERNAL_ADDRESS = Object.values(os.networkInterfaces())
  .flat()
  .find((address) => address && address.family === "IPv4" && !address.internal)?.address;

/** Forwards `address`:<free port> to the test server; returns the URL of `url`'s database through it. */
async function throughExternalAddress(url: string, address: string): Promise<string> {
  const target = new URL(url);
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(target.port), target.hostname);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on("error", () => undefined);
      socket.on("close", () => sockets.delete(socket));
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, address, resolve));
  onTestFinished(() => {
    for (const socket of sockets) socket.destroy();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  });
  const remote = new URL(url);
  remote.hostname = address;
  remote.port = String((server.address() as net.AddressInfo).port);
  remote.searchParams.set("sslmode", "disable"); // the test server has no certificate
  return remote.toString();
}

const PROJECT = {
  "supabase/config.toml": '[db.seed]\nenabled = true\nsql_paths = ["./seed.sql"]\n',
  "supabase/migrations/20250101000000_notes.sql": "create table public.notes (id int primary key, body text);\n",
  "supabase/seed.sql": "insert into public.notes values (1, 'development data') on conflict do nothing;\n",
};

async function supabaseProject(files: Record<string, string> = PROJECT): Promise<string> {
  const dir = await createProject(files);
  await rm(path.join(dir, "migrations"), { recursive: true }); // the Supabase layout has no top-level migrations/
  return dir;
}

describe.skipIf(!EXTERNAL_ADDRESS)("Supabase seeds on a database not on this machine", () => {
  it("are not planned or run by migrate, status says why, and --seed runs them", async () => {
    const db = await createTestDatabase();
    const dir = await supabaseProject();
    const env = { DATABASE_URL: await throughExternalAddress(db.url, EXTERNAL_ADDRESS!) };

    const dry = await runCli(["migrate", "--dry-run", "--json"], { cwd: dir, env });
    expect(dry.code, dry.stdout).toBe(0);
    const plan = json(dry);
    expect(plan.planned.map((step: { name: string }) => step.name)).toEqual(["20250101000000_notes"]);
    expect(plan.seeds).toBeNull();
    expect(plan.seedsSkipped).toContain("not on this machine");

    const migrate = await runCli(["migrate"], { cwd: dir, env });
    expect(migrate.code, migrate.stderr).toBe(0);
    expect(migrate.stderr).toContain("seeds skipped: the seeds of supabase/config.toml are development data");
    expect(migrate.stderr).toContain("--seed");
    expect(await db.sql`select * from public.notes`).toHaveLength(0);

    const status = await runCli(["status", "--check"], { cwd: dir, env });
    expect(status.code, status.stdout).toBe(0); // skipped seeds are not pending work
    expect(status.stdout).toContain("seeds skipped: the seeds of supabase/config.toml");

    const asked = await runCli(["migrate", "--seed"], { cwd: dir, env });
    expect(asked.code, asked.stderr).toBe(0);
    expect(await db.sql`select body from public.notes`).toEqual([{ body: "development data" }]);
  });

  it("run there when dbkit.config.json says seedRemote", async () => {
    const db = await createTestDatabase();
    const dir = await supabaseProject({ ...PROJECT, "dbkit.config.json": '{ "seedRemote": true }\n' });
    const env = { DATABASE_URL: await throughExternalAddress(db.url, EXTERNAL_ADDRESS!) };
    const plan = json(await runCli(["migrate", "--dry-run", "--json"], { cwd: dir, env }));
    expect(plan.seeds.planned).toEqual(["seed.sql"]);
  });
});

describe("Supabase seeds on a local database", () => {
  it("are planned as before", async () => {
    const db = await createTestDatabase();
    const dir = await supabaseProject();
    const plan = json(await runCli(["migrate", "--dry-run", "--json"], { cwd: dir, env: { DATABASE_URL: db.url } }));
    expect(plan.seeds.planned).toEqual(["seed.sql"]);
    expect(plan.seedsSkipped).toBeUndefined();
  });

  it("keep the names of config.toml after dbkit init (no other .sql in supabase/ becomes a seed)", async () => {
    const db = await createTestDatabase();
    const dir = await supabaseProject({
      "supabase/config.toml": '[db.seed]\nsql_paths = ["./seeds/*.sql"]\n',
      "supabase/migrations/20250101000000_notes.sql": PROJECT["supabase/migrations/20250101000000_notes.sql"],
      "supabase/seeds/01_notes.sql": PROJECT["supabase/seed.sql"],
      "supabase/scratch-query.sql": "select 1;\n",
    });
    const init = await runCli(["init"], { cwd: dir });
    expect(init.code, init.stderr).toBe(0);
    const plan = json(await runCli(["migrate", "--dry-run", "--json"], { cwd: dir, env: { DATABASE_URL: db.url } }));
    expect(plan.planned.map((step: { name: string }) => step.name)).toEqual(["20250101000000_notes"]);
    expect(plan.seeds.planned).toEqual(["seeds/01_notes.sql"]);
  });
});
