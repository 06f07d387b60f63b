/** The shape every API call returns and every `--json` document prints. */
import { JSON_SCHEMA_VERSION } from "../../output/json-schema-version.js";

export type ResultDoc<C extends string, T> = { schemaVersion: typeof JSON_SCHEMA_VERSION; ok: boolean; command: C } & T & { warnings: string[] };

export function resultDoc<C extends string, T extends object>(command: C, data: T, warnings: string[], ok = true): ResultDoc<C, T> {
  return { schemaVersion: JSON_SCHEMA_VERSION, ok, command, ...data, warnings } as ResultDoc<C, T>;
}
