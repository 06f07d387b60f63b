/**
 * A CLI command exits right after its work without waiting for the server to close the session
 * (db/session.ts, `waitForServer: false`), yet every connection it opened must still end with
 * Terminate: the server then sees a client that said goodbye, not a dropped connection
 * ("unexpected EOF on client connection" in its log).
 */
import { describe, expect, it } from "vitest";
import { createProject, runCli } from "../support/project.js";
import { proxiedTestDatabase } from "../support/proxied-database.js";

/** Postgres's Terminate message: 'X' and its length, 4. */
const TERMINATE = Buffer.from([0x58, 0, 0, 0, 4]);

describe("every connection a command opens ends with Terminate", () => {
  it("migrate (applying, then a no-op), status and verify", async () => {
    const { proxy, url } = await proxiedTestDatabase();
    const dir = await createProject({
      "migrations/0001_a.sql": "create table a (id int primary key);\n",
      "migrations/0002_b.sql": "create index a_id on a (id);\n",
    });
    const env = { DATABASE_URL: url.toString() };
    for (const args of [["migrate"], ["migrate"], ["status"], ["status", "--json"], ["verify", "--shadow-url", url.toString()]]) {
      const result = await runCli(args, { cwd: dir, env });
      expect(result.code, `${args.join(" ")}: ${result.stderr}`).toBe(0);
    }
    const ends = await proxy.clientEnds(TERMINATE.length);
    expect(ends.length).toBeGreaterThanOrEqual(5);
    expect(ends.map((end) => end.toString("hex"))).toEqual(ends.map(() => TERMINATE.toString("hex")));
  });
});
