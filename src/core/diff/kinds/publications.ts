/**
 * Publications: CREATE/DROP PUBLICATION with its options (ALTER ... SET when only they change;
 * FOR ALL TABLES cannot be altered, so it recreates), and its members one by one: ADD/DROP TABLE
 * with the column list and row filter, ADD/DROP TABLES IN SCHEMA.
 */
import type { DiffContext, Differ, ObjectChange, ObjectFacts } from "../types.js";
import { extraText, ident, statementOf } from "./code-sql.js";
import { hasObject, objectOf } from "./code-index.js";

type Side = NonNullable<ObjectChange["from"]>;

const PUBLISH = ["insert", "update", "delete", "truncate"] as const;

function publicationName(key: string): string {
  return /^publication (.*?)(?: (?:table|schema) .*)?$/s.exec(key)?.[1] ?? key;
}

function publicationSql(facts: ObjectFacts | undefined, key: string): string {
  return extraText(facts, "publicationSql") ?? facts?.sql ?? ident(publicationName(key));
}

function withOptions(side: Side): string {
  const publish = PUBLISH.filter((action) => side.object.props[action] !== false).join(", ");
  return `(publish = '${publish}', publish_via_partition_root = ${side.object.props.viaRoot === true})`;
}

function createSql(change: ObjectChange, side: Side): string {
  return `CREATE PUBLICATION ${publicationSql(side.facts, change.key)}${side.object.props.allTables ? " FOR ALL TABLES" : ""} WITH ${withOptions(side)}`;
}

const diffWhole: Differ = (change) => {
  const { from, to } = change;
  const name = publicationSql((to ?? from)?.facts, change.key);
  if (from && !to) return { statements: [statementOf(change, `DROP PUBLICATION ${name}`, "drop")] };
  if (!to) return { statements: [] };
  if (!from) return { statements: [statementOf(change, createSql(change, to), "create")] };
  if (Boolean(from.object.props.allTables) !== Boolean(to.object.props.allTables)) {
    return { statements: [statementOf(change, `DROP PUBLICATION ${name}`, "drop", ["recreates"]), statementOf(change, createSql(change, to), "create", ["recreates"])] };
  }
  return { statements: [statementOf(change, `ALTER PUBLICATION ${name} SET ${withOptions(to)}`, "alter")] };
};

/**
 * Whether the publication keeps listing its members one by one in `to`: it stays and is not FOR
 * ALL TABLES. One outside the catalog (a platform's, such as supabase_realtime) stays.
 */
function listsMembers(context: DiffContext, key: string): boolean {
  const publicationKey = `publication ${publicationName(key)}`;
  const publication = objectOf(context.to, publicationKey);
  if (publication) return publication.props.allTables !== true;
  return !hasObject(context.from, publicationKey);
}

function memberSql(side: Side, key: string): string {
  const schema = /^publication .*? schema (.*)$/s.exec(key);
  if (schema) return `TABLES IN SCHEMA ${extraText(side.facts, "memberSql") ?? ident(schema[1] ?? "")}`;
  const table = extraText(side.facts, "memberSql") ?? /^publication .*? table (.*)$/s.exec(key)?.[1] ?? "";
  const columns = Array.isArray(side.object.props.columns) ? ` (${side.object.props.columns.map(ident).join(", ")})` : "";
  const filter = typeof side.object.props.rowFilter === "string" ? ` WHERE (${side.object.props.rowFilter})` : "";
  return `TABLE ${table}${columns}${filter}`;
}

const diffMember: Differ = (change, context) => {
  const { from, to } = change;
  const alter = `ALTER PUBLICATION ${publicationSql((to ?? from)?.facts, change.key)}`;
  const memberKey = extraText((to ?? from)?.facts, "member");
  // A table or schema dropped by this plan leaves its publications by itself.
  const memberStays = memberKey === undefined || !hasObject(context.from, memberKey) || hasObject(context.to, memberKey);
  const drop = from && listsMembers(context, change.key) && memberStays ? [statementOf(change, `${alter} DROP ${memberSql(from, change.key).replace(/ \(.*$/s, "").replace(/ WHERE .*$/s, "")}`, "drop")] : [];
  if (!to) return { statements: drop };
  return { statements: [...drop, statementOf(change, `${alter} ADD ${memberSql(to, change.key)}`, from ? "alter" : "create")] };
};

const isMember = (change: ObjectChange) => extraText((change.to ?? change.from)?.facts, "member") !== undefined || /^publication \S+ (?:table|schema) ./s.test(change.key);

export const diffPublication: Differ = (change, context) => (isMember(change) ? diffMember : diffWhole)(change, context);

export const publicationDiffers = { publications: diffPublication };
