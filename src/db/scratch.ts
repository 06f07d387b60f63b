/**
 * Scratch databases: a fresh database on a given server, given the target's database settings
 * and the roles the migrations name (BuildContext), dropped after use. verify builds the
 * expected schema in one; diff, lint and test need the same.
 */
import { randomBytes } from "node:crypto";
import type { BuildContext } from "../core/build-context.js";
import { parseConnectionUrl } from "../core/connection-url.js";
import type { ScratchDatabase } from "../engine/ports.js";
import type postgres from "postgres";
import { giveRoles, giveSettings, readMajor } from "./build-context.js";
import { quoteIdent } from "./journal-sql.js";
import { openConnection } from "./connect.js";
import { openDatabase, type Database } from "./database.js";

export interface ScratchSettings {
  journalSchema: string;
  /** The template database (default template1). */
  template?: "template0" | "template1" | undefined;
  /** What the scratch build of a target needs from it: database settings, roles. */
  context?: BuildContext;
  /** Told about each part of the context the server could not take. */
  onProblem?: (problem: string) => void;
  /**
   * On dbkit's own scratch server only: roles are shared by the server's databases and outlive
   * them, so the roles a build created are dropped with its database; the next build (the other
   * side of a diff, the next verify) runs the same unguarded CREATE ROLE again.
   */
  dropCreatedRoles?: boolean;
}

/**
 * A scratch database whose ports are those of a full Database, with the server's major, and
 * giveRoles: the context's roles, created once the database is prepared (after the Supabase
 * base, which creates its own roles with their attributes, such as BYPASSRLS).
 */
export type OpenedScratch = ScratchDatabase & Database & { major: number; giveRoles(): Promise<void> };

/** Scratch databases on the server at `serverUrl`: the ScratchDatabases port. */
export function scratchDatabasesOn(serverUrl: string, settings: ScratchSettings): { create(): Promise<OpenedScratch> } {
  return { create: () => createScratchDatabase(serverUrl, settings) };
}

async function createScratchDatabase(serverUrl: string, settings: ScratchSettings): Promise<OpenedScratch> {
  const name = `dbkit_shadow_${randomBytes(6).toString("hex")}`;
  const admin = await openConnection({ url: serverUrl, applicationName: "dbkit-shadow" });
  let created = false;
  const dropDatabase = () => admin.sql.unsafe(`drop database if exists ${name} with (force)`).then(() => undefined, () => undefined);
  try {
    const major = await readMajor(admin.sql);
    const rolesBefore = settings.dropCreatedRoles ? await roleNames(admin.sql) : undefined;
    await admin.sql.unsafe(`create database ${name}${settings.template ? ` template ${settings.template}` : ""}`);
    created = true;
    const report = (problems: string[]) => problems.forEach((problem) => settings.onProblem?.(problem));
    report(await giveSettings(admin.sql, name, settings.context?.settings ?? []));
    const database = openDatabase(await openConnection({ url: withDatabase(serverUrl, name), applicationName: "dbkit-shadow" }), settings.journalSchema, true);
    const closeConnection = database.close;
    let dropped: Promise<void> | undefined;
    const drop = () =>
      (dropped ??= (async () => {
        await closeConnection();
        await dropDatabase();
        if (rolesBefore) await dropRolesCreatedSince(admin.sql, rolesBefore);
        await admin.sql.end({ timeout: 5 });
      })());
    const giveContextRoles = async () => report(await giveRoles(admin.sql, settings.context?.roles ?? []));
    return Object.assign(database, { major, drop, close: drop, giveRoles: giveContextRoles });
  } catch (error) {
    if (created) await dropDatabase();
    await admin.sql.end({ timeout: 1 });
    throw error;
  }
}

async function roleNames(sql: postgres.Sql): Promise<Set<string>> {
  return new Set((await sql.unsafe<{ rolname: string }[]>("select rolname::text from pg_roles")).map((r) => r.rolname));
}

/** Drops the roles that were not there before; one still used by another database stays (its drop fails). */
async function dropRolesCreatedSince(sql: postgres.Sql, before: ReadonlySet<string>): Promise<void> {
  const created = [...(await roleNames(sql).catch(() => new Set<string>()))].filter((role) => !before.has(role));
  for (const role of created) await sql.unsafe(`drop role if exists ${quoteIdent(role)}`).catch(() => undefined);
}

/** The major of a server (a --shadow-url), read before the cache is looked up (the cache is per major). */
export async function readServerMajor(url: string): Promise<number> {
  const connection = await openConnection({ url, applicationName: "dbkit-shadow" });
  try {
    return await readMajor(connection.sql);
  } finally {
    await connection.sql.end({ timeout: 5 });
  }
}

function withDatabase(url: string, database: string): string {
  const parsed = parseConnectionUrl(url);
  if (!parsed.ok) return url;
  const { user, password, host, port, params } = parsed.url;
  const query = Object.entries(params).map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join("&");
  const auth = user ? `${encodeURIComponent(user)}${password === undefined ? "" : `:${encodeURIComponent(password)}`}@` : "";
  return `postgres://${auth}${host.includes(":") ? `[${host}]` : host}:${port}/${database}${query ? `?${query}` : ""}`;
}
