import type { MigrationFile } from "../core/types.js";
import type { ParsedFile } from "../core/verify-scope.js";
import { parseStatements } from "../sql/parse-sql.js";

/** Every file (a migration, a seed's SQL) parsed with the Postgres grammar; files that do not parse are passed to `onUnparsed`. */
export async function parseFiles<F extends Pick<MigrationFile, "path" | "text">>(files: readonly F[], onUnparsed: (file: F, message: string) => void = () => undefined): Promise<ParsedFile[]> {
  const parsed: ParsedFile[] = [];
  for (const file of files) {
    const result = await parseStatements(file.text);
    if (result.ok) parsed.push({ path: file.path, statements: result.statements });
    else onUnparsed(file, result.message);
  }
  return parsed;
}
