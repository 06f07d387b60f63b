/** What every command starts from: validated settings and the output. */
import { loadSettings, type SettingFlags, type Settings } from "../../config/load-config.js";
import { Output } from "../../output/output.js";
import type { Run } from "./run.js";
import { painter } from "../../output/paint.js";
import { stderrIsTerminal } from "../../output/write.js";
import { noColorRequested } from "../../config/environment.js";
import { ConfigError } from "../../errors.js";

export interface GlobalFlags extends SettingFlags {
  json?: boolean;
  quiet?: boolean;
  verbose?: boolean;
  color?: boolean;
}

export interface CommandContext {
  settings: Settings;
  output: Output;
  /** This run's events (to the output) and interrupts. */
  run: Run;
}

/** Output is created first so that a configuration error is reported in the requested format. */
export async function createOutput(flags: GlobalFlags, secrets: string[] = []): Promise<Output> {
  const color = flags.color !== false && !noColorRequested() && stderrIsTerminal();
  return new Output({ json: Boolean(flags.json), quiet: Boolean(flags.quiet), verbose: Boolean(flags.verbose), paint: await painter(color), secrets });
}

/** The settings are loaded on first use: `dbkit init` reads none (a broken config must not stop it). */
export function loadContext(flags: GlobalFlags, output: Output, run: Run): CommandContext {
  let settings: Settings | undefined;
  return {
    output,
    run,
    get settings() {
      if (!settings) {
        settings = { ...loadSettings(flags, process.cwd()), exitsAfterCommand: true };
        for (const secret of settings.secrets) output.addSecret(secret);
      }
      return settings;
    },
  };
}

/** What is wrong with the settings `flags` give, with the environment and config file (none: []). */
export function settingsProblems(flags: GlobalFlags): string[] {
  try {
    loadSettings(flags, process.cwd());
    return [];
  } catch (error) {
    return error instanceof ConfigError ? error.problems : [];
  }
}
