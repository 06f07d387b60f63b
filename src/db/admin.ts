/** Operations on a whole database that are not the journal's or an applier's: reset and the Supabase base. */
import type { ResetPlan, ResetResult } from "../engine/ports.js";
import { resetDatabase } from "./reset-database.js";
import type { Session } from "./session.js";
import { installSupabaseBase } from "./supabase-queries.js";

/** Drops owned schemas, the journal and foreign objects in one transaction, under the migration lock (a concurrent migrate waits). */
export function dropOwnedObjects(session: Session, plan: ResetPlan): Promise<ResetResult> {
  return session.locked((tx) => resetDatabase(tx, plan));
}

/**
 * Installs the Supabase base unless the database is a real Supabase one or has it already;
 * without the parts for the schemas in `projectSchemas` (the project creates them itself).
 */
export function ensureSupabaseBase(session: Session, projectSchemas: readonly string[] = []): Promise<"installed" | "present" | "supabase"> {
  return session.locked((tx) => installSupabaseBase(tx, projectSchemas));
}

/** The extensions the server could create (pg_available_extensions). */
export async function availableExtensions(session: Session): Promise<Set<string>> {
  const rows = await session.run(() => session.sql<{ name: string }[]>`select name from pg_available_extensions`);
  return new Set(rows.map((row) => row.name));
}
