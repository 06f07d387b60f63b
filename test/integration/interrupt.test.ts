/**
 * Ctrl-C from the keyboard and other interrupts: typed into a real pseudo-terminal (spinners up,
 * prompts waiting), each command stops, says what it was doing, stops every server it started,
 * and exits with the signal's code.
 */
import { describe, expect, it } from "vitest";
import { exitOf, fileAppears, markerPath, serverStopped } from "../support/child-events.js";
import { spawnCli } from "../support/project.js";
import { journalNames, scenario, tableExists } from "../support/scenario.js";
import { CTRL_C, CTRL_D, HAS_SCRIPT, dbkitInTerminal } from "../support/terminal.js";

describe.skipIf(!HAS_SCRIPT)("Ctrl-C typed in a terminal", () => {
  it("during migrate, with the spinner up, rolls back the migration under way and exits 130", async () => {
    const s = await scenario({ "migrations/0001_slow.sql": "create table slow (id int);\nselect pg_sleep(20);\n" });
    const run = dbkitInTerminal(["migrate"], { cwd: s.dir, env: { DATABASE_URL: s.db.url } });
    await run.waitFor("applying 0001_slow"); // the spinner is on screen
    run.type(CTRL_C);
    const { code, output } = await run.exit;
    expect(code, output).toBe(130);
    expect(output).toContain("interrupted by SIGINT: applied nothing; 0001_slow was rolled back and not recorded");
    expect(await tableExists(s.db, "public.slow")).toBe(false);
    expect(await journalNames(s.db)).toEqual([]);
  });

  it("at reset's confirmation prompt, is a refusal: nothing was changed, exit 130; Ctrl-D (end of input) exits 2", async () => {
    const s = await scenario({ "migrations/0001_t.sql": "create table t (id int);\n" });
    await s.dbkit(["migrate"]);
    for (const [key, exitCode, said] of [[CTRL_C, 130, "Ctrl-C"], [CTRL_D, 2, "no answer (end of input)"]] as const) {
      const run = dbkitInTerminal(["reset", "--no-color"], { cwd: s.dir, env: { DATABASE_URL: s.db.url } });
      await run.waitFor("Type the database name to continue");
      run.type(key);
      const { code, output } = await run.exit;
      expect(code, output).toBe(exitCode);
      expect(output).toContain(`${said} at the confirmation prompt: nothing was changed`);
      expect(output).not.toContain("this is a bug");
      expect(output).not.toContain("unexpected error");
    }
    expect(await journalNames(s.db)).toEqual(["0001_t"]);
    expect(await tableExists(s.db, "public.t")).toBe(true);
  });

  it("during verify, says verify was building the expected schema, stops the scratch server, exits 130", async () => {
    const marker = markerPath();
    const s = await scenario({ "migrations/0001_slow.sql": `create table slow (id int);\ncopy (select 1) to '${marker}';\nselect pg_sleep(60);\n` });
    const run = dbkitInTerminal(["verify"], { cwd: s.dir, env: { DATABASE_URL: s.db.url } });
    await fileAppears(marker); // the scratch server is up and running the migration
    run.type(CTRL_C);
    const { code, output } = await run.exit;
    expect(code, output).toBe(130);
    expect(output).toContain("verify interrupted by SIGINT while building the expected schema");
    expect(output).toContain("verify changes nothing in the database");
    expect(output).not.toContain("dbkit migrate again");
    expect(serverStopped(s.dir, ".dbkit/scratch/data")).toBe(true);
  });
});

describe("an interrupted run with --json", () => {
  it("reports the real exit code and the command in its one document", async () => {
    const marker = markerPath();
    const s = await scenario({ "migrations/0001_slow.sql": `create table slow (id int);\ncopy (select 1) to '${marker}';\nselect pg_sleep(60);\n` });
    const child = spawnCli(["verify", "--json"], { cwd: s.dir, env: { DATABASE_URL: s.db.url } });
    const exit = exitOf(child);
    await fileAppears(marker);
    child.kill("SIGINT");
    const { code, stdout } = await exit;
    expect(code).toBe(130);
    expect(JSON.parse(stdout)).toMatchObject({ ok: false, command: "verify", error: { code: "DBKIT_INTERRUPTED", exitCode: 130 } });
    expect(serverStopped(s.dir, ".dbkit/scratch/data")).toBe(true);
  });
});
