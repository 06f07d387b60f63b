/**
 * Is this a Supabase project? Only when it says so: the config (`supabase: true`), the Supabase
 * CLI's `supabase/config.toml`, or migrations that really use the platform: the API roles
 * (anon, authenticated, service_role) as roles, `auth.uid()` called, `auth.users` read as a table.
 * Judged on parsed statements, not text: `auth.email` where `auth` is a table alias is a column,
 * and a project that creates its own `auth` schema or `anon` role is using its own objects.
 */
import type { ParsedStatementLike } from "./types.js";

export const API_ROLES = ["anon", "authenticated", "service_role"] as const;

const MAY_REFERENCE_SUPABASE = /\bauth\s*\.\s*"?(uid|users)\b|\b(anon|authenticated|service_role)\b/i;

/**
 * A cheap pre-filter on a file's text (recorded by the folder reader, so a cached file is not read
 * again): a file for which it is false cannot make a project a Supabase one, so it is not parsed.
 */
export function mentionsSupabase(text: string): boolean {
  return MAY_REFERENCE_SUPABASE.test(text);
}

export interface SupabaseDetection {
  supabase: boolean;
  /** Why, in words for the output (`supabase/config.toml exists`, `migrations/0001_a.sql:3 grants to authenticated`). */
  reason: string;
}

export interface DetectionFacts {
  /** `supabase` in dbkit.config.json; undefined: detect. */
  configured: boolean | undefined;
  /** supabase/config.toml exists in the project folder. */
  hasSupabaseConfig: boolean;
  /** The migrations' statements, file by file (files that do not parse are left out). */
  files: readonly { path: string; statements: readonly ParsedStatementLike[] }[];
}

export function detectSupabaseProject(facts: DetectionFacts): SupabaseDetection {
  if (facts.configured !== undefined) return { supabase: facts.configured, reason: `"supabase": ${facts.configured} in dbkit.config.json` };
  if (facts.hasSupabaseConfig) return { supabase: true, reason: "supabase/config.toml exists" };
  const all = facts.files.flatMap((file) => file.statements);
  const ownAuth = all.some((s) => s.kind === "CreateSchemaStmt" && s.node.schemaname === "auth");
  const ownRoles = new Set(all.filter((s) => s.kind === "CreateRoleStmt").map((s) => String(s.node.role)));
  for (const file of facts.files) {
    for (const statement of file.statements) {
      const use = platformUse(statement.node, ownAuth, ownRoles);
      if (use) return { supabase: true, reason: `${file.path}:${statement.line} ${use}` };
    }
  }
  return { supabase: false, reason: "no supabase/config.toml, no \"supabase\" in dbkit.config.json, and the migrations use no Supabase role or auth object" };
}

type Node = Record<string, unknown>;

/** What in this statement's tree uses the platform, or undefined. */
function platformUse(root: unknown, ownAuth: boolean, ownRoles: ReadonlySet<string>): string | undefined {
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const value = stack.pop();
    if (Array.isArray(value)) {
      stack.push(...value);
      continue;
    }
    if (typeof value !== "object" || value === null) continue;
    const node = value as Node;
    // libpg_query wraps a node in its type name inside lists (`{ RoleSpec: {...} }`) but not in
    // typed fields (`pktable`, `newowner`): recognise both by their own fields.
    if (typeof node.rolename === "string" && "roletype" in node && (API_ROLES as readonly string[]).includes(node.rolename) && !ownRoles.has(node.rolename)) {
      return `uses the Supabase API role ${node.rolename}`;
    }
    if (!ownAuth) {
      if (node.schemaname === "auth" && node.relname === "users") return "references auth.users";
      if ("funcname" in node && "funcformat" in node && nameOf(node.funcname) === "auth.uid") return "calls auth.uid()";
    }
    for (const child of Object.values(node)) if (typeof child === "object" && child !== null) stack.push(child);
  }
  return undefined;
}

function nameOf(parts: unknown): string {
  return ((parts as Node[] | undefined) ?? []).map((part) => String((part.String as Node | undefined)?.sval ?? "")).join(".");
}
