import { describe, expect, it } from "vitest";
import type { StatusResult } from "../../src/engine/status.js";
import { plain, type Painter } from "../../src/output/paint.js";
import { renderStatus } from "../../src/output/render.js";

/** Colours as visible tags, so a test sees which text each one paints. */
const tagged: Painter = { red: (t) => `<r>${t}</r>`, green: (t) => `<g>${t}</g>`, yellow: (t) => `<y>${t}</y>`, cyan: (t) => `<c>${t}</c>`, dim: (t) => `<d>${t}</d>`, bold: (t) => `<b>${t}</b>` };

const AT = "2025-01-20T09:30:00.123Z";
const drifted: StatusResult = {
  entries: [
    { name: "20250101000000_create_users", state: "applied", file: "m/1.sql", appliedAt: AT, executionMs: 12, error: null },
    { name: "20250102000000_add_email", state: "changed", file: "m/2.sql", appliedAt: AT, executionMs: 3456, error: null },
    { name: "20250103000000_index", state: "running", file: "m/3.sql", appliedAt: AT, executionMs: null, error: null, inProgressBy: "pid 42 (dbkit)" },
    { name: "20250104000000_gone", state: "missing", file: null, appliedAt: AT, executionMs: 1, error: null },
    { name: "20250105000000_x", state: "pending", file: "m/5.sql", appliedAt: null, executionMs: null, error: null },
  ],
  seeds: [
    { name: "01_roles.sql", state: "applied", once: true, file: "s/1.sql", appliedAt: AT, executionMs: 5, error: null } as StatusResult["seeds"][number],
    { name: "02_a_longer_seed_name.sql", state: "pending", once: false, file: "s/2.sql", appliedAt: null, executionMs: null },
  ],
  counts: { applied: 1, pending: 1, changed: 1, missing: 1, failed: 0, running: 1 },
  journal: true,
  inSync: false,
  drift: true,
  pending: true,
  outOfOrder: ["20250105000000_x"],
};

describe("renderStatus", () => {
  it("aligns every column to its widest cell, with no trailing spaces, the state painted by its colour", () => {
    expect(renderStatus(drifted, tagged).split("\n")).toEqual([
      "<b>NAME                         STATE                                    APPLIED AT            DURATION</b>",
      "20250101000000_create_users  <g>applied                                </g>  2025-01-20 09:30:00Z  12 ms",
      "20250102000000_add_email     <r>changed                                </r>  2025-01-20 09:30:00Z  3456 ms",
      "20250103000000_index         <r>running (in progress by pid 42 (dbkit))</r>  2025-01-20 09:30:00Z",
      "20250104000000_gone          <r>missing                                </r>  2025-01-20 09:30:00Z  1 ms",
      "20250105000000_x             <y>pending                                </y>",
      "",
      "<b>SEED                       STATE           APPLIED AT            DURATION</b>",
      "01_roles.sql               applied (once)  2025-01-20 09:30:00Z  5 ms",
      "02_a_longer_seed_name.sql  pending",
      "",
      "1 applied, 1 pending, 1 changed, 1 missing, 1 running; seeds: 1 current, 1 not (<r>drift</r>)",
      "<r>out of order:</r> 20250105000000_x sort(s) before the newest applied migration, so migrate refuses them: rename them with a later version, or run dbkit migrate --allow-out-of-order",
    ]);
  });

  it("in plain text, a run of applied migrations and the verdict", () => {
    const entries = ["0001_a", "0002_bb", "0003_ccc"].map((name, i) => ({ name, state: "applied" as const, file: `m/${name}.sql`, appliedAt: AT, executionMs: 10 ** i, error: null }));
    const result = { ...drifted, entries, seeds: [], counts: { ...drifted.counts, applied: 3, pending: 0, changed: 0, missing: 0, running: 0 }, inSync: true, drift: false, pending: false, outOfOrder: [], seedsSkipped: "the target is remote" };
    expect(renderStatus(result, plain)).toBe(
      [
        "NAME      STATE    APPLIED AT            DURATION",
        "0001_a    applied  2025-01-20 09:30:00Z  1 ms",
        "0002_bb   applied  2025-01-20 09:30:00Z  10 ms",
        "0003_ccc  applied  2025-01-20 09:30:00Z  100 ms",
        "",
        "3 applied, 0 pending (in sync)",
        "seeds skipped: the target is remote",
      ].join("\n"),
    );
    expect(renderStatus({ ...result, entries: [] }, plain)).toBe("no migrations found\nseeds skipped: the target is remote");
  });
});
