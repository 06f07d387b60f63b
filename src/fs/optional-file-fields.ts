/** The optional fields of a migration file, which its readers copy without touching its text. */
import type { MigrationFile } from "../core/types.js";

/** Every optional field of MigrationFile: OptionalFields fails to compile when one is added and not listed. */
export type OptionalFileFields = Pick<MigrationFile, "mentionsSupabase" | "down" | "journalWhen" | "dbmateSections" | "nodePgMigrateSections" | "repeatable">;
type Unlisted = Exclude<{ [K in keyof MigrationFile]-?: undefined extends MigrationFile[K] ? K : never }[keyof MigrationFile], keyof OptionalFileFields>;
const everyOptionalFieldListed: Unlisted extends never ? true : never = true;
void everyOptionalFieldListed;

/** Copies onto `to` the optional fields `from` has (an absent field stays absent, as the reader left it). */
export function copyOptionalFileFields(from: OptionalFileFields, to: MigrationFile): MigrationFile {
  if (from.mentionsSupabase !== undefined) to.mentionsSupabase = from.mentionsSupabase;
  if (from.down !== undefined) to.down = from.down;
  if (from.journalWhen !== undefined) to.journalWhen = from.journalWhen;
  if (from.dbmateSections !== undefined) to.dbmateSections = from.dbmateSections;
  if (from.nodePgMigrateSections !== undefined) to.nodePgMigrateSections = from.nodePgMigrateSections;
  if (from.repeatable !== undefined) to.repeatable = from.repeatable;
  return to;
}
