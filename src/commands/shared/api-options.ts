/** What every programmatic API function takes besides its command's flags, and how it becomes settings. */
import { loadSettings, type SettingFlags, type Settings } from "../../config/load-config.js";
import { eventReporter, type DbkitEvent, type Reporter } from "./reporter.js";

export interface DbkitOptions extends Omit<SettingFlags, "lockRetries" | "wait"> {
  /** The project folder (default: process.cwd()). */
  cwd?: string;
  /** Environment to read DATABASE_URL and DBKIT_* from (default: process.env). */
  env?: NodeJS.ProcessEnv;
  lockRetries?: number;
  /** Seconds to keep retrying the first connection. */
  wait?: number;
  /** Progress, warnings and the target, as they happen. */
  onEvent?: (event: DbkitEvent) => void;
}

/** The settings (validated as the CLI's are) and a reporter that passes events to `onEvent`. */
export function apiSettings(options: DbkitOptions): { settings: Settings; reporter: Reporter } {
  const { cwd = process.cwd(), env, onEvent, lockRetries, wait, ...flags } = options;
  const settings = loadSettings({ ...flags, ...(lockRetries === undefined ? {} : { lockRetries: String(lockRetries) }), ...(wait === undefined ? {} : { wait: String(wait) }) }, cwd, env);
  return { settings, reporter: eventReporter(onEvent) };
}
