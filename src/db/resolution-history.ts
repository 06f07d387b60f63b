/**
 * The history of `dbkit resolve`: who settled which failed or interrupted migration, when, how,
 * and what the journal said before. `--rolled-back` removes the journal row (the file must run
 * again, and the journal keeps one row per name), so the decision is kept here instead of lost.
 */
import type postgres from "postgres";
import { quoteIdent } from "./journal-sql.js";

/** Creates the history table (in the journal's schema, as private as the journal) and adds one entry. */
export async function recordResolution(
  tx: postgres.TransactionSql,
  journalSchema: string,
  entry: { name: string; previousStatus: string; checksum: string; error: string | null; resolution: string; dbkitVersion: string },
): Promise<void> {
  const table = `${quoteIdent(journalSchema)}.resolutions`;
  await tx.unsafe(`create table if not exists ${table} (
  id bigint generated always as identity primary key,
  name text not null,
  previous_status text not null,
  checksum text not null,
  error text,
  resolution text not null check (resolution in ('applied', 'rolled-back', 'accepted-checksum')),
  resolved_by text not null default current_user,
  resolved_at timestamptz not null default now(),
  dbkit_version text not null
);
comment on table ${table} is 'dbkit resolve history: how failed or interrupted migrations were settled';
revoke all on ${table} from public`);
  await tx.unsafe(`insert into ${table} (name, previous_status, checksum, error, resolution, dbkit_version) values ($1, $2, $3, $4, $5, $6)`, [
    entry.name,
    entry.previousStatus,
    entry.checksum,
    entry.error,
    entry.resolution,
    entry.dbkitVersion,
  ]);
}
