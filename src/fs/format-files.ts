/**
 * What a folder format changes in a file once it is read. Two stages, because of the stat cache
 * (fs/file-stat-cache.ts): `adaptFile` depends only on the file and runs inside the cached read,
 * so what it derives (dbmate's up section and its checksum, no-transaction markers) is cached with
 * the file; `addFolderParts` adds what comes from other files (golang-migrate's and Flyway's down
 * files, Flyway's .conf) by assignment, never by spreading: spreading a cached file would read its
 * text, which the cache exists to avoid.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { splitDbmateSections } from "../core/dbmate-sections.js";
import { isNodePgMigrateText, splitNodePgMigrateSections } from "../core/node-pg-migrate-sections.js";
import { checksumOf } from "../core/decode-sql.js";
import { formatWithArticle, isDbmateText, type FolderFormat } from "../core/folder-format.js";
import { POSTGRES_MIGRATIONS_NO_TRANSACTION } from "../core/format-file-names.js";
import { normaliseVersion } from "../core/migration-name.js";
import { isAllNonTransactional, isLoneNonTransactionalStatement } from "../core/statement-rules.js";
import { setsItsOwnTransaction, unwrapTransaction } from "../core/transaction-wrapper.js";
import type { DownSql, MigrationFile } from "../core/types.js";
import { MigrationFileError } from "../errors.js";

/**
 * The file as `format` reads it. A file with dbmate's `-- migrate:up` marker is read as dbmate's in
 * a dbkit folder too (a folder moved from dbmate keeps its files as they are).
 */
export function adaptFile(format: FolderFormat, raw: MigrationFile): MigrationFile {
  if (format !== "dbmate" && format !== "dbkit" && format !== "supabase") refuseDbmateDown(format, raw);
  let file = raw;
  if (format === "dbmate" || (format === "dbkit" && isDbmateText(raw.text))) file = dbmateFile(raw);
  // node-pg-migrate's SQL files are named like dbkit's: its markers tell them, or each would run its down.
  else if (format === "dbkit" && isNodePgMigrateText(raw.text)) file = nodePgMigrateFile(raw);
  else if (format === "postgres-migrations" && raw.text.includes(POSTGRES_MIGRATIONS_NO_TRANSACTION)) file = { ...raw, directives: { ...raw.directives, noTransaction: true } };
  // As their own tool runs them: outside a transaction when that tool would (toolRunsOutsideTransaction).
  else if (!raw.directives.noTransaction && toolRunsOutsideTransaction(format, raw.text)) file = { ...raw, directives: { ...raw.directives, noTransaction: true } };
  // Their tool sends the file as written: a file that sets its own transaction's isolation level runs so here too.
  else if ((format === "prisma" || format === "postgrator" || format === "golang-migrate") && !raw.directives.noTransaction && setsItsOwnTransaction(raw.text)) file = { ...raw, directives: { ...raw.directives, noTransaction: true } };
  if ((format === "dbkit" || format === "supabase") && !file.dbmateSections && !file.nodePgMigrateSections) return file;
  // Other tools' files may wrap themselves in BEGIN/COMMIT: the body runs in dbkit's transaction.
  const text = file.directives.noTransaction ? undefined : unwrapTransaction(file.text);
  const down = file.down && !file.down.noTransaction ? unwrapTransaction(file.down.text) : undefined;
  if (text === undefined && down === undefined) return file;
  return { ...file, ...(text === undefined ? {} : { text }), ...(file.down && down !== undefined ? { down: { ...file.down, text: down } } : {}) };
}

function nodePgMigrateFile(file: MigrationFile): MigrationFile {
  const { up, down } = splitNodePgMigrateSections(file.text);
  // As for dbmate's: the checksum covers what runs.
  return { ...file, text: up, checksum: checksumOf(up), nodePgMigrateSections: true, ...(down ? { down: { path: file.path, text: down, noTransaction: false } } : {}) };
}

/**
 * Whether `format`'s own tool runs `text` outside a transaction: a lone statement PostgreSQL refuses
 * in one (a `CREATE INDEX CONCURRENTLY` file) for the tools that send a file as one query, which
 * PostgreSQL wraps in an implicit transaction only when it holds several (Prisma, Postgrator,
 * golang-migrate); a file of only such statements for Flyway, which runs it outside one.
 */
function toolRunsOutsideTransaction(format: FolderFormat, text: string): boolean {
  if (format === "prisma" || format === "postgrator" || format === "golang-migrate") return isLoneNonTransactionalStatement(text);
  if (format === "flyway") return isAllNonTransactional(text);
  return false;
}

/** A file with dbmate's sections, read in another format, would run whole: its down section too. */
function refuseDbmateDown(format: FolderFormat, file: MigrationFile): void {
  if (!isDbmateText(file.text)) return;
  const down = /^--\s*migrate:down\b/m.exec(file.text);
  if (!down) return;
  const line = file.text.slice(0, down.index).split("\n").length;
  throw new MigrationFileError("DBKIT_DBMATE_SECTIONS", `${file.path}:${line}: a dbmate -- migrate:down section in ${formatWithArticle(format)} folder: run whole, the file would run its down`, {
    hint: 'set "format": "dbmate" in dbkit.config.json if the folder is dbmate\'s (dbkit then runs only the up section), or remove the down section',
    details: { file: file.path, line },
  });
}

function dbmateFile(file: MigrationFile): MigrationFile {
  const parsed = splitDbmateSections(file.text);
  if (!parsed.ok) {
    throw new MigrationFileError("DBKIT_DBMATE_SECTIONS", `${file.path}:${parsed.line}: ${parsed.problem}`, {
      hint: "write `-- migrate:up` above the migration and `-- migrate:down` above its down, as dbmate does",
      details: { file: file.path, line: parsed.line },
    });
  }
  const { up, down } = parsed.sections;
  // The checksum covers what runs: editing the down section does not make an applied file drift.
  return {
    ...file,
    text: up.text,
    checksum: checksumOf(up.text),
    dbmateSections: true,
    directives: { ...file.directives, noTransaction: file.directives.noTransaction || up.noTransaction },
    ...(down ? { down: { path: file.path, text: down.text, noTransaction: down.noTransaction } } : {}),
  };
}

export interface FolderParts {
  /** The folder, ending with a separator. */
  folder: string;
  shown: (fileName: string) => string;
  /** Down files by normalised version. */
  downs: ReadonlyMap<string, string>;
  /** Reads a down file as a migration file (decoded, directives checked). */
  readDown: (filePath: string, shown: string) => MigrationFile;
}

/** Adds the parts of `file` kept in other files of the folder; the down's text is read on first use. */
export function addFolderParts(format: FolderFormat, file: MigrationFile, parts: FolderParts): void {
  if (format !== "golang-migrate" && format !== "flyway" && format !== "postgrator") return;
  if (format === "flyway" && flywayNoTransaction(parts.folder, file)) file.directives = { ...file.directives, noTransaction: true };
  const downName = file.repeatable ? undefined : parts.downs.get(normaliseVersion(file.version));
  if (!downName) return;
  let read: MigrationFile | undefined;
  const load = () => (read ??= parts.readDown(parts.folder + downName, parts.shown(downName)));
  // A down runs as its tool runs it too (golang-migrate's lone `DROP INDEX CONCURRENTLY` down).
  const outside = (loaded: MigrationFile) => loaded.directives.noTransaction || toolRunsOutsideTransaction(format, loaded.text);
  const down: DownSql = {
    path: parts.shown(downName),
    get text() {
      const loaded = load();
      return outside(loaded) ? loaded.text : (unwrapTransaction(loaded.text) ?? loaded.text);
    },
    get noTransaction() {
      return outside(load());
    },
  };
  file.down = down;
}

/** Flyway's per-script config (`V1__x.sql.conf`) can say `executeInTransaction=false`. */
function flywayNoTransaction(folder: string, file: MigrationFile): boolean {
  const conf = `${folder}${path.basename(file.path)}.conf`;
  return existsSync(conf) && /^\s*executeInTransaction\s*=\s*false\s*$/m.test(readFileSync(conf, "utf8"));
}
