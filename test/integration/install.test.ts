/**
 * The install line of the README, run as written in a fresh project next to a packed dbkit:
 * the package installs, its CLI runs, and the embedded database works from the installed copy.
 */
import { execFile } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it, onTestFinished } from "vitest";

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, "../..");

/** The `npm i -D ...` line of the README's "Getting started in your project". */
function readmeInstallLine(): string {
  const readme = readFileSync(path.join(ROOT, "README.md"), "utf8");
  const section = readme.slice(readme.indexOf("## Getting started in your project"));
  const line = /^npm i -D .+$/m.exec(section)?.[0];
  if (!line) throw new Error("the README has no npm i -D line under Getting started in your project");
  return line;
}

describe("installing dbkit as the README says", () => {
  it("the README's npm i -D line installs a working dbkit into a new project", { timeout: 300_000 }, async () => {
    const line = readmeInstallLine();
    expect(line).not.toBe("npm i -D dbkit"); // not on the registry yet: that line fails with 404
    const base = mkdtempSync(path.join(os.tmpdir(), "dbkit-install-"));
    // As root the server runs as another user: a folder it can enter keeps its data in the project
    // (removed below) instead of a folder of its own in the temporary directory, left behind.
    chmodSync(base, 0o755);
    onTestFinished(() => rmSync(base, { recursive: true, force: true }));
    // The layout the README's commands make: the clone (with its packed tarball) beside the project.
    const clone = path.join(base, "dbkit");
    const app = path.join(base, "app");
    mkdirSync(clone);
    mkdirSync(path.join(app, "migrations"), { recursive: true });
    // --ignore-scripts: dist/ is built already (pretest), and a rebuild would race the other tests.
    await run("npm", ["pack", "--ignore-scripts", "--pack-destination", clone], { cwd: ROOT });
    writeFileSync(path.join(app, "package.json"), '{ "name": "app", "private": true }\n');
    writeFileSync(path.join(app, "migrations", "0001_notes.sql"), "create table notes (id int);\n");
    // The line as written; the npm cache filled by `npm ci` serves the dependencies when it can.
    const env = { ...process.env, npm_config_prefer_offline: "true", npm_config_audit: "false", npm_config_fund: "false" };
    await run("sh", ["-c", line], { cwd: app, env, maxBuffer: 16 * 1024 * 1024 });
    const version = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")).version as string;
    const installed = await run("npx", ["--no-install", "dbkit", "--version"], { cwd: app, env });
    expect(installed.stdout.trim()).toBe(version);
    const migrate = await run("npx", ["--no-install", "dbkit", "migrate"], { cwd: app, env });
    expect(migrate.stdout).toContain("applied 0001_notes");
  });
});
