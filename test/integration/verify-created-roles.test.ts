/**
 * The scratch build borrows the target's roles that the migrations name, but never one a
 * migration creates itself: an unguarded CREATE ROLE would then fail in the scratch build.
 */
import { randomBytes } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import postgres from "postgres";
import { serverUrl } from "../support/databases.js";
import { scenario } from "../support/scenario.js";

const created: string[] = [];
afterEach(async () => {
  const admin = postgres(serverUrl(), { max: 1, onnotice: () => undefined });
  for (const role of created.splice(0)) await admin.unsafe(`drop role if exists ${role}`);
  await admin.end();
});

describe("verify's scratch build and the roles migrations create", () => {
  it("builds a migration that creates a role without a guard, on a separate scratch server", async () => {
    const role = `dbkit_app_${randomBytes(4).toString("hex")}`;
    created.push(role);
    const s = await scenario({
      "migrations/0001_roles.sql": `create role ${role} nologin;\ncreate table public.notes (id int primary key);\n`,
    });
    const migrated = await s.dbkit(["migrate"]);
    expect(migrated.code, migrated.stderr).toBe(0);
    // No --shadow-url: the expected schema is built on a scratch server of its own.
    const verified = await s.dbkit(["verify"]);
    expect(verified.code, verified.stdout + verified.stderr).toBe(0);
  });
});
