/** Removes what core/foreign-extra finds: publication memberships (tables and schemas), event triggers, default privileges. */
import type postgres from "postgres";
import type { ExtraForeignObject } from "../core/foreign-extra.js";
import type { ResetResult } from "../engine/ports.js";
import { quoteIdent, quoteLiteral } from "./journal-sql.js";

export async function removeExtraForeign(tx: postgres.TransactionSql, object: ExtraForeignObject, result: ResetResult): Promise<void> {
  switch (object.kind) {
    case "publication table": {
      const table = `${quoteIdent(object.schema)}.${quoteIdent(object.table)}`;
      const member = await tx.unsafe("select 1 from pg_publication_rel r join pg_publication p on p.oid = r.prpubid where p.pubname = $1 and r.prrelid = to_regclass($2)", [object.publication, table]);
      if (member.length === 0) return;
      await tx.unsafe(`alter publication ${quoteIdent(object.publication)} drop table ${table}`);
      result.removed.push(`table ${object.schema}.${object.table} from publication ${object.publication}`);
      return;
    }
    case "publication schema": {
      const member = await tx.unsafe(
        "select 1 from pg_depend dp join pg_depend dn on dn.classid = dp.classid and dn.objid = dp.objid and dn.refclassid = 'pg_namespace'::regclass join pg_publication p on p.oid = dp.refobjid join pg_namespace n on n.oid = dn.refobjid where dp.classid = to_regclass('pg_catalog.pg_publication_namespace') and dp.refclassid = 'pg_publication'::regclass and p.pubname = $1 and n.nspname = $2",
        [object.publication, object.schema],
      );
      if (member.length === 0) return;
      await tx.unsafe(`alter publication ${quoteIdent(object.publication)} drop tables in schema ${quoteIdent(object.schema)}`);
      result.removed.push(`schema ${object.schema} from publication ${object.publication}`);
      return;
    }
    case "event trigger": {
      if ((await tx.unsafe("select 1 from pg_event_trigger where evtname = $1", [object.name])).length === 0) return;
      await tx.unsafe(`drop event trigger ${quoteIdent(object.name)}`);
      result.removed.push(`event trigger ${object.name}`);
      return;
    }
    case "default privileges":
      // A role the migrations created may be gone (roles are per server); then there is nothing to revoke.
      if ((await tx.unsafe(`select count(*)::int as n from pg_roles where rolname in (${object.roles.map(quoteLiteral).join(", ") || "null"})`))[0]!.n !== new Set(object.roles).size) return;
      await tx.unsafe(object.revoke);
      result.removed.push(`default privileges ${object.label}`);
      return;
  }
}
