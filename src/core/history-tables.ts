/**
 * Other migration tools' history tables told by their columns, wherever they are kept: a tool can
 * keep its table under another name (drizzle's `migrationsTable`, dbmate's `--migrations-table`,
 * golang-migrate's `x-migrations-table`, Flyway's `table`). Such a table is the other tool's
 * bookkeeping, not the project's schema: `verify` leaves it out, and `migrate` finds it before
 * running files that tool already applied.
 */
import type { Catalog } from "./catalog.js";
import { TOOLS, type Tool } from "./other-tools.js";

/** The columns that tell one tool's table from another's (and from a project's own `migrations`). */
export const HISTORY_SIGNATURE: Record<Tool, readonly string[]> = {
  supabase: ["version"],
  dbmate: ["version"],
  "golang-migrate": ["version", "dirty"],
  drizzle: ["hash", "created_at"],
  "postgres-migrations": ["id", "name", "hash", "executed_at"],
  flyway: ["installed_rank", "version", "script", "success"],
  "graphile-migrate": ["hash", "filename"],
  prisma: ["migration_name", "finished_at", "rolled_back_at"],
  "node-pg-migrate": ["name", "run_on"],
  postgrator: ["version", "name", "md5"],
};

/** Every column each tool's table has had, in any of its versions: a table with another column is a project's own. */
const HISTORY_COLUMNS: Record<Tool, readonly string[]> = {
  supabase: ["version", "statements", "name", "created_by", "idempotency_key", "rollback"],
  dbmate: ["version"],
  "golang-migrate": ["version", "dirty"],
  drizzle: ["id", "hash", "created_at"],
  "postgres-migrations": ["id", "name", "hash", "executed_at"],
  flyway: ["installed_rank", "version", "description", "type", "script", "checksum", "installed_by", "installed_on", "execution_time", "success"],
  "graphile-migrate": ["hash", "previous_hash", "filename", "date"],
  prisma: ["id", "checksum", "finished_at", "migration_name", "logs", "rolled_back_at", "started_at", "applied_steps_count"],
  "node-pg-migrate": ["id", "name", "run_on"],
  postgrator: ["version", "name", "md5", "run_at"],
};

/** Every column any tool's table has: what the database is asked about. */
export const ANY_HISTORY_COLUMN: readonly string[] = [...new Set(Object.values(HISTORY_COLUMNS).flat())];

/** Away from its default place, the first tool whose shape fits (golang-migrate's is dbmate's plus `dirty`). */
const BY_SHAPE: readonly Tool[] = ["golang-migrate", "dbmate", "drizzle", "postgres-migrations", "flyway", "graphile-migrate", "prisma", "node-pg-migrate", "postgrator"];

/** Whether a table with `columns` has `tool`'s signature (golang-migrate's `dirty` tells it from dbmate's). */
export function fitsTool(tool: Tool, columns: readonly string[]): boolean {
  return HISTORY_SIGNATURE[tool].every((column) => columns.includes(column)) && !((tool === "dbmate" || tool === "supabase") && columns.includes("dirty"));
}

/**
 * The tool whose history `table` (`schema.name`) is, told by its columns: the tool that keeps its
 * table there by default when its shape fits, else the first tool whose every column it has and
 * no other. Undefined for a table of the project's own.
 */
export function historyToolOf(table: string, columns: readonly string[]): Tool | undefined {
  const atHome = (Object.keys(TOOLS) as Tool[]).find((tool) => TOOLS[tool].table === table && fitsTool(tool, columns));
  if (atHome) return atHome;
  return BY_SHAPE.find((tool) => fitsTool(tool, columns) && columns.every((column) => HISTORY_COLUMNS[tool].includes(column)));
}

/**
 * `catalog` without what belongs to `tables` (`schema.name`): the table, its columns, constraints,
 * indexes, triggers, policies, row security, grants, comments and the sequences it owns.
 */
export function withoutTables(catalog: Catalog, tables: readonly string[]): Catalog {
  if (tables.length === 0) return catalog;
  const owned = new Set(tables);
  for (const object of catalog.objects) {
    const ownedBy = object.category === "sequences" || object.key.startsWith("sequence ") ? object.props.ownedBy : undefined;
    if (typeof ownedBy === "string" && tables.some((table) => ownedBy.startsWith(`${table}.`))) owned.add(object.key.slice("sequence ".length));
  }
  const belongs = (name: string) => [...owned].some((table) => name === table || name.startsWith(`${table}.`));
  return {
    objects: catalog.objects.filter((object) => {
      if (typeof object.props.table === "string" && owned.has(object.props.table)) return false;
      // Keys name their object by its qualified name among words: `column public.t.c`, `privilege table public.t to app`.
      return !object.key.split(" ").some(belongs);
    }),
  };
}
