/**
 * Reading from the target, and giving a scratch database, what the migrations rely on without
 * creating it (core/build-context.ts says what and why).
 */
import type postgres from "postgres";
import { copiedSettings, type TargetFacts } from "../core/build-context.js";
import { quoteIdent } from "./journal-sql.js";

type Sql = postgres.Sql | postgres.TransactionSql;

/** One round trip; reads only. */
export async function readTargetFacts(sql: Sql): Promise<TargetFacts> {
  // As text, parsed here: the same whatever json parsing the connection has.
  const [row] = await sql.unsafe<{ major: number; settings: string | null; roles: string | null }[]>(
    `select current_setting('server_version_num')::int / 10000 as major,
            (select json_agg(c order by c) from pg_db_role_setting s, unnest(s.setconfig) c
              where s.setrole = 0 and s.setdatabase = (select oid from pg_database where datname = current_database()))::text as settings,
            (select json_agg(rolname::text order by rolname) from pg_roles where rolname !~ '^pg_')::text as roles`,
  );
  const list = (text: string | null) => (text ? (JSON.parse(text) as string[]) : []);
  return { major: Number(row!.major), settings: list(row!.settings), roles: list(row!.roles) };
}

/** The server's major (a --shadow-url server). */
export async function readMajor(sql: Sql): Promise<number> {
  const [row] = await sql.unsafe<{ major: number }[]>("select current_setting('server_version_num')::int / 10000 as major");
  return Number(row!.major);
}

/**
 * Gives `database` (a scratch database nobody is connected to yet: settings apply to new
 * sessions) the target's database settings. Returns what could not be given, by name (never a
 * setting's value: it may be a secret).
 */
export async function giveSettings(admin: postgres.Sql, database: string, settings: readonly string[]): Promise<string[]> {
  const problems: string[] = [];
  for (const [name, value] of copiedSettings(settings)) {
    // set_config then FROM CURRENT: the value keeps the exact form pg_db_role_setting stores
    // (a list such as search_path stays a list), with no quoting rules per setting. Local to a
    // transaction of its own, so the admin session is left as it was.
    await admin
      .begin(async (tx) => {
        await tx.unsafe("select set_config($1, $2, true)", [name, value]);
        await tx.unsafe(`alter database ${quoteIdent(database)} set ${quoteIdent(name)} from current`);
      })
      .catch((error: { message?: string }) => problems.push(`setting ${name} (${error.message})`));
  }
  return problems;
}

/**
 * Creates on the scratch server the roles it lacks, as NOLOGIN roles. Called after the Supabase
 * base is installed, which creates its own roles with their attributes (BYPASSRLS).
 */
export async function giveRoles(admin: postgres.Sql, roles: readonly string[]): Promise<string[]> {
  const problems: string[] = [];
  const present = new Set((await admin.unsafe<{ rolname: string }[]>("select rolname::text from pg_roles where rolname in (select json_array_elements_text($1::text::json))", [JSON.stringify(roles)])).map((r) => r.rolname));
  for (const role of roles.filter((r) => !present.has(r))) {
    await admin.unsafe(`create role ${quoteIdent(role)} nologin`).catch((error: { code?: string; message?: string }) => {
      if (error.code !== "42710") problems.push(`role ${role} (${error.message})`); // 42710: created meanwhile
    });
  }
  return problems;
}
