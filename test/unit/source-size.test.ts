/** A file of src/ near 300 lines wants splitting (STYLE.md): above it, the test fails. */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const SRC = fileURLToPath(new URL("../../src/", import.meta.url));

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? sources(path.join(dir, entry.name)) : entry.name.endsWith(".ts") ? [path.join(dir, entry.name)] : []));
}

describe("the size of source files", () => {
  it("keeps every file of src/ at 300 lines or fewer", () => {
    const long = sources(SRC)
      .map((file) => ({ file: path.relative(SRC, file), lines: readFileSync(file, "utf8").split("\n").length - 1 }))
      .filter((entry) => entry.lines > 300);
    expect(long).toEqual([]);
  });
});
