/**
 * `dbkit new` in another tool's folder: the files that tool's own `new`/`create` command would
 * write, so the file dbkit creates is one it then reads. Pure.
 */
import type { FolderFormat } from "./folder-format.js";
import { detectNamingStyle, nextFileName } from "./new-file-name.js";

export interface NewFile {
  fileName: string;
  content: string;
}

export type NewFiles = { ok: true; files: NewFile[] } | { ok: false; reason: string; hint: string };

/** The files for migration `name` (sanitised: [a-z0-9_]) in a folder of `format` holding `existing` (its entries). */
export function newFilesFor(format: FolderFormat, name: string, title: string, existing: readonly string[], now: Date): NewFiles {
  const header = `-- Migration: ${title}\n`;
  switch (format) {
    case "golang-migrate": {
      const ups = existing.filter((file) => file.endsWith(".up.sql")).map((file) => file.replace(/\.up\.sql$/, ".sql"));
      const base = nextFileName(detectNamingStyle(ups, { kind: "sequence", width: 6, next: 1 }), name, now, ups).replace(/\.sql$/, "");
      return { ok: true, files: [{ fileName: `${base}.up.sql`, content: `${header}\n` }, { fileName: `${base}.down.sql`, content: `-- Undoes ${base}.up.sql (run by dbkit down)\n\n` }] };
    }
    case "dbmate":
      return { ok: true, files: [{ fileName: nextFileName({ kind: "timestamp" }, name, now, existing), content: "-- migrate:up\n\n\n-- migrate:down\n\n" }] };
    case "flyway": {
      const majors = existing.map((file) => /^V(\d+)/.exec(file)?.[1]).filter((major): major is string => major !== undefined).map(Number);
      return { ok: true, files: [{ fileName: `V${Math.max(0, ...majors) + 1}__${name}.sql`, content: `${header}\n` }] };
    }
    case "postgres-migrations": {
      const ids = existing.map((file) => /^(\d+)[-_]/.exec(file)?.[1]).filter((id): id is string => id !== undefined);
      const width = Math.max(4, ...ids.map((id) => id.length));
      const next = Math.max(0, ...ids.map(Number)) + 1;
      return { ok: true, files: [{ fileName: `${String(next).padStart(width, "0")}-${name.replace(/_/g, "-")}.sql`, content: `${header}\n` }] };
    }
    case "prisma": {
      // `prisma migrate dev --create-only` writes `<UTC timestamp>_<name>/migration.sql`.
      const folder = nextFileName({ kind: "timestamp" }, name, now, existing).replace(/\.sql$/, "");
      return { ok: true, files: [{ fileName: `${folder}/migration.sql`, content: `${header}\n` }] };
    }
    case "postgrator": {
      const versions = existing.map((file) => /^(\d+)\.(?:do|undo)\./.exec(file)?.[1]).filter((version): version is string => version !== undefined);
      const width = Math.max(3, ...versions.map((version) => version.length));
      const next = String(Math.max(0, ...versions.map(Number)) + 1).padStart(width, "0");
      // Postgrator's descriptions must not contain periods; the sanitised name has none.
      const label = name.replace(/_/g, "-");
      return { ok: true, files: [{ fileName: `${next}.do.${label}.sql`, content: `${header}\n` }, { fileName: `${next}.undo.${label}.sql`, content: `-- Undoes ${next}.do.${label}.sql (run by dbkit down)\n\n` }] };
    }
    case "drizzle":
      return {
        ok: false,
        reason: "drizzle-kit writes the migrations of a drizzle folder and lists them in meta/_journal.json",
        hint: "run drizzle-kit generate (or drizzle-kit generate --custom for hand-written SQL); dbkit runs what its journal lists",
      };
    default:
      return { ok: true, files: [] };
  }
}
