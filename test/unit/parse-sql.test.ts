import { loadModule, parseSync } from "libpg-query";
import { describe, expect, it } from "vitest";
import { parseStatements } from "../../src/sql/parse-sql.js";
import { leadingTriviaLength } from "../../src/core/sql-lexer.js";

/**
 * The positions computed independently of parseStatements' forward cursor: a table from each
 * UTF-8 byte offset to its string offset, and the offsets of every newline.
 */
function referencePositions(text: string): { offset: number; line: number; text: string }[] {
  const bytes = Buffer.from(text, "utf8");
  const offsetOfByte = new Map<number, number>();
  let byte = 0;
  for (let offset = 0; offset <= text.length; ) {
    offsetOfByte.set(byte, offset);
    const codePoint = text.codePointAt(offset) ?? 0;
    byte += Buffer.byteLength(String.fromCodePoint(codePoint));
    offset += codePoint > 0xffff ? 2 : 1;
  }
  const newlines: number[] = [];
  for (let k = 0; k < text.length; k++) if (text[k] === "\n") newlines.push(k);
  const lineOf = (offset: number) => {
    let low = 0;
    let high = newlines.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (newlines[middle]! < offset) low = middle + 1;
      else high = middle;
    }
    return low + 1;
  };
  const tree = parseSync(text) as { stmts: { stmt_location?: number; stmt_len?: number }[] };
  return tree.stmts.map((raw) => {
    const start = raw.stmt_location ?? 0;
    const statementText = bytes.subarray(start, raw.stmt_len ? start + raw.stmt_len : bytes.length).toString("utf8");
    const offset = offsetOfByte.get(start)!;
    return { offset, line: lineOf(offset + leadingTriviaLength(statementText)), text: statementText };
  });
}

/** A consolidated schema: comments before statements, non-ASCII names and text (two- to four-byte UTF-8), dollar quotes, blank lines. */
function bigSchema(tables: number): string {
  const parts: string[] = ["-- consolidated schema, généré 🚀\n\n"];
  for (let t = 0; t < tables; t++) {
    parts.push(
      `/* table ${t}: données « ${"é".repeat(t % 7)} » */\n`,
      `create table public."tâble_${t}" (\n  id bigint primary key,\n  name text not null default '名前${t}😀',\n  note text\n);\n`,
      `comment on table public."tâble_${t}" is 'ñ ${t} 𝄞';\n\n`,
      `-- index\ncreate index "idx_${t}" on public."tâble_${t}" (name);\n`,
      `create function public.f_${t}() returns int language plpgsql as $body$\nbegin\n  -- ; not an end 😀\n  return ${t};\nend\n$body$;\n`,
    );
  }
  parts.push("select 1"); // last statement without a semicolon: its length runs to the end
  return parts.join("");
}

describe("parseStatements on a large file", () => {
  it("gives the same statements, offsets and lines as computed independently", { timeout: 30_000 }, async () => {
    await loadModule();
    const text = bigSchema(1500);
    expect(text.length).toBeGreaterThan(250_000);
    const parsed = await parseStatements(text);
    if (!parsed.ok) throw new Error(parsed.message);
    const expected = referencePositions(text);
    expect(parsed.statements.length).toBe(1500 * 4 + 1);
    expect(parsed.statements.map(({ offset, line, text }) => ({ offset, line, text }))).toEqual(expected);
    for (const statement of parsed.statements) expect(text.slice(statement.offset, statement.offset + statement.text.length)).toBe(statement.text);
  });

  it("gives the same positions for an all-ASCII file (the fast path)", async () => {
    await loadModule();
    const text = bigSchema(300).replace(/[^\x00-\x7f]/g, "x");
    const parsed = await parseStatements(text);
    if (!parsed.ok) throw new Error(parsed.message);
    expect(parsed.statements.map(({ offset, line, text }) => ({ offset, line, text }))).toEqual(referencePositions(text));
  });
});
