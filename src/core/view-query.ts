/**
 * View definitions as pg_get_viewdef prints them differ between Postgres majors: from 16 on, a
 * SELECT over a single relation names its columns unqualified (`SELECT id FROM t`), where 15
 * printed `SELECT t.id FROM t`. Subqueries, joins and set operations are printed qualified by
 * both. verify compares views built on one major (the scratch server) with a target on another,
 * so it compares their parsed queries in this form instead of the text.
 */

type Node = Record<string, unknown>;

const isNode = (value: unknown): value is Node => typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * A parsed view query (libpg_query's `{ SelectStmt: ... }` tree) as a string that is the same for
 * both spellings: the qualifier of the single relation is dropped from the top-level query's own
 * column references, and parser positions are left out.
 */
export function comparableViewQuery(statement: Node): string {
  const select = statement.SelectStmt;
  return JSON.stringify(comparable(statement, isNode(select) ? singleRelationName(select) : undefined));
}

/** The alias (or name) of the only relation a plain SELECT reads, if that is all it reads. */
function singleRelationName(select: Node): string | undefined {
  const from = select.fromClause;
  if (!Array.isArray(from) || from.length !== 1 || select.op !== "SETOP_NONE" || select.withClause) return undefined;
  const relation = isNode(from[0]) ? from[0].RangeVar : undefined;
  if (!isNode(relation)) return undefined;
  const alias = isNode(relation.alias) ? relation.alias.aliasname : undefined;
  return typeof alias === "string" ? alias : typeof relation.relname === "string" ? relation.relname : undefined;
}

/**
 * The tree without positions, and without `qualifier.` on the column references of this query
 * level; subqueries keep their qualifiers, as both majors print them.
 */
function comparable(value: unknown, qualifier: string | undefined): unknown {
  if (Array.isArray(value)) return value.map((item) => comparable(item, qualifier));
  if (!isNode(value)) return value;
  const out: Node = {};
  for (const [key, child] of Object.entries(value)) {
    if (key === "location") continue;
    if (key === "ColumnRef" && qualifier !== undefined && isNode(child)) {
      out[key] = comparable({ ...child, fields: dropQualifier(child.fields, qualifier) }, qualifier);
    } else {
      out[key] = comparable(child, key === "subselect" || key === "RangeSubselect" ? undefined : qualifier);
    }
  }
  return out;
}

function dropQualifier(fields: unknown, qualifier: string): unknown {
  if (!Array.isArray(fields) || fields.length !== 2) return fields;
  const first = isNode(fields[0]) && isNode(fields[0].String) ? fields[0].String.sval : undefined;
  return first === qualifier ? fields.slice(1) : fields;
}
