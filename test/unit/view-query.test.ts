import { describe, expect, it } from "vitest";
import { comparableViewQuery } from "../../src/core/view-query.js";
import { parseStatements } from "../../src/sql/parse-sql.js";

async function comparable(definition: string): Promise<string> {
  const parsed = await parseStatements(definition);
  if (!parsed.ok) throw new Error(parsed.message);
  const [statement] = parsed.statements;
  return comparableViewQuery({ [statement!.kind]: statement!.node });
}

// pg_get_viewdef of the same views on Postgres 15 and on 17 (16 and later print alike).
const PRINTED: [string, string, string][] = [
  ["single table", " SELECT a.id,\n    a.x\n   FROM vt.a\n  WHERE (a.x IS NOT NULL)\n  ORDER BY a.id;", " SELECT id,\n    x\n   FROM vt.a\n  WHERE (x IS NOT NULL)\n  ORDER BY id;"],
  ["an alias, and a subquery printed qualified by both", " SELECT t.id\n   FROM vt.a t\n  WHERE (t.x IN ( SELECT b.y\n           FROM vt.b));", " SELECT id\n   FROM vt.a t\n  WHERE (x IN ( SELECT b.y\n           FROM vt.b));"],
  ["a correlated subquery", " SELECT a.id,\n    ( SELECT count(*) AS count\n           FROM vt.b\n          WHERE (b.aid = a.id)) AS n\n   FROM vt.a;", " SELECT id,\n    ( SELECT count(*) AS count\n           FROM vt.b\n          WHERE (b.aid = a.id)) AS n\n   FROM vt.a;"],
  ["window, GROUP BY and HAVING", " SELECT a.id,\n    a.x,\n    sum(a.id) OVER (PARTITION BY a.x) AS sum\n   FROM vt.a\n  GROUP BY a.id, a.x\n HAVING (count(*) > 0);", " SELECT id,\n    x,\n    sum(id) OVER (PARTITION BY x) AS sum\n   FROM vt.a\n  GROUP BY id, x\n HAVING (count(*) > 0);"],
];

describe("view queries printed by different Postgres majors", () => {
  it.each(PRINTED)("are the same query: %s", async (_what, postgres15, postgres17) => {
    expect(await comparable(postgres15)).toBe(await comparable(postgres17));
  });

  it("still tells different queries apart", async () => {
    expect(await comparable("SELECT id FROM vt.a;")).not.toBe(await comparable("SELECT x FROM vt.a;"));
    expect(await comparable("SELECT a.id FROM vt.a WHERE (a.x IS NOT NULL);")).not.toBe(await comparable("SELECT id FROM vt.a;"));
    // A join keeps its qualifiers: they say which table a column comes from.
    expect(await comparable("SELECT a.id FROM (vt.a JOIN vt.b ON ((b.aid = a.id)));")).not.toBe(await comparable("SELECT b.id FROM (vt.a JOIN vt.b ON ((b.aid = a.id)));"));
    // Only the relation's own name is dropped, never another one.
    expect(await comparable("SELECT other.id FROM vt.a;")).not.toBe(await comparable("SELECT id FROM vt.a;"));
  });
});
