/** `reset`: drop what the migrations created (owned schemas, the journal, objects placed elsewhere). */
import { foreignObjects, ownedSchemas } from "../core/foreign-objects.js";
import type { MigrationFile } from "../core/types.js";
import { parseFiles } from "./parse-files.js";
import type { EventSink, ResetPlan, ResetResult } from "./ports.js";

export interface ResetOptions {
  files: MigrationFile[];
  /** Configured `schemas`; undefined: public plus every schema the migrations create. */
  schemas?: string[];
  journalSchema: string;
  /** A Supabase project: a platform schema it does not create with a plain CREATE SCHEMA is left alone. */
  supabase?: boolean;
}

/** Plans what reset drops (pure, from the parsed files) and has `drop` drop it. */
export async function runReset(drop: (plan: ResetPlan) => Promise<ResetResult>, events: EventSink, options: ResetOptions): Promise<ResetResult & { owned: string[] }> {
  const parsed = await parseFiles(options.files, (file, message) =>
    events.warn(`${file.path} does not parse (${message}): objects it creates outside the project's schemas are not removed`),
  );
  const statements = parsed.flatMap((file) => file.statements);
  const owned = ownedSchemas(options.schemas, statements, options.supabase ?? false);
  const plan: ResetPlan = { owned, journalSchema: options.journalSchema, foreign: foreignObjects(statements, owned) };
  const result = await drop(plan);
  for (const skipped of result.skipped) events.warn(`not removed: ${skipped}`);
  for (const name of result.protectedSchemas) events.warn(`schema ${name} is owned by the platform: left alone`);
  return { ...result, owned };
}
