/**
 * Privileges on procedural languages the migrations create, grant or revoke on, or create with an
 * extension: verify compares them as Postgres applies them (a language never granted on lets
 * PUBLIC use it), and diff writes `GRANT/REVOKE USAGE ON LANGUAGE`, proven by a round trip. The
 * built-in languages are compared only where the migrations name them. On the bundled Postgres and
 * on Debian's Postgres 15 (skipped where it is not installed).
 */
import postgres from "postgres";
import { beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, serverUrl } from "../support/databases.js";
import { verifyAfter } from "../support/verify-after.js";
import { diffRoundTrip } from "../support/diff-round-trip.js";
import { hasPg15, startPg15 } from "../support/pg15.js";

const ROLE = "dbkit_lang_user";
const createRole = `do $$ begin create role ${ROLE}; exception when duplicate_object or unique_violation then null; end $$`;
/** A trusted language of its own, on plpgsql's handler: every server has it, unlike PL/Perl or PL/Tcl. */
const PL2 = "create trusted language pl2 handler plpgsql_call_handler validator plpgsql_validator;";

beforeAll(async () => {
  const admin = postgres(serverUrl(), { max: 1, onnotice: () => undefined });
  await admin.unsafe(createRole); // roles are the server's, shared by every test database
  await admin.end();
});

const PROJECT = {
  "migrations/0001_languages.sql": [`${createRole};`, PL2, "revoke usage on language plpgsql from public;", `grant usage on language plpgsql to ${ROLE};`, ""].join("\n"),
};

/** [what, SQL run on the migrated database, exit code, the line verify prints]. */
const CASES: [string, string, number, string][] = [
  ["nothing changed", "select 1", 0, "PASSED"],
  ["PUBLIC's USAGE revoked from a language the migrations create", "revoke usage on language pl2 from public", 5, "- privilege language pl2 to PUBLIC: missing"],
  ["PUBLIC's USAGE given back on a language the migrations closed", "grant usage on language plpgsql to public", 5, "+ privilege language plpgsql to PUBLIC: not created by the migrations"],
  ["a role's USAGE the migrations grant, revoked", `revoke usage on language plpgsql from ${ROLE}`, 5, `- privilege language plpgsql to ${ROLE}: missing`],
  ["a grant on a language the migrations create, made by hand", `grant usage on language pl2 to ${ROLE}`, 5, `+ privilege language pl2 to ${ROLE}: not created by the migrations`],
  // A built-in language the migrations never name is the platform's: a hosted base may set its own.
  ["PUBLIC's USAGE revoked from sql, which the migrations never name", "revoke usage on language sql from public", 0, "PASSED"],
];


/** A round trip that must be exact, with nothing unsupported; returns the plan's SQL. */
async function exact(from: string, to: string, server?: string): Promise<string> {
  const trip = await diffRoundTrip(from, to, server ? { serverUrl: server } : {});
  expect(trip.plan.unsupported, trip.sql).toEqual([]);
  expect(trip.differences, trip.sql).toEqual([]);
  return trip.sql;
}

const OPEN = PL2;
const CLOSED = `${PL2} revoke usage on language pl2 from public; revoke usage on language plpgsql from public; grant usage on language pl2 to ${ROLE};`;

describe("verify: privileges on languages", () => {
  it.each(CASES)("%s", async (_what, change, code, line) => {
    const result = await verifyAfter(PROJECT, serverUrl(), change);
    expect(result.code, result.stdout + result.stderr).toBe(code);
    expect(result.stdout).toContain(line);
  });
});

describe("diff round trip: privileges on languages", () => {
  it("revokes PUBLIC's USAGE from a language that had no ACL and from plpgsql, grants a role's, and back", async () => {
    const sql = await exact(OPEN, CLOSED);
    expect(sql).toContain("REVOKE USAGE ON LANGUAGE pl2 FROM PUBLIC;");
    expect(sql).toContain("REVOKE USAGE ON LANGUAGE plpgsql FROM PUBLIC;");
    expect(sql).toContain(`GRANT USAGE ON LANGUAGE pl2 TO ${ROLE};`);
    const back = await exact(CLOSED, OPEN);
    expect(back).toContain("GRANT USAGE ON LANGUAGE plpgsql TO PUBLIC;");
    expect(back).toContain(`REVOKE USAGE ON LANGUAGE pl2 FROM ${ROLE};`);
  });

  it("writes nothing for a language an extension this plan creates brings with its default privileges, and nothing for one it drops", async (context) => {
    // PL/Tcl needs libtcl on the machine: skipped where the extension cannot be created.
    const probe = await createTestDatabase();
    const available = await probe.sql.unsafe("create extension pltcl").then(() => true, () => false);
    if (!available) context.skip();
    const withTcl = `create extension pltcl; revoke usage on language plpgsql from public;`;
    expect(await exact("revoke usage on language plpgsql from public;", withTcl)).not.toMatch(/GRANT|REVOKE/);
    expect(await exact(withTcl, "revoke usage on language plpgsql from public;")).not.toMatch(/GRANT|REVOKE/);
    // PUBLIC's USAGE revoked on the language of an extension that stays.
    expect(await exact(withTcl, `${withTcl} revoke usage on language pltcl from public;`)).toContain("REVOKE USAGE ON LANGUAGE pltcl FROM PUBLIC;");
  });
});

describe.skipIf(!hasPg15)("privileges on languages, on Debian's Postgres 15 (skipped where it is not installed)", () => {
  it("verify finds each change and the unchanged database clean; diff revokes and grants them back", { timeout: 240_000 }, async () => {
    const server = await startPg15("languages");
    const admin = postgres(server.url(), { max: 1, onnotice: () => undefined });
    await admin.unsafe(createRole);
    await admin.end();
    for (const [what, change, code, line] of CASES) {
      const result = await verifyAfter(PROJECT, server.url(), change);
      expect(result.code, `${what}:\n${result.stdout}${result.stderr}`).toBe(code);
      expect(result.stdout, what).toContain(line);
    }
    expect(await exact(OPEN, CLOSED, server.url())).toContain("REVOKE USAGE ON LANGUAGE pl2 FROM PUBLIC;");
    expect(await exact(CLOSED, OPEN, server.url())).toContain("GRANT USAGE ON LANGUAGE plpgsql TO PUBLIC;");
  });
});
