/**
 * How the catalog reads (verify's and diff's) select privileges: as Postgres applies them, and
 * only on the objects whose privileges are their own.
 */

/**
 * An object's privileges as Postgres applies them: a NULL ACL means the defaults for its kind
 * (PUBLIC may execute a function and use a type; the owner holds everything), so it is read as acldefault().
 * Otherwise a function never granted and one whose PUBLIC EXECUTE was revoked would both list no
 * PUBLIC grant, and `REVOKE EXECUTE ... FROM PUBLIC` would be invisible. Aliases as in the queries
 * (n: pg_namespace, c: pg_class, p: pg_proc, t: pg_type).
 */
export const EFFECTIVE_ACL = {
  schema: "coalesce(nspacl, acldefault('n', nspowner))",
  relation: "coalesce(c.relacl, case when c.relkind = 'S' then acldefault('s', c.relowner) else acldefault('r', c.relowner) end)",
  function: "coalesce(p.proacl, acldefault('f', p.proowner))",
  type: "coalesce(t.typacl, acldefault('T', t.typowner))",
};

/**
 * The types (alias t) whose privileges verify and diff compare: enums, domains, range, multirange
 * and base types, and composite types made by CREATE TYPE. An array type follows its element
 * type (Postgres refuses GRANT on it), and a table's row type is the table's: reading them would
 * only repeat another object's ACL (the arrays', always the default) as noise.
 */
export const TYPES_WITH_OWN_ACL = `(t.typtype in ('e', 'd', 'r', 'm', 'b') or (t.typtype = 'c' and (select relkind from pg_class where oid = t.typrelid) = 'c'))
        and not exists (select 1 from pg_type e where e.typarray = t.oid)`;
