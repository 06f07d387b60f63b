/**
 * A connection cut while dbkit opens it: the bundled CLI (what users run) must report a lost
 * connection (exit 3), never crash on the driver's write to a closed socket (exit 1).
 */
import { describe, expect, it } from "vitest";
import { createProject, runCli } from "../support/project.js";
import { proxiedTestDatabase } from "../support/proxied-database.js";
import type { CutRule } from "../support/tcp-proxy.js";

describe("a connection cut during start-up is a lost connection (exit 3), not a crash", () => {
  it.each<[string, CutRule]>([
    ["after the start-up message", { text: "application_name", when: "after" }],
    ["during authentication", { text: "SCRAM-SHA-256", when: "after" }],
    ["before the first query", { text: "select current_user", when: "before" }],
    ["after the first query", { text: "select current_user", when: "after" }],
    ["before the start-up message", { text: "application_name", when: "before" }],
    ["before the SASL response", { text: "SCRAM-SHA-256", when: "before" }],
    ["before the SASL final", { text: "c=biws", when: "before" }],
    ["after the SASL final", { text: "c=biws", when: "after" }],
    ["before the second query", { text: "select", occurrence: 2, when: "before" }],
  ])("%s", async (_moment, rule) => {
    const { proxy, url } = await proxiedTestDatabase();
    const dir = await createProject({ "migrations/0001_a.sql": "create table a (id int);\n" });
    proxy.cutOn({ ...rule, thenRefuse: true });
    const result = await runCli(["migrate"], { cwd: dir, env: { DATABASE_URL: url.toString() } });
    expect(proxy.cut).toBe(true);
    expect(result.stderr).not.toContain("this is a bug");
    expect(result.code, result.stderr).toBe(3);
  });
});
