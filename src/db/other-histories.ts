/** Reading other migration tools' journal tables (core/other-tools.ts says what they mean). */
import { fitsTool, HISTORY_SIGNATURE } from "../core/history-tables.js";
import { findHistoryTables } from "./history-tables.js";
import { TOOLS, type HistoryEntry, type OtherHistory, type Tool } from "../core/other-tools.js";
import { UsageError } from "../errors.js";
import { quoteIdent, quoteLiteral } from "./journal-sql.js";
import type { Sql, TxSql } from "./session.js";

type Db = Sql | TxSql;


/**
 * Every other tool's history in this database that lists something, at its default place or told
 * by its columns elsewhere: for `migrate` and `status` on a database without a dbkit journal.
 */
export async function findOtherHistories(sql: Db): Promise<OtherHistory[]> {
  const tools = Object.keys(TOOLS) as Tool[];
  // As JSON text: the connection does not fetch array types.
  const [row] = await sql.unsafe<{ present: string }[]>(
    `select coalesce(json_agg(t) filter (where to_regclass(t) is not null), '[]')::text as present from unnest(array[${[...new Set(tools.map((tool) => TOOLS[tool].table))].map(quoteLiteral).join(", ")}]) t`,
  );
  const present = new Set(JSON.parse(row?.present ?? "[]") as string[]);
  const found: OtherHistory[] = [];
  for (const tool of tools) {
    if (!present.has(TOOLS[tool].table)) continue;
    const history = await readOtherHistory(sql, tool, undefined, true);
    if (history && (history.entries.length > 0 || history.upTo !== undefined)) found.push(history);
  }
  // A tool told to keep its table elsewhere (drizzle's migrationsTable, dbmate's --migrations-table): found by its columns.
  for (const { tool, table } of await findHistoryTables(sql)) {
    if (found.some((history) => history.table === table)) continue;
    const history = await readOtherHistory(sql, tool, table, true);
    if (history && (history.entries.length > 0 || history.upTo !== undefined)) found.push(history);
  }
  return found;
}

/**
 * `tool`'s history in `table` (default: where the tool keeps it), or undefined when there is no
 * such table or it is another tool's. `quiet`: a table with another tool's columns is not an error.
 */
export async function readOtherHistory(sql: Db, tool: Tool, table: string | undefined, quiet = false): Promise<OtherHistory | undefined> {
  const name = table ?? TOOLS[tool].table;
  const [schema, relation] = name.includes(".") ? (name.split(".", 2) as [string, string]) : ["public", name];
  const qualified = `${quoteIdent(schema)}.${quoteIdent(relation)}`;
  const columns = (
    await sql.unsafe<{ column_name: string }[]>(`select column_name::text from information_schema.columns where table_schema = $1 and table_name = $2`, [schema, relation])
  ).map((r) => r.column_name);
  if (columns.length === 0) return undefined;
  const has = (column: string) => columns.includes(column);
  const fits = (candidate: Tool) => fitsTool(candidate, columns);
  if (!fits(tool)) {
    if (quiet) return undefined;
    const other = (Object.keys(HISTORY_SIGNATURE) as Tool[]).find((candidate) => candidate !== tool && candidate !== "supabase" && fits(candidate));
    throw new UsageError("DBKIT_IMPORT_WRONG_TOOL", `${schema}.${relation} is not ${TOOLS[tool].label}'s history: it has the columns ${columns.join(", ")}`, {
      hint: other ? `it looks like ${TOOLS[other].label}'s: dbkit import ${other}` : "name the tool that wrote it, or the table with --table <schema.table>",
    });
  }
  const history: OtherHistory = { tool, table: `${schema}.${relation}`, entries: [] };
  const rows = (query: string) => sql.unsafe<Record<string, unknown>[]>(query.replace("{T}", qualified));
  const text = (value: unknown) => (value === null || value === undefined ? undefined : String(value));
  switch (tool) {
    case "supabase":
      for (const r of await rows(`select version::text as version, ${has("name") ? "name::text" : "null::text"} as name from {T} order by version`)) {
        history.entries.push({ label: r.name ? `${r.version}_${r.name}` : String(r.version), version: String(r.version) });
      }
      break;
    case "dbmate":
      for (const r of await rows("select version::text as version from {T} order by version")) history.entries.push({ label: String(r.version), version: String(r.version) });
      break;
    case "golang-migrate": {
      const [r] = await rows("select version::text as version, dirty from {T}");
      if (r) history.upTo = String(r.version);
      if (r?.dirty) history.unfinished = `version ${String(r.version)} is dirty: it failed part-way and golang-migrate left the database as it was at the failure`;
      break;
    }
    case "drizzle":
      for (const r of await rows("select hash, created_at::text as created_at from {T} order by created_at")) {
        history.entries.push({ label: `created_at ${String(r.created_at)} (hash ${String(r.hash).slice(0, 12)})`, hash: String(r.hash) });
        history.drizzleUpTo = Math.max(history.drizzleUpTo ?? 0, Number(r.created_at));
      }
      break;
    case "postgres-migrations":
      // Row 0 is the tool's own "create-migrations-table".
      for (const r of await rows("select id::text as id, name from {T} where id <> 0 order by id")) history.entries.push({ label: `${String(r.id)} ${String(r.name)}`, version: String(r.id), name: String(r.name) });
      break;
    case "flyway":
      readFlyway(history, await rows("select version, script, type, success from {T} order by installed_rank"));
      break;
    case "graphile-migrate":
      for (const r of await rows("select filename from {T} order by date")) {
        const file = String(r.filename).replace(/\.sql$/, "");
        history.entries.push({ label: String(r.filename), name: file, ...versionOf(file) });
      }
      break;
    case "prisma":
      for (const r of await rows("select migration_name, checksum, finished_at is not null as finished, rolled_back_at is not null as rolled_back from {T} order by started_at")) {
        if (r.rolled_back) continue;
        const migration = String(r.migration_name);
        if (!r.finished) history.unfinished = `${migration} failed or is still running (finished_at is empty)`;
        else history.entries.push({ label: migration, name: migration, ...versionOf(migration), ...(r.checksum ? { checksum: String(r.checksum) } : {}) });
      }
      break;
    case "node-pg-migrate":
      for (const r of await rows("select name from {T} order by run_on, id")) history.entries.push({ label: String(r.name), name: String(r.name), ...versionOf(String(r.name)) });
      break;
    case "postgrator":
      // Version 0 is Postgrator's own row for "no migration yet".
      for (const r of await rows("select version::text as version, name from {T} where version <> 0 order by version")) {
        history.entries.push({ label: `${String(r.version)}${text(r.name) ? ` ${String(r.name)}` : ""}`, version: String(r.version) });
      }
      break;
  }
  return history;
}

/** Flyway: versioned rows apply, undo and delete rows take them back, a baseline covers every version up to it. */
function readFlyway(history: OtherHistory, rows: Record<string, unknown>[]): void {
  const applied = new Map<string, HistoryEntry>();
  for (const r of rows) {
    const type = String(r.type);
    const version = r.version === null ? undefined : String(r.version);
    const script = String(r.script);
    if (type === "SCHEMA") continue;
    if (!r.success) {
      history.unfinished = `${script} failed (success = false)`;
      continue;
    }
    if (type === "BASELINE" && version) history.upTo = version;
    else if (type === "UNDO_SQL" || type === "DELETE") {
      if (version) applied.delete(version);
    } else if (version) applied.set(version, { label: script, version, name: script.replace(/\.sql$/, "") });
    else applied.set(script, { label: script, name: script.replace(/\.sql$/, "") }); // a repeatable: R__name.sql
  }
  history.entries.push(...applied.values());
}

function versionOf(name: string): { version?: string } {
  const digits = /^\d+/.exec(name)?.[0];
  return digits ? { version: digits } : {};
}
