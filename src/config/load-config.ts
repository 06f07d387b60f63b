/**
 * Settings and where each came from. The only reader of process.env. Precedence, highest
 * first: command-line flags > environment > `.env` > `dbkit.config.json` > defaults.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parse as parseDotenv } from "dotenv";
import { parseConnectionUrl, secretsOfUrl } from "../core/connection-url.js";
import type { FolderFormat } from "../core/folder-format.js";
import { parseLibpqOptions } from "../core/session-settings.js";
import { ConfigError } from "../errors.js";
import { stripJsonComments } from "./jsonc.js";
import { otherToolFolder } from "./tool-folders.js";
import { DEFAULTS, schemas, SETTING_VARIABLES, URL_VARIABLES, type ConfigFile } from "./schema.js";

/** Flags that override everything else. */
export interface SettingFlags {
  url?: string;
  config?: string;
  migrationsDir?: string;
  seedsDir?: string;
  journalSchema?: string;
  lockTimeout?: string;
  statementTimeout?: string;
  lockRetries?: string;
  wait?: string;
  supabaseBase?: boolean;
}

export interface Settings {
  cwd: string;
  /** The database URL and where it was found; undefined means the embedded database. */
  databaseUrl: { value: string; source: string } | undefined;
  migrationsDir: string;
  seedsDir: string;
  /** `schemaDir` of the config file (absolute); undefined: schema/, or supabase/schemas/ in a Supabase layout. */
  schemaDir?: string | undefined;
  journalSchema: string;
  lockTimeout: string;
  /** "0" means no statement timeout. */
  statementTimeout: string;
  /** How often a migration that hit lock_timeout is retried. */
  lockRetries: number;
  /** Seconds to keep retrying the first connection. */
  waitSeconds: number;
  /** Seeds as patterns relative to seedsDir (Supabase's sql_paths); undefined: every .sql in seedsDir. */
  seedPatterns: string[] | undefined;
  /** PGSSLROOTCERT: a CA file for verify-full, as libpq reads it. */
  sslRootCert: string | undefined;
  /** Configured `supabase`; undefined: detect. */
  supabase: boolean | undefined;
  /** Install the Supabase base on a database that is not on this machine (--supabase-base). */
  supabaseBaseAnywhere: boolean;
  /** The seeds of supabase/config.toml run on a database not on this machine too ("seedRemote"). */
  seedRemote: boolean;
  /** Settings for the migration sessions: `sessionSettings` of the config, then the URL's `options=-c ...`. */
  sessionSettings: Record<string, string>;
  /** Schemas the project owns, when configured. */
  schemas: string[] | undefined;
  /** The migration folder's format when configured; undefined: detected. */
  format?: FolderFormat | undefined;
  /** Files of the migrations folder not to read (`*` wildcards). */
  exclude?: string[] | undefined;
  /** Folder of the embedded database and other local state. */
  stateDir: string;
  /** Per-user cache (Postgres binaries of other majors): DBKIT_CACHE_DIR, else $XDG_CACHE_HOME/dbkit, else ~/.cache/dbkit. */
  cacheDir: string;
  /** Strings that must never be printed (passwords found in any configured URL). */
  secrets: string[];
  /**
   * The process exits as soon as the command returns (the CLI): the connection is closed the way
   * libpq closes it, by sending Terminate without waiting for the server to end the session.
   * Library callers keep the wait, so a DROP DATABASE right after never finds the session alive.
   */
  exitsAfterCommand?: boolean;
}

type SettingKey = keyof typeof SETTING_VARIABLES;

export function loadSettings(flags: SettingFlags, cwd: string, env: NodeJS.ProcessEnv = process.env): Settings {
  const dotenv = readDotenv(cwd);
  const file = readConfigFile(flags.config, cwd);
  const given = (key: SettingKey): string | undefined => {
    const variable = SETTING_VARIABLES[key];
    return flags[key] ?? env[variable] ?? dotenv[variable] ?? (file[key] === undefined ? undefined : String(file[key]));
  };
  const pick = (key: SettingKey): string => given(key) ?? DEFAULTS[key];
  // The Supabase CLI's layout works with no configuration at all. An empty migrations/ (left by a
  // scaffold) beside such a folder is no choice: read in its place, it made the project look up to date.
  const noFolderGiven = given("migrationsDir") === undefined && (!existsSync(path.join(cwd, DEFAULTS.migrationsDir)) || emptyBesideAnotherTools(cwd, [env, dotenv]));
  const layout = noFolderGiven ? supabaseLayout(cwd) : undefined;
  // So does Prisma's (prisma/migrations, beside schema.prisma).
  const prismaDir = noFolderGiven && !layout && existsSync(path.join(cwd, "prisma", "migrations")) ? path.join("prisma", "migrations") : undefined;
  // And drizzle-kit's, dbmate's and Flyway's, where their setup puts them (config/tool-folders.ts).
  const toolDir = noFolderGiven && !layout && !prismaDir ? otherToolFolder(cwd, [env, dotenv]) : undefined;
  const values = {
    migrationsDir: layout?.migrationsDir ?? prismaDir ?? toolDir ?? pick("migrationsDir"),
    seedsDir: layout && given("seedsDir") === undefined ? "supabase" : pick("seedsDir"),
    journalSchema: pick("journalSchema"),
    lockTimeout: pick("lockTimeout"),
    statementTimeout: pick("statementTimeout"),
    lockRetries: pick("lockRetries"),
    wait: pick("wait"),
  };
  // The defaults and the Supabase layout's folders are valid by construction.
  const anyGiven = (Object.keys(SETTING_VARIABLES) as SettingKey[]).some((key) => given(key) !== undefined);
  const checked = anyGiven ? schemas().settings.safeParse(values) : { success: true as const, data: values };
  if (!checked.success) {
    const problems = checked.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
    throw new ConfigError(`invalid settings: ${problems.join("; ")}`, problems, { hint: "fix the flag, environment variable or dbkit.config.json entry named" });
  }
  const databaseUrl = pickUrl(flags.url, env, dotenv);
  const secrets = [flags.url, ...URL_VARIABLES.flatMap((name) => [env[name], dotenv[name]])].flatMap((url) => (url ? secretsOfUrl(url) : []));
  return {
    cwd,
    databaseUrl,
    ...checked.data,
    migrationsDir: path.resolve(cwd, checked.data.migrationsDir),
    seedsDir: path.resolve(cwd, checked.data.seedsDir),
    stateDir: path.join(cwd, ".dbkit"),
    cacheDir: env.DBKIT_CACHE_DIR || path.join(env.XDG_CACHE_HOME || path.join(os.homedir(), ".cache"), "dbkit"),
    schemas: file.schemas,
    schemaDir: file.schemaDir === undefined ? undefined : path.resolve(cwd, file.schemaDir),
    format: file.format,
    exclude: file.exclude,
    seedRemote: file.seedRemote === true,
    sessionSettings: projectSessionSettings(file.sessionSettings, databaseUrl),
    supabase: file.supabase,
    seedPatterns: layout && given("seedsDir") === undefined ? layout.seedPatterns : undefined,
    sslRootCert: env.PGSSLROOTCERT ?? dotenv.PGSSLROOTCERT,
    supabaseBaseAnywhere: Boolean(flags.supabaseBase),
    lockRetries: Number(checked.data.lockRetries),
    waitSeconds: Number(checked.data.wait),
    secrets,
  };
}

/** The config's sessionSettings, overridden by the URL's `options=-c name=value` (libpq's convention). */
function projectSessionSettings(configured: ConfigFile["sessionSettings"], url: Settings["databaseUrl"]): Record<string, string> {
  const settings: Record<string, string> = {};
  for (const [name, value] of Object.entries(configured ?? {})) settings[name] = String(value);
  const parsed = url ? parseConnectionUrl(url.value) : undefined;
  const options = parsed?.ok ? parsed.url.params.options : undefined;
  if (options === undefined) return settings;
  const fromUrl = parseLibpqOptions(options);
  if (fromUrl.problems.length > 0) {
    throw new ConfigError(`the database URL's options parameter has ${fromUrl.problems.length} part(s) that are not -c name=value: ${fromUrl.problems.join(", ")}`, fromUrl.problems, {
      hint: "write options=-c%20search_path%3Dapp,public (each setting as -c name=value, spaces percent-encoded)",
    });
  }
  return { ...settings, ...fromUrl.settings };
}

function pickUrl(flag: string | undefined, env: NodeJS.ProcessEnv, dotenv: Record<string, string>): Settings["databaseUrl"] {
  if (flag) return { value: flag, source: "--url" };
  for (const [values, where] of [[env, "environment"], [dotenv, ".env"]] as const) {
    for (const name of URL_VARIABLES) {
      const value = values[name];
      if (value) return { value, source: `${name} (${where})` };
    }
  }
  return undefined;
}

/** migrations/ holds no .sql file, and another tool's folder exists: supabase/migrations, prisma/migrations, those of config/tool-folders.ts (listed only then). */
function emptyBesideAnotherTools(cwd: string, variables: readonly Record<string, string | undefined>[]): boolean {
  if (!existsSync(path.join(cwd, "supabase", "migrations")) && !existsSync(path.join(cwd, "prisma", "migrations")) && otherToolFolder(cwd, variables) === undefined) return false;
  try {
    return !readdirSync(path.join(cwd, DEFAULTS.migrationsDir)).some((name) => name.toLowerCase().endsWith(".sql"));
  } catch {
    return false;
  }
}

/** supabase/migrations and the seeds of supabase/config.toml ([db.seed] sql_paths, default ./seed.sql). */
function supabaseLayout(cwd: string): { migrationsDir: string; seedPatterns: string[] } | undefined {
  if (!existsSync(path.join(cwd, "supabase", "migrations"))) return undefined;
  const toml = existsSync(path.join(cwd, "supabase", "config.toml")) ? readFileSync(path.join(cwd, "supabase", "config.toml"), "utf8") : "";
  const section = /^\[db\.seed\]\s*$([\s\S]*?)(?=^\[|(?![\s\S]))/m.exec(toml)?.[1] ?? "";
  if (/^\s*enabled\s*=\s*false/m.test(section)) return { migrationsDir: "supabase/migrations", seedPatterns: [] };
  const list = /sql_paths\s*=\s*\[([\s\S]*?)\]/.exec(section)?.[1];
  const patterns = list ? [...list.matchAll(/"([^"]*)"|'([^']*)'/g)].map((m) => m[1] ?? m[2] ?? "") : ["./seed.sql"];
  return { migrationsDir: "supabase/migrations", seedPatterns: patterns };
}

function readDotenv(cwd: string): Record<string, string> {
  const file = path.join(cwd, ".env");
  return existsSync(file) ? parseDotenv(readFileSync(file)) : {};
}

function readConfigFile(explicit: string | undefined, cwd: string): ConfigFile {
  const file = path.resolve(cwd, explicit ?? "dbkit.config.json");
  if (!existsSync(file)) {
    if (explicit) throw new ConfigError(`config file not found: ${explicit}`, [`${explicit}: not found`], { hint: "check the --config path" });
    return {};
  }
  const shown = path.relative(cwd, file) || file;
  let raw: unknown;
  try {
    raw = JSON.parse(stripJsonComments(readFileSync(file, "utf8")));
  } catch (error) {
    const message = (error as Error).message;
    throw new ConfigError(`${shown}: not valid JSON: ${message}`, [message], { hint: "fix the JSON syntax" });
  }
  const parsed = schemas().configFile.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const where = issue.path.length > 0 ? issue.path.join(".") : "(top level)";
      const keys = "keys" in issue && Array.isArray(issue.keys) ? ` ${issue.keys.join(", ")}` : "";
      return `${where}: ${issue.message}${issue.code === "unrecognized_keys" ? "" : keys}`;
    });
    throw new ConfigError(`${shown} has ${problems.length} problem(s): ${problems.join("; ")}`, problems, {
      hint: "known keys: migrationsDir, seedsDir, schemaDir, journalSchema, lockTimeout, statementTimeout, lockRetries, wait, schemas, supabase, seedRemote, format, exclude, sessionSettings",
    });
  }
  return parsed.data;
}
