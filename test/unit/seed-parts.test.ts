import { describe, expect, it } from "vitest";
import { linesSource, splitSeedScript, type SeedPart } from "../../src/core/seed-parts.js";
import { planSeeds } from "../../src/core/seed-plan.js";
import type { JournalRow, SeedFile } from "../../src/core/types.js";

function* linesOf(text: string) {
  const lines = text.split("\n");
  for (const [i, line] of lines.entries()) {
    if (i === lines.length - 1 && line === "") return;
    yield { text: line, line: i + 1, newline: i < lines.length - 1 };
  }
}

async function parts(text: string, flushBytes?: number) {
  const out: (Exclude<SeedPart, { kind: "copy" }> | { kind: "copy"; statement: string; line: number; rows: string[] })[] = [];
  for (const part of splitSeedScript(linesSource(linesOf(text)), flushBytes)) {
    if (part.kind === "copy") {
      const rows: string[] = [];
      for (const chunk of part.data) rows.push(...String(chunk).split("\n").slice(0, -1));
      out.push({ kind: "copy", statement: part.statement, line: part.line, rows });
    } else out.push(part);
  }
  return out;
}

describe("splitting seed scripts", () => {
  it("separates SQL, COPY blocks and includes, with their lines", async () => {
    const script = "set x = 1;\nCOPY public.t (a, b) FROM stdin;\n1\tone\n2\t\\N\n\\.\nselect setval('s', 2);\n\\ir more.sql\n";
    expect(await parts(script)).toEqual([
      { kind: "sql", text: "set x = 1;\n", line: 1 },
      { kind: "copy", statement: "COPY public.t (a, b) FROM stdin;", line: 2, rows: ["1\tone", "2\t\\N"] },
      { kind: "sql", text: "select setval('s', 2);\n", line: 6 },
      { kind: "include", target: "more.sql", line: 7 },
    ]);
  });

  it("does not mistake text inside strings or dollar quotes for COPY or meta-commands", async () => {
    const script = "insert into t values ('\nCOPY x FROM stdin;\n\\i nope.sql\n');\n";
    expect(await parts(script)).toEqual([{ kind: "sql", text: script, line: 1 }]);
  });

  it("reports unsupported meta-commands with their line", async () => {
    expect(await parts("select 1;\n\\set x 1\n")).toEqual([
      { kind: "sql", text: "select 1;\n", line: 1 },
      { kind: "meta", command: "\\set", line: 2 },
    ]);
  });

  it("sends long SQL in pieces at statement boundaries", async () => {
    const script = Array.from({ length: 10 }, (_, i) => `insert into t values (${i});`).join("\n");
    const split = await parts(script, 60);
    expect(split.length).toBeGreaterThan(1);
    expect(split.map((p) => (p.kind === "sql" ? p.text : "")).join("")).toBe(script);
  });
});

describe("planning seeds", () => {
  const seed = (name: string, checksum: string, once = false): SeedFile => ({ kind: "seed", name, version: "0", path: `seeds/${name}`, absolutePath: `/p/seeds/${name}`, checksum, directives: { noTransaction: false, seedOnce: once } });
  const row = (name: string, checksum: string): JournalRow => ({ name, version: "0", kind: "seed", checksum, status: "applied", appliedAt: new Date(), executionMs: 1, error: null });

  it("runs new seeds and changed default seeds, never changed once-seeds", () => {
    const plan = planSeeds([seed("a.sql", "1"), seed("b.sql", "2"), seed("c.sql", "new"), seed("d.sql", "new", true)], [row("b.sql", "2"), row("c.sql", "old"), row("d.sql", "old"), row("gone.sql", "x")]);
    expect(plan.toRun.map((s) => s.name)).toEqual(["a.sql", "c.sql"]);
    expect(plan.changedOnce.map((e) => e.name)).toEqual(["d.sql"]);
    expect(plan.entries.map((e) => [e.name, e.state])).toEqual([
      ["a.sql", "pending"],
      ["b.sql", "applied"],
      ["c.sql", "changed"],
      ["d.sql", "changed"],
      ["gone.sql", "missing"],
    ]);
  });
});
