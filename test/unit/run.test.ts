/** A run's events, interrupts and progress belong to that run alone. */
import { describe, expect, it } from "vitest";
import type { DbkitEvent } from "../../src/engine/events.js";
import { Interrupts } from "../../src/commands/shared/interrupts.js";
import { Progress } from "../../src/commands/shared/progress.js";
import { collectingWarnings, createRun } from "../../src/commands/shared/run.js";

describe("a run", () => {
  it("runs its own interrupt cleanups once each, not another run's, and not those forgotten", async () => {
    const [one, two] = [new Interrupts(), new Interrupts()];
    const ran: string[] = [];
    one.add(async () => void ran.push("one: server"));
    const forget = one.add(async () => void ran.push("one: forgotten"));
    two.add(async () => void ran.push("two: server"));
    forget();
    await one.run();
    await one.run();
    expect(ran).toEqual(["one: server"]);
    await two.run();
    expect(ran).toEqual(["one: server", "two: server"]);
  });

  it("its shorthands are events; collected warnings stay with the call that made them", () => {
    const events: DbkitEvent[] = [];
    const run = createRun((event) => events.push(event));
    const { reporter, warnings } = collectingWarnings(run);
    reporter.info("building");
    reporter.warn("careful");
    run.warn("another call's");
    expect(events.map((event) => event.type)).toEqual(["info", "warning", "warning"]);
    expect(warnings).toEqual(["careful"]);
    expect(reporter.interrupts).toBe(run.interrupts);
  });

  it("progress says what its own run applied when interrupted", () => {
    const [a, b] = [new Progress(), new Progress()];
    for (const event of [
      { type: "applying", name: "0001_a", kind: "migration", mode: "transaction" },
      { type: "applied", name: "0001_a", kind: "migration", executionMs: 3 },
      { type: "applying", name: "0002_b", kind: "migration", mode: "transaction" },
    ] satisfies DbkitEvent[]) a.record(event);
    b.record({ type: "info", message: "building the expected schema" });
    expect(a.describeInterruptedRun()).toBe("applied 1 migration(s) (last: 0001_a); 0002_b was rolled back and not recorded");
    expect(a.describeInterruptedRun(new Map([["0001_a", "applied"]]))).toBe("applied 1 migration(s) (last: 0001_a); 0002_b was rolled back and not recorded (as the journal holds it now)");
    expect(b.describeInterruptedRun()).toBe("applied nothing");
    expect(b.lastActivity()).toBe("building the expected schema");
    expect(a.lastActivity()).toBeUndefined();
  });
});
