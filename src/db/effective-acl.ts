/**
 * How the catalog reads (verify's and diff's) select privileges: as Postgres applies them, and
 * only on the objects whose privileges are their own.
 */
import type { VerifyScope } from "../core/verify-scope.js";
import { quoteLiteral } from "./journal-sql.js";

/**
 * An object's privileges as Postgres applies them: a NULL ACL means the defaults for its kind
 * (PUBLIC may execute a function and use a type; the owner holds everything), so it is read as acldefault().
 * Otherwise a function never granted and one whose PUBLIC EXECUTE was revoked would both list no
 * PUBLIC grant, and `REVOKE EXECUTE ... FROM PUBLIC` would be invisible. Aliases as in the queries
 * (n: pg_namespace, c: pg_class, p: pg_proc, t: pg_type, l: pg_language).
 */
export const EFFECTIVE_ACL = {
  schema: "coalesce(nspacl, acldefault('n', nspowner))",
  relation: "coalesce(c.relacl, case when c.relkind = 'S' then acldefault('s', c.relowner) else acldefault('r', c.relowner) end)",
  function: "coalesce(p.proacl, acldefault('f', p.proowner))",
  type: "coalesce(t.typacl, acldefault('T', t.typowner))",
  language: "coalesce(l.lanacl, acldefault('l', l.lanowner))",
};

/**
 * The types (alias t) whose privileges verify and diff compare: enums, domains, range and base
 * types, and composite types made by CREATE TYPE. An array type follows its element type and a
 * multirange its range (Postgres refuses GRANT on both), and a table's row type is the table's:
 * reading them would only repeat another object's ACL (theirs, always the default) as noise.
 */
export const TYPES_WITH_OWN_ACL = `(t.typtype in ('e', 'd', 'r', 'b') or (t.typtype = 'c' and (select relkind from pg_class where oid = t.typrelid) = 'c'))
        and not exists (select 1 from pg_type e where e.typarray = t.oid)`;

/**
 * The procedural languages (alias l) whose privileges are compared: trusted ones (Postgres refuses
 * GRANT on the others) that the migrations create, grant or revoke on, or create with an
 * extension. The built-in sql and the plpgsql every database has are left out unless the
 * migrations name them, so a platform's own settings on them (a hosted base) are not drift.
 */
export function comparedLanguagesSql(scope: VerifyScope): string {
  const list = (values: readonly string[]) => `array[${values.map(quoteLiteral).join(", ") || "''"}]::text[]`;
  return `l.lanpltrusted and (l.lanname = any(${list(scope.extra?.languages ?? [])}) or exists (select 1 from pg_depend d join pg_extension x on x.oid = d.refobjid
          where d.classid = 'pg_language'::regclass and d.objid = l.oid and d.refclassid = 'pg_extension'::regclass and d.deptype = 'e' and x.extname = any(${list(scope.extensions)}) and x.extname <> 'plpgsql'))`;
}
