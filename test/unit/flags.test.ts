/** Commander's values go through each command's schema and the global groups' before anything runs. */
import { describe, expect, it } from "vitest";
import { command as down } from "../../src/commands/down.js";
import { command as lint } from "../../src/commands/lint.js";
import { command as newCommand } from "../../src/commands/new.js";
import { command as verify } from "../../src/commands/verify.js";
import { parseFlags } from "../../src/commands/shared/flags.js";
import { UsageError } from "../../src/errors.js";

function problems(run: () => unknown): { message: string; problems: string[] } {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    const usage = error as UsageError;
    expect(usage.exitCode).toBe(2);
    expect(usage.message).not.toContain("\n");
    return { message: usage.message, problems: usage.details?.problems as string[] };
  }
  throw new Error("no usage error");
}

describe("flags validated as a whole", () => {
  it("lint: every bad flag in one error, each with its value and what is allowed", () => {
    const { message, problems: listed } = problems(() => parseFlags("lint", lint.input(), { failOn: "sometimes", format: "xml", args: [] }));
    expect(listed).toEqual(["--fail-on sometimes: use warn or error", "--format xml: use human or github"]);
    expect(message).toBe("2 problems with the flags: --fail-on sometimes: use warn or error; --format xml: use human or github");
  });

  it("down: --steps must be a whole number of at least 1", () => {
    for (const steps of ["abc", "0", "-1", "1.5"]) expect(problems(() => parseFlags("down", down.input(), { steps, args: [] })).problems).toEqual([`--steps ${steps}: must be a whole number of at least 1`]);
    expect(parseFlags("down", down.input(), { steps: "3", dryRun: true, args: [] }).input).toEqual({ steps: "3", dryRun: true });
  });

  it("verify: --fail-on, with the global groups' problems in the same error", () => {
    const { problems: listed } = problems(() => parseFlags("verify", verify.input(), { failOn: "never", json: "yes", args: [] }));
    expect(listed).toHaveLength(2);
    expect(listed).toContain("--fail-on never: use warn or error");
    expect(listed.find((p) => p.startsWith("--json"))).toBeDefined();
  });

  it("a wrong flag brings the settings' problems into the same error; valid flags do not check them", () => {
    const settingsProblems = (flags: { lockTimeout?: string }) => (flags.lockTimeout === "soon" ? ["lockTimeout: must be a duration"] : []);
    const { problems: listed } = problems(() => parseFlags("down", down.input(), { steps: "x", lockTimeout: "soon", args: [] }, settingsProblems));
    expect(listed).toEqual(["--steps x: must be a whole number of at least 1", "lockTimeout: must be a duration"]);
    expect(parseFlags("down", down.input(), { lockTimeout: "soon", args: [] }, settingsProblems).global).toEqual({ lockTimeout: "soon" });
  });

  it("keeps valid values, global ones apart from the command's own", () => {
    const parsed = parseFlags("new", newCommand.input(), { seed: true, url: "postgres://x@h/db", json: true, args: [["add", "users"]] });
    expect(parsed.input).toEqual({ seed: true, args: [["add", "users"]] });
    expect(parsed.global).toEqual({ url: "postgres://x@h/db", json: true });
  });
});
