/**
 * Commander's values through zod before any command sees them: each command's own flags and
 * arguments (its `input()` schema) and the global groups (project, output, timeouts), every
 * problem in one UsageError (exit 2). The global groups' values are settings: config/ validates
 * them (with the same settings from the environment and config file); here only their types.
 */
import * as z from "zod/mini";
import en from "zod/v4/locales/en.js";
import { UsageError } from "../../errors.js";
import type { GlobalFlags } from "./context.js";

/** A schema built on first use: building schemas (and zod's English messages) costs start-up time. */
export function lazySchema<T>(build: () => T): () => T {
  let built: { value: T } | undefined;
  return () => {
    if (!built) {
      z.config(en());
      built = { value: build() };
    }
    return built.value;
  };
}

const text = () => z.optional(z.string());
const flag = () => z.optional(z.boolean());

/** The global flag groups (commands/shared/flag-groups.ts) and the timeout group. */
const globalFlags = lazySchema(() =>
  z.object({
    url: text(),
    config: text(),
    migrationsDir: text(),
    seedsDir: text(),
    journalSchema: text(),
    lockTimeout: text(),
    statementTimeout: text(),
    lockRetries: text(),
    wait: text(),
    supabaseBase: flag(),
    json: flag(),
    quiet: flag(),
    verbose: flag(),
    color: flag(),
  }),
);

/** A command's input with no flags of its own. */
export const noFlags = lazySchema(() => z.object({}));

/**
 * Reads commander's values (`values`: every flag, global ones too, and `args`) through both
 * schemas. When a flag is wrong, `settingsProblems` adds what is wrong with the settings the global
 * flags give (config/ checks their values), so that one error lists everything.
 */
export function parseFlags<Input>(
  command: string,
  schema: z.ZodMiniType<Input>,
  values: Record<string, unknown>,
  settingsProblems: (flags: GlobalFlags) => string[] = () => [],
): { global: GlobalFlags; input: Input } {
  const global = globalFlags().safeParse(values);
  const input = schema.safeParse(values);
  const problems = [...(global.success ? [] : global.error.issues), ...(input.success ? [] : input.error.issues)].map((issue) => describe(issue, values));
  if (global.success && !input.success) problems.push(...settingsProblems(global.data));
  if (!global.success || !input.success || problems.length > 0) {
    throw new UsageError("DBKIT_USAGE", problems.length === 1 ? problems[0]! : `${problems.length} problems with the flags: ${problems.join("; ")}`, {
      hint: `run dbkit ${command} --help for the flags and arguments`,
      details: { problems },
    });
  }
  return { global: global.data, input: input.data };
}

/** "--fail-on sometimes: use warn or error": the flag as typed, its value, what is wrong. */
function describe(issue: z.core.$ZodIssue, values: Record<string, unknown>): string {
  const [key, index] = issue.path;
  if (key === "args") return issue.message;
  if (typeof key !== "string") return issue.message;
  const name = `--${key.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`)}`;
  const value = values[key];
  const shown = typeof value === "string" ? ` ${value}` : Array.isArray(value) && typeof index === "number" ? ` ${String(value[index])}` : "";
  return `${name}${shown}: ${issue.message}`;
}
