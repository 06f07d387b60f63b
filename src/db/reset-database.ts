/**
 * Dropping what a project's migrations created, in one transaction: owned schemas (public is
 * recreated with its owner, privileges, default privileges and comment as they were), the
 * journal, and objects the migrations placed in schemas the project does not own.
 */
import type postgres from "postgres";
import type { ForeignObject } from "../core/foreign-objects.js";
import type { ResetPlan, ResetResult } from "../engine/ports.js";
import { quoteIdent, quoteLiteral } from "./journal-sql.js";
import { removeExtraForeign } from "./reset-extra.js";
import { otherJournals, removeInsertedRows } from "./reset-rows.js";
import { UsageError } from "../errors.js";

export type { ResetPlan, ResetResult };

type Tx = postgres.TransactionSql;

interface AclEntry {
  grantor: string;
  grantee: string;
  privilege_type: string;
  is_grantable: boolean;
}

interface DefaultAclEntry extends AclEntry {
  role: string;
  objtype: string;
}

/** Runs inside the caller's transaction, which holds the migration lock. */
export async function resetDatabase(tx: Tx, plan: ResetPlan): Promise<ResetResult> {
  const platformOwned = (await tx.unsafe<{ nspname: string }[]>(
    "select n.nspname from pg_namespace n join pg_roles r on r.oid = n.nspowner where r.rolname = 'supabase_admin'",
  )).map((row) => row.nspname);
  const existing = new Set((await tx.unsafe<{ nspname: string }[]>("select nspname from pg_namespace")).map((row) => row.nspname));
  const protectedSchemas = plan.owned.filter((name) => platformOwned.includes(name));
  const toDrop = [...new Set([...plan.owned.filter((name) => !platformOwned.includes(name)), plan.journalSchema])].filter((name) => existing.has(name));
  const result: ResetResult = { droppedSchemas: [], removed: [], skipped: [], protectedSchemas };
  const others = await otherJournals(tx, plan.journalSchema);
  const shared = toDrop.filter((name) => name !== plan.journalSchema);
  if (others.length > 0 && shared.length > 0) {
    throw new UsageError("DBKIT_RESET_SHARED_DATABASE", `refusing to reset: another dbkit project's journal is in this database (schema ${others.join(", ")}), and reset drops whole schemas it may use too (${shared.join(", ")})`, {
      hint: "give each project its own database, or drop this project's objects by hand; nothing was changed",
      details: { otherJournals: others, schemas: shared },
    });
  }

  const publicSnapshot = toDrop.includes("public") ? await snapshotSchema(tx, "public") : undefined;
  for (const object of plan.foreign) if (object.kind !== "rows") await removeForeign(tx, object, result, plan.journalSchema);
  const drop = async (name: string) => {
    await tx.unsafe(`drop schema ${quoteIdent(name)} cascade`);
    result.droppedSchemas.push(name);
  };
  for (const name of toDrop) if (name !== plan.journalSchema) await drop(name);
  // Rows go once the project's tables that referenced them (public.profiles -> auth.users) are gone,
  // and before the journal, whose rows tell which transaction inserted them.
  for (const object of plan.foreign) if (object.kind === "rows") await removeForeign(tx, object, result, plan.journalSchema);
  if (toDrop.includes(plan.journalSchema)) await drop(plan.journalSchema);
  if (publicSnapshot) await restoreSchema(tx, "public", publicSnapshot);
  return result;
}

interface SchemaSnapshot {
  owner: string;
  acl: AclEntry[] | null;
  comment: string | null;
  defaults: DefaultAclEntry[];
}

async function snapshotSchema(tx: Tx, name: string): Promise<SchemaSnapshot> {
  const [row] = await tx.unsafe<{ owner: string; has_acl: boolean; comment: string | null }[]>(
    `select nspowner::regrole::text as owner, nspacl is not null as has_acl, obj_description(oid, 'pg_namespace') as comment from pg_namespace where nspname = $1`,
    [name],
  );
  const acl = row!.has_acl
    ? await tx.unsafe<AclEntry[]>(
        `select a.grantor::regrole::text as grantor, case when a.grantee = 0 then 'PUBLIC' else a.grantee::regrole::text end as grantee, a.privilege_type, a.is_grantable
         from pg_namespace n, aclexplode(n.nspacl) with ordinality a(grantor, grantee, privilege_type, is_grantable, ord) where n.nspname = $1 order by a.ord`,
        [name],
      )
    : null;
  const defaults = await tx.unsafe<DefaultAclEntry[]>(
    `select d.defaclrole::regrole::text as role, d.defaclobjtype as objtype, a.grantor::regrole::text as grantor,
            case when a.grantee = 0 then 'PUBLIC' else a.grantee::regrole::text end as grantee, a.privilege_type, a.is_grantable
     from pg_default_acl d join pg_namespace n on n.oid = d.defaclnamespace, aclexplode(d.defaclacl) with ordinality a(grantor, grantee, privilege_type, is_grantable, ord)
     where n.nspname = $1 order by d.oid, a.ord`,
    [name],
  );
  return { owner: row!.owner, acl, comment: row!.comment, defaults };
}

const DEFAULT_ACL_OBJECTS: Record<string, string> = { r: "tables", S: "sequences", f: "functions", T: "types" };

async function restoreSchema(tx: Tx, name: string, snapshot: SchemaSnapshot): Promise<void> {
  const schema = quoteIdent(name);
  await tx.unsafe(`create schema ${schema} authorization ${roleName(snapshot.owner)}`);
  if (snapshot.acl) {
    // Start from an explicit empty ACL, then grant entry by entry in the original order.
    await tx.unsafe(`revoke all on schema ${schema} from ${roleName(snapshot.owner)}`);
    for (const entry of snapshot.acl) {
      // A grant made by someone other than the owner is replayed as that role; the owner's
      // grants are recorded with the owner as grantor whoever runs them.
      const asGrantor = entry.grantor !== snapshot.owner;
      if (asGrantor) await tx.unsafe(`set local role ${roleName(entry.grantor)}`);
      await tx.unsafe(`grant ${entry.privilege_type} on schema ${schema} to ${roleName(entry.grantee)}${entry.is_grantable ? " with grant option" : ""}`);
      if (asGrantor) await tx.unsafe("reset role");
    }
  }
  if (snapshot.comment !== null) await tx.unsafe(`comment on schema ${schema} is ${quoteLiteral(snapshot.comment)}`);
  for (const entry of snapshot.defaults) {
    const objects = DEFAULT_ACL_OBJECTS[entry.objtype];
    if (!objects) continue;
    await tx.unsafe(
      `alter default privileges for role ${roleName(entry.role)} in schema ${schema} grant ${entry.privilege_type} on ${objects} to ${roleName(entry.grantee)}${entry.is_grantable ? " with grant option" : ""}`,
    );
  }
}

function roleName(role: string): string {
  return role === "PUBLIC" ? "public" : role.startsWith('"') ? role : quoteIdent(role);
}

async function removeForeign(tx: Tx, object: ForeignObject, result: ResetResult, journalSchema: string): Promise<void> {
  const exists = async (query: string, params: unknown[]) => (await tx.unsafe(query, params as never[])).length > 0;
  switch (object.kind) {
    case "trigger":
    case "policy": {
      const table = `${quoteIdent(object.schema)}.${quoteIdent(object.table)}`;
      const catalog = object.kind === "trigger" ? "select 1 from pg_trigger where tgrelid = to_regclass($1) and tgname = $2" : "select 1 from pg_policy where polrelid = to_regclass($1) and polname = $2";
      if (!(await exists(catalog, [table, object.name]))) return;
      await tx.unsafe(`drop ${object.kind} ${quoteIdent(object.name)} on ${table}`);
      result.removed.push(`${object.kind} ${object.name} on ${object.schema}.${object.table}`);
      return;
    }
    case "function": {
      const functions = await tx.unsafe<{ signature: string; platform: boolean }[]>(
        `select p.oid::regprocedure::text as signature, r.rolname = 'supabase_admin' as platform
         from pg_proc p join pg_namespace n on n.oid = p.pronamespace join pg_roles r on r.oid = p.proowner where n.nspname = $1 and p.proname = $2`,
        [object.schema, object.name],
      );
      for (const fn of functions) {
        if (fn.platform) {
          result.skipped.push(`function ${fn.signature}: owned by the platform (supabase_admin)`);
          continue;
        }
        await tx.unsafe(`drop routine ${fn.signature} cascade`);
        result.removed.push(`function ${fn.signature}`);
      }
      return;
    }
    case "index":
    case "table":
    case "view":
    case "sequence": {
      const qualified = `${quoteIdent(object.schema)}.${quoteIdent(object.name)}`;
      const [row] = await tx.unsafe<{ relkind: string }[]>("select relkind from pg_class where oid = to_regclass($1)", [qualified]);
      if (!row) return;
      const kind = { r: "table", p: "table", v: "view", m: "materialized view", S: "sequence", i: "index", I: "index", f: "foreign table" }[row.relkind] ?? "table";
      await tx.unsafe(`drop ${kind} ${qualified} cascade`);
      result.removed.push(`${kind} ${object.schema}.${object.name}`);
      return;
    }
    case "type": {
      const qualified = `${quoteIdent(object.schema)}.${quoteIdent(object.name)}`;
      const [row] = await tx.unsafe<{ typtype: string }[]>("select typtype from pg_type where oid = to_regtype($1)", [qualified]);
      if (!row) return;
      await tx.unsafe(`drop ${row.typtype === "d" ? "domain" : "type"} ${qualified} cascade`);
      result.removed.push(`type ${object.schema}.${object.name}`);
      return;
    }
    case "rows":
      await removeInsertedRows(tx, object, journalSchema, result);
      return;
    case "publication": {
      if (object.name === "supabase_realtime" || !(await exists("select 1 from pg_publication where pubname = $1", [object.name]))) return;
      await tx.unsafe(`drop publication ${quoteIdent(object.name)}`);
      result.removed.push(`publication ${object.name}`);
      return;
    }
    default:
      await removeExtraForeign(tx, object, result);
      return;
  }
}

