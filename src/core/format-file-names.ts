/**
 * What each folder format makes of a file name: a migration (its journal name and version), the
 * down of a version, a repeatable, or nothing (the file is not read, which is an error unless
 * excluded).
 */
import type { FolderFormat } from "./folder-format.js";
import { parseMigrationFileName } from "./migration-name.js";

export type FileRole =
  /** A migration that runs: `name` is its identity in the journal. */
  | { role: "up"; name: string; version: string }
  /** The down (golang-migrate) or undo (Flyway) of the migration of `version`. */
  | { role: "down"; version: string }
  /** A Flyway repeatable: run after the versioned ones, again whenever its content changes. */
  | { role: "repeatable"; name: string };

const GOLANG_MIGRATE = /^(\d+)_(.+)\.(up|down)\.sql$/;
/** dbmate's own rule: the version is the digits a name starts with, whatever follows. */
const DBMATE = /^(\d+)(?:[^\d\n\r][^\n\r]*)?\.sql$/;
const FLYWAY_VERSIONED = /^([VU])(\d+(?:[._]\d+)*)__(.+)\.sql$/;
const FLYWAY_REPEATABLE = /^R__(.+)\.sql$/;
const POSTGRES_MIGRATIONS = /^(\d+)[-_]?(.+)\.sql$/;
/** `<version>.do.<name>.sql` / `<version>.undo.<name>.sql`; the name is optional. */
const POSTGRATOR = /^(\d+)\.(do|undo)(?:\.(.+))?\.sql$/;

/** The role of `fileName` in a folder of `format` (drizzle's files are named by its journal). */
export function roleOfFile(format: FolderFormat, fileName: string): FileRole | undefined {
  switch (format) {
    case "dbkit":
    case "supabase": {
      const parsed = parseMigrationFileName(fileName);
      return parsed ? { role: "up", name: parsed.name, version: parsed.version } : undefined;
    }
    case "dbmate": {
      // dbmate reads any name that starts with its version: `20220807151154-faucet_users.sql` too.
      const match = DBMATE.exec(fileName);
      return match ? { role: "up", name: fileName.slice(0, -".sql".length), version: match[1]! } : undefined;
    }
    case "golang-migrate": {
      const match = GOLANG_MIGRATE.exec(fileName);
      if (!match) return undefined;
      return match[3] === "up" ? { role: "up", name: `${match[1]}_${match[2]}`, version: match[1]! } : { role: "down", version: match[1]! };
    }
    case "flyway": {
      const repeatable = FLYWAY_REPEATABLE.exec(fileName);
      if (repeatable) return { role: "repeatable", name: fileName.slice(0, -".sql".length) };
      const match = FLYWAY_VERSIONED.exec(fileName);
      if (!match) return undefined;
      // Flyway writes a version's parts with dots or underscores: V1_1 is version 1.1.
      const version = match[2]!.replace(/_/g, ".");
      return match[1] === "V" ? { role: "up", name: fileName.slice(0, -".sql".length), version } : { role: "down", version };
    }
    case "postgres-migrations": {
      const match = POSTGRES_MIGRATIONS.exec(fileName);
      return match ? { role: "up", name: fileName.slice(0, -".sql".length), version: match[1]! } : undefined;
    }
    case "postgrator": {
      const match = POSTGRATOR.exec(fileName);
      if (!match) return undefined;
      return match[2] === "do" ? { role: "up", name: fileName.slice(0, -".sql".length), version: match[1]! } : { role: "down", version: match[1]! };
    }
    // drizzle's files are named by its journal, Prisma's migrations are folders (fs/prisma-layout.ts).
    case "drizzle":
    case "prisma":
      return undefined;
  }
}

/** What the unread files of a format should be named like, for the error that lists them. */
export const EXPECTED_NAMES: Record<FolderFormat, string> = {
  dbkit: "<version>_<name>.sql",
  supabase: "<timestamp>_<name>.sql",
  "golang-migrate": "<version>_<title>.up.sql / .down.sql",
  dbmate: "<version>_<name>.sql (or <version>-<name>.sql)",
  drizzle: "a tag listed in meta/_journal.json",
  "postgres-migrations": "<id>-<name>.sql or <id>_<name>.sql",
  flyway: "V<version>__<description>.sql, U<version>__<description>.sql or R__<description>.sql",
  prisma: "<timestamp>_<name>/migration.sql",
  postgrator: "<version>.do.<name>.sql / <version>.undo.<name>.sql",
};

/** The comment postgres-migrations looks for anywhere in a file to run it outside a transaction. */
export const POSTGRES_MIGRATIONS_NO_TRANSACTION = "-- postgres-migrations disable-transaction";
