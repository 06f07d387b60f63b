/**
 * Settings a project's migration sessions need (`search_path`, `app.tenant`, ...): from
 * `sessionSettings` in dbkit.config.json and the database URL's `options=-c name=value` (libpq's
 * convention, which the URL's settings override). Applied with set_config after each session
 * reset, so they hold for every migration and seed, through poolers too.
 */

/** A setting name as Postgres accepts it: `search_path`, or a custom `app.tenant`. */
export const SETTING_NAME = /^[A-Za-z_][A-Za-z0-9_$]*(\.[A-Za-z_][A-Za-z0-9_$]*)?$/;

export interface ParsedOptions {
  settings: Record<string, string>;
  /** Parts of the value that are not `-c name=value` (or `--name=value`). */
  problems: string[];
}

/**
 * libpq's `options`: words separated by spaces (a backslash escapes a space or a backslash),
 * each `-c name=value`, `-cname=value` or `--name=value`.
 */
export function parseLibpqOptions(options: string): ParsedOptions {
  const words: string[] = [];
  let word = "";
  let inWord = false;
  for (let i = 0; i < options.length; i++) {
    const char = options[i]!;
    if (char === "\\" && i + 1 < options.length) {
      word += options[++i];
      inWord = true;
    } else if (/\s/.test(char)) {
      if (inWord) words.push(word);
      word = "";
      inWord = false;
    } else {
      word += char;
      inWord = true;
    }
  }
  if (inWord) words.push(word);
  const settings: Record<string, string> = {};
  const problems: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const current = words[i]!;
    const assignment = current === "-c" ? words[++i] : current.startsWith("--") ? current.slice(2) : current.startsWith("-c") ? current.slice(2) : undefined;
    const eq = assignment?.indexOf("=") ?? -1;
    const name = assignment?.slice(0, eq).replace(/-/g, "_");
    if (assignment === undefined || eq <= 0 || !SETTING_NAME.test(name!)) {
      problems.push(assignment === undefined ? current : assignment);
      continue;
    }
    settings[name!] = assignment.slice(eq + 1);
  }
  return { settings, problems };
}

/** `select set_config(...)` for each setting (`local`: for the current transaction only); "" for none. */
export function sessionSettingsSql(settings: Readonly<Record<string, string>> | undefined, local: boolean): string {
  const entries = Object.entries(settings ?? {});
  if (entries.length === 0) return "";
  return `select ${entries.map(([name, value]) => `set_config(${literal(name)}, ${literal(value)}, ${local})`).join(", ")}`;
}

function literal(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}
