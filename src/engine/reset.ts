/** `reset`: drop what the migrations created (owned schemas, the journal, objects placed elsewhere). */
import { foreignObjects, ownedSchemas } from "../core/foreign-objects.js";
import type { MigrationFile } from "../core/types.js";
import { parseStatements, type SqlStatement } from "../sql/parse-sql.js";
import type { EventSink, MigrationStore, ResetPlan, ResetResult } from "./ports.js";

export interface ResetOptions {
  files: MigrationFile[];
  /** Configured `schemas`; undefined: public plus every schema the migrations create. */
  schemas?: string[];
  journalSchema: string;
}

export async function runReset(store: MigrationStore, events: EventSink, options: ResetOptions): Promise<ResetResult & { owned: string[] }> {
  const statements: SqlStatement[] = [];
  for (const file of options.files) {
    const parsed = await parseStatements(file.text);
    if (parsed.ok) statements.push(...parsed.statements);
    else events.warn(`${file.path} does not parse (${parsed.message}): objects it creates outside the project's schemas are not removed`);
  }
  const owned = ownedSchemas(options.schemas, statements);
  const plan: ResetPlan = { owned, journalSchema: options.journalSchema, foreign: foreignObjects(statements, owned) };
  const result = await store.reset(plan);
  for (const skipped of result.skipped) events.warn(`not removed: ${skipped}`);
  for (const name of result.protectedSchemas) events.warn(`schema ${name} is owned by the platform: left alone`);
  return { ...result, owned };
}
