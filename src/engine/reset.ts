/** `reset`: drop what the migrations created (owned schemas, the journal, objects placed elsewhere). */
import { foreignObjects, ownedSchemas } from "../core/foreign-objects.js";
import type { MigrationFile } from "../core/types.js";
import { parseFiles } from "./parse-files.js";
import type { ResetPlan, ResetResult } from "./ports.js";
import type { OnEvent } from "./events.js";

export interface ResetOptions {
  files: MigrationFile[];
  /** Configured `schemas`; undefined: public plus every schema the migrations create. */
  schemas?: string[];
  journalSchema: string;
  /** A Supabase project: a platform schema it does not create with a plain CREATE SCHEMA is left alone. */
  supabase?: boolean;
  /** The seeds' SQL that inserts into schema-qualified tables: their rows in tables the project does not own (auth.users) go too. */
  seedSql?: Pick<MigrationFile, "path" | "text">[];
}

/** Plans what reset drops (pure, from the parsed files) and has `drop` drop it. */
export async function runReset(drop: (plan: ResetPlan) => Promise<ResetResult>, onEvent: OnEvent, options: ResetOptions): Promise<ResetResult & { owned: string[] }> {
  const parsed = await parseFiles(options.files, (file, message) =>
    onEvent({ type: "warning", message: `${file.path} does not parse (${message}): objects it creates outside the project's schemas are not removed` }),
  );
  const statements = parsed.flatMap((file) => file.statements);
  const owned = ownedSchemas(options.schemas, statements, options.supabase ?? false);
  // A seed's users in auth.users would make the seed fail on its own keys when it runs again.
  const seeded = (await parseFiles(options.seedSql ?? [])).flatMap((file) => file.statements);
  const seedRows = foreignObjects(seeded, owned).filter((object) => object.kind === "rows");
  const plan: ResetPlan = { owned, journalSchema: options.journalSchema, foreign: [...foreignObjects(statements, owned), ...seedRows] };
  const result = await drop(plan);
  for (const skipped of result.skipped) onEvent({ type: "warning", message: `not removed: ${skipped}` });
  for (const name of result.protectedSchemas) onEvent({ type: "warning", message: `schema ${name} is owned by the platform: left alone` });
  return { ...result, owned };
}
