import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { scenario } from "../support/scenario.js";

const run = promisify(execFile);
const API = fileURLToPath(new URL("../../dist/index.js", import.meta.url));

/** A program that embeds dbkit, runs `body` after migrate() and prints what it saw. */
function hostProgram(body: string): string {
  return `
    const { migrate } = await import(${JSON.stringify(API)});
    const result = await migrate({ cwd: process.env.PROJECT, url: process.env.DATABASE_URL });
    console.log("migrated", result.applied.length);
    ${body}
  `;
}

describe("a program embedding the API", () => {
  it("keeps control of its process: an unrelated uncaught error after migrate() reaches its own handler and the process goes on", async () => {
    const s = await scenario({ "migrations/0001_a.sql": "create table a (id int);\n" });
    const program = hostProgram(`
      process.on("uncaughtException", (error) => {
        console.log("host handled:", error.message);
        setImmediate(() => console.log("still running"));
      });
      setImmediate(() => { throw new Error("unrelated failure"); });
    `);
    const { stdout } = await run(process.execPath, ["--input-type=module", "-e", program], { env: { ...process.env, PROJECT: s.dir, DATABASE_URL: s.db.url } });
    expect(stdout.split("\n")).toEqual(["migrated 1", "host handled: unrelated failure", "still running", ""]);
  });

  it("leaves no uncaughtException listener of dbkit's behind after migrate()", async () => {
    const s = await scenario({ "migrations/0001_a.sql": "create table a (id int);\n" });
    const program = hostProgram(`setImmediate(() => console.log("listeners", process.listenerCount("uncaughtException")));`);
    const { stdout } = await run(process.execPath, ["--input-type=module", "-e", program], { env: { ...process.env, PROJECT: s.dir, DATABASE_URL: s.db.url } });
    expect(stdout.split("\n")).toEqual(["migrated 1", "listeners 0", ""]);
  });
});
