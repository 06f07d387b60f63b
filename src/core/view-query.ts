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
  const qualifier = isNode(select) ? singleRelationName(select) : undefined;
  return JSON.stringify(qualifier === undefined ? withoutPositions(statement) : { SelectStmt: unqualified(select as Node, qualifier) });
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

/** Drops `qualifier.` from column references of this query level; subqueries stay as printed. */
function unqualified(value: unknown, qualifier: string): unknown {
  if (Array.isArray(value)) return value.map((item) => unqualified(item, qualifier));
  if (!isNode(value)) return value;
  const out: Node = {};
  for (const [key, child] of Object.entries(value)) {
    if (key === "location") continue;
    if (key === "ColumnRef" && isNode(child)) {
      out[key] = unqualified({ ...child, fields: dropQualifier(child.fields, qualifier) }, qualifier);
    } else if (key === "subselect" || key === "RangeSubselect") {
      out[key] = withoutPositions(child);
    } else {
      out[key] = unqualified(child, qualifier);
    }
  }
  return out;
}

function dropQualifier(fields: unknown, qualifier: string): unknown {
  if (!Array.isArray(fields) || fields.length !== 2) return fields;
  const first = isNode(fields[0]) && isNode(fields[0].String) ? fields[0].String.sval : undefined;
  return first === qualifier ? fields.slice(1) : fields;
}

function withoutPositions(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutPositions);
  if (!isNode(value)) return value;
  return Object.fromEntries(Object.entries(value).filter(([key]) => key !== "location").map(([key, child]) => [key, withoutPositions(child)]));
}
