import { afterEach, describe, expect, it, vi } from "vitest";
import { report } from "../../src/commands/shared/report-error.js";
import { ConnectionError, DriftError, MigrationFailedError, PendingWorkError, UsageError } from "../../src/errors.js";
import { Output } from "../../src/output/output.js";

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  vi.spyOn(process.stdout, "write").mockImplementation((chunk) => (out.push(String(chunk)), true));
  vi.spyOn(process.stderr, "write").mockImplementation((chunk) => (err.push(String(chunk)), true));
  return { out, err };
}

const output = (json: boolean, secrets: string[] = []) => new Output({ json, quiet: false, verbose: false, secrets });

afterEach(() => vi.restoreAllMocks());

describe("the top-level error report", () => {
  it("maps each error class to its documented exit code", () => {
    capture();
    const o = output(false);
    expect(report(new UsageError("X", "m"), o, "migrate")).toBe(2);
    expect(report(new ConnectionError("X", "m"), o, "migrate")).toBe(3);
    expect(report(new MigrationFailedError("X", "m"), o, "migrate")).toBe(4);
    expect(report(new DriftError("X", "m"), o, "migrate")).toBe(5);
    expect(report(new PendingWorkError("m"), o, "status")).toBe(6);
  });

  it("reports anything else as an internal error (exit 1) that asks to be reported", () => {
    const { err } = capture();
    expect(report(new TypeError("cannot read properties of undefined"), output(false), "migrate")).toBe(1);
    expect(err.join("")).toContain("error: unexpected error: cannot read properties of undefined");
    expect(err.join("")).toContain("this is a bug in dbkit; please report it");
  });

  it("prints errors as one JSON document with --json", () => {
    const { out, err } = capture();
    report(new TypeError("boom"), output(true), "status");
    expect(JSON.parse(out.join(""))).toMatchObject({ schemaVersion: 1, ok: false, command: "status", error: { code: "DBKIT_INTERNAL", exitCode: 1 } });
    expect(err).toEqual([]);
  });

  it("masks secrets in every message, including unexpected errors", () => {
    const { out } = capture();
    report(new Error("failed for postgres://u:hunter2@h/d and hunter2"), output(true, ["hunter2"]), "migrate");
    expect(out.join("")).not.toContain("hunter2");
  });
});
