import net from "node:net";
import { randomBytes } from "node:crypto";
import { describe, expect, it, onTestFinished } from "vitest";
import { createTestDatabase, serverUrl } from "../support/databases.js";
import { createProject, runCli, type CliResult } from "../support/project.js";
import { json } from "../support/scenario.js";

const MIGRATIONS = { "migrations/0001_a.sql": "create table a (id int);\n" };

/** A URL to the test server's `db` database as `user:password` (raw: inserted as given). */
function urlAs(user: string, rawPassword: string, database: string, params = ""): string {
  const base = new URL(serverUrl());
  return `postgres://${user}:${rawPassword}@${base.hostname}:${base.port}/${database}${params}`;
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** A login role on the test server, dropped after the test. */
async function createRole(password: string, options = ""): Promise<string> {
  const db = await createTestDatabase();
  const role = `dbkit_role_${randomBytes(4).toString("hex")}`;
  await db.sql.unsafe(`create role ${role} login password '${password.replace(/'/g, "''")}' ${options}`);
  onTestFinished(async () => {
    const { default: postgres } = await import("postgres");
    const admin = postgres(serverUrl(), { max: 1, onnotice: () => undefined });
    await admin.unsafe(`drop owned by ${role} cascade`).catch(() => undefined);
    await admin.unsafe(`drop role if exists ${role}`);
    await admin.end();
  });
  return role;
}

async function run(url: string, args: string[] = ["migrate"]): Promise<CliResult> {
  const dir = await createProject(MIGRATIONS);
  return runCli(args, { cwd: dir, env: { DATABASE_URL: url } });
}

function expectNoSecret(result: CliResult, ...secrets: string[]): void {
  for (const secret of secrets) {
    expect(result.stdout).not.toContain(secret);
    expect(result.stderr).not.toContain(secret);
  }
}

describe("connection problems: one clear line, exit 3 (or 2 for a bad URL), password never printed", () => {
  const PASSWORD = "S3cret-Pa55word";

  it("connection refused", async () => {
    const port = await freePort();
    const result = await run(`postgres://app:${PASSWORD}@127.0.0.1:${port}/db`);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain(`error: connection refused by 127.0.0.1:${port}`);
    expect(result.stderr).toContain("hint:");
    expectNoSecret(result, PASSWORD);
  });

  it("unknown host", async () => {
    const result = await run(`postgres://app:${PASSWORD}@no-such-host.invalid:5432/db`);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('unknown host "no-such-host.invalid"');
    expectNoSecret(result, PASSWORD);
  });

  it("a server that never answers: a timeout (connect_timeout in the URL, as libpq)", async () => {
    const sockets: net.Socket[] = [];
    const silent = net.createServer((socket) => void sockets.push(socket)); // accepts, never speaks
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    onTestFinished(() => {
      for (const socket of sockets) socket.destroy();
      silent.close();
    });
    const port = (silent.address() as net.AddressInfo).port;
    const started = Date.now();
    const result = await run(`postgres://app:${PASSWORD}@127.0.0.1:${port}/db?connect_timeout=1`);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain(`timed out connecting to 127.0.0.1:${port}`);
    expect(Date.now() - started).toBeLessThan(8000);
    expectNoSecret(result, PASSWORD);
  });

  it("wrong password", async () => {
    const db = await createTestDatabase();
    const result = await run(urlAs("postgres", PASSWORD, db.name));
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('password authentication failed for user "postgres"');
    expectNoSecret(result, PASSWORD);
    const asJson = await run(urlAs("postgres", PASSWORD, db.name), ["migrate", "--json", "--verbose"]);
    expect(json(asJson).error).toMatchObject({ code: "DBKIT_AUTH_FAILED", exitCode: 3 });
    expectNoSecret(asJson, PASSWORD);
  });

  it("database does not exist", async () => {
    const role = await createRole(PASSWORD);
    const result = await run(urlAs(role, PASSWORD, "no_such_database"));
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('database "no_such_database" does not exist');
    expectNoSecret(result, PASSWORD);
  });

  it("the server does not accept SSL while sslmode=require", async () => {
    const role = await createRole(PASSWORD);
    const result = await run(urlAs(role, PASSWORD, "postgres", "?sslmode=require"), ["status"]);
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/does not accept SSL connections|SSL/);
    expectNoSecret(result, PASSWORD);
  });

  it("a malformed URL and an invalid sslmode are usage errors (exit 2)", async () => {
    const malformed = await run(`postgres://app:${PASSWORD}@host:notaport/db`);
    expect(malformed.code).toBe(2);
    expect(malformed.stderr).toContain("the database URL is not valid");
    expectNoSecret(malformed, PASSWORD);
    const wrongScheme = await run(`mysql://app:${PASSWORD}@host/db`);
    expect(wrongScheme.code).toBe(2);
    expectNoSecret(wrongScheme, PASSWORD);
    const sslmode = await run(`postgres://app:${PASSWORD}@127.0.0.1/db?sslmode=sometimes`);
    expect(sslmode.code).toBe(2);
    expect(sslmode.stderr).toContain('invalid sslmode "sometimes"');
    expectNoSecret(sslmode, PASSWORD);
  });

  it("passwords with special characters work percent-encoded and as typed", async () => {
    const special = "p@ss:w#rd%1!";
    const role = await createRole(special);
    const db = await createTestDatabase();
    await db.sql.unsafe(`grant all on database ${db.name} to ${role}`);
    await db.sql.unsafe(`grant all on schema public to ${role}`);
    const encoded = await run(urlAs(role, encodeURIComponent(special), db.name));
    expect(encoded.code, encoded.stderr).toBe(0);
    const typed = await run(urlAs(role, special, db.name), ["status"]);
    expect(typed.code, typed.stderr).toBe(0);
    expectNoSecret(encoded, special, encodeURIComponent(special));
    const wrong = await run(urlAs(role, encodeURIComponent(`${special}x`), db.name), ["status", "--json", "--verbose"]);
    expect(wrong.code).toBe(3);
    expectNoSecret(wrong, special, encodeURIComponent(special));
  });

  it("a read-only target is refused for migrate with exit 2", async () => {
    const role = await createRole(PASSWORD, "");
    const db = await createTestDatabase();
    await db.sql.unsafe(`alter role ${role} set default_transaction_read_only = on`);
    await db.sql.unsafe(`grant all on database ${db.name} to ${role}`);
    const result = await run(urlAs(role, PASSWORD, db.name));
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("is read-only");
    expectNoSecret(result, PASSWORD);
  });

  it("a role without CREATE rights gets a permission error naming the journal schema", async () => {
    const role = await createRole(PASSWORD);
    const db = await createTestDatabase();
    const result = await run(urlAs(role, PASSWORD, db.name));
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`permission denied for user "${role}"`);
    expect(result.stderr).toContain('journal schema "dbkit"');
  });
});
