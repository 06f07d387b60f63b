import { createHash } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { linesSource, splitSeedScript, type ScriptLine, type ScriptSource } from "../../src/core/seed-parts.js";
import { fileSource } from "../../src/fs/seed-source.js";

const dir = mkdtempSync(path.join(os.tmpdir(), "dbkit-seedsource-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The rules seeds were always read by: BOM stripped, CRLF, CR and LF each end a line. */
function normalised(bytes: Buffer): string {
  const text = bytes.toString("utf8").replace(/^\uFEFF/, "");
  return text.replace(/\r\n?/g, "\n");
}

function* referenceLines(text: string): Generator<ScriptLine> {
  const lines = text.split("\n");
  for (const [i, line] of lines.entries()) {
    if (i === lines.length - 1 && line === "") return;
    yield { text: line, line: i + 1, newline: i < lines.length - 1 };
  }
}

/** Parts with each COPY's data joined, and the line the source ended on. */
function partsOf(source: ScriptSource) {
  return [...splitSeedScript(source, 64)].map((part) =>
    part.kind === "copy" ? { ...part, data: [...part.data].map((chunk) => (typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8"))).join("") } : part,
  );
}

const SCRIPTS: Record<string, string | Buffer> = {
  "pg_dump --data-only": [
    "--\n-- PostgreSQL database dump\n--\n\n\\restrict abc123\n\nSET client_encoding = 'UTF8';\n",
    "COPY public.t (id, name) FROM stdin;\n1\tone\n2\t\\N\n3\tcafé 😀\n4\t\\\\.not the end\n\\.\n\n",
    "SELECT pg_catalog.setval('public.t_id_seq', 4, true);\n\n",
    "COPY public.empty (id) FROM stdin;\n\\.\n",
    "COPY public.u (id) FROM stdin;\n7\n\\.\n\\unrestrict abc123\n",
  ].join(""),
  "CRLF line ends and a BOM": Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from("set x = 1;\r\nCOPY t (a) FROM stdin;\r\n1\r\n2\r\n\\.\r\nselect 1;\r\n")]),
  "COPY data to the end of the file, no terminator, no last newline": "COPY t (a) FROM stdin;\n1\n2",
  "a terminator at the end of the file without a newline": "COPY t (a) FROM stdin;\n1\n\\.",
  "lone CR line ends": "select 1;\rCOPY t (a) FROM stdin;\r1\r\\.\rselect 2;\r",
  "a backslash-dot inside a row is data": "COPY t (a, b) FROM stdin;\nx\t\\.\n\\.x\n\\.\nselect 3;\n",
};

describe("reading a seed file in blocks", () => {
  for (const [name, script] of Object.entries(SCRIPTS)) {
    it(`gives the same parts, lines and checksum as line by line, across every block boundary: ${name}`, () => {
      const file = path.join(dir, `${name.replace(/\W+/g, "_")}.sql`);
      const bytes = Buffer.isBuffer(script) ? script : Buffer.from(script);
      writeFileSync(file, bytes);
      const text = normalised(bytes);
      const expected = partsOf(linesSource(referenceLines(text)));
      const expectedChecksum = createHash("sha256").update(text).digest("hex");
      for (const block of [1, 2, 3, 4, 5, 7, 11, 64, 1 << 20]) {
        const hash = createHash("sha256");
        const source = fileSource(file, name, hash, block);
        const parts = partsOf(source);
        source.close();
        // A last COPY line without a newline reaches the server with one; the checksum keeps the file as it is.
        expect(parts, `block ${block}`).toEqual(expected.map((part) => (part.kind === "copy" && !part.data.endsWith("\n") && part.data !== "" ? { ...part, data: `${part.data}\n` } : part)));
        expect(hash.digest("hex"), `block ${block}`).toBe(expectedChecksum);
      }
    });
  }

  it("refuses invalid UTF-8 and NUL bytes in SQL with the line", () => {
    const file = path.join(dir, "bad.sql");
    writeFileSync(file, Buffer.concat([Buffer.from("select 1;\nselect '"), Buffer.from([0xff]), Buffer.from("';\n")]));
    expect(() => partsOf(fileSource(file, "seeds/bad.sql"))).toThrow("seeds/bad.sql:2: invalid UTF-8");
    writeFileSync(file, "select 1;\n\nselect '\0';\n");
    expect(() => partsOf(fileSource(file, "seeds/bad.sql"))).toThrow(/seeds\/bad.sql:3: the file contains a NUL byte/);
  });
});
