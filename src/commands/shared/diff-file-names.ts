/**
 * Where `dbkit diff` writes its files: named as the migrations folder names its own (a UTC
 * timestamp, the next number of a `0001_` folder, or the file another tool's `new` would make, as
 * `dbkit new` does), each also as the migration the proof applies after the existing ones.
 */
import path from "node:path";
import type { Settings } from "../../config/load-config.js";
import { checksumOf } from "../../core/decode-sql.js";
import { parseDirectives } from "../../core/directives.js";
import type { PlannedFile } from "../../core/diff/migration-files.js";
import type { FolderFormat } from "../../core/folder-format.js";
import { newFilesFor } from "../../core/new-format-file.js";
import { detectNamingStyle, nextFileName } from "../../core/new-file-name.js";
import type { MigrationFile } from "../../core/types.js";
import { UsageError } from "../../errors.js";
import { display } from "../../fs/read-migration-dir.js";
import { listSqlFiles } from "../../fs/scaffold.js";

export interface NamedFile {
  planned: PlannedFile;
  /** What is written: the planned text, in the folder format's shape (dbmate's sections). */
  content: string;
  absolutePath: string;
  /** The file as the proof applies it: after every existing migration. */
  proof: MigrationFile;
}

export async function namedFiles(settings: Settings, format: FolderFormat, planned: readonly PlannedFile[], title: string): Promise<NamedFile[]> {
  const existing = await listSqlFiles(settings.migrationsDir);
  const now = new Date();
  return planned.map((file, index) => {
    const fileName = fileNameFor(format, file.name, title, existing, now);
    existing.push(fileName);
    const absolutePath = path.join(settings.migrationsDir, fileName);
    // Longer than any version in the folder: the proof runs it after all of them.
    const version = `${"9".repeat(30)}${index}`;
    const proof: MigrationFile = { kind: "migration", name: `${version}_${file.name}`, version, path: display(absolutePath, settings.cwd), text: file.text, checksum: checksumOf(file.text), directives: parseDirectives(file.text).directives };
    return { planned: file, content: format === "dbmate" ? dbmateText(file) : file.text, absolutePath, proof };
  });
}

function fileNameFor(format: FolderFormat, name: string, title: string, existing: string[], now: Date): string {
  const other = newFilesFor(format, name, title, existing, now);
  if (!other.ok) throw new UsageError("DBKIT_DIFF_FOLDER_FORMAT", `dbkit diff cannot write into this folder: ${other.reason}`, { hint: `${other.hint}; dbkit diff --dry-run prints the SQL to use` });
  const first = other.files[0];
  if (first) return first.fileName;
  return nextFileName(detectNamingStyle(existing, { kind: "timestamp" }), name, now, existing);
}

/** dbmate reads `-- migrate:up` (with `transaction:false` outside a transaction) and `-- migrate:down` sections. */
function dbmateText(file: PlannedFile): string {
  return `-- migrate:up${file.noTransaction ? " transaction:false" : ""}\n${file.text}\n-- migrate:down\n`;
}
