/**
 * Checks of Supabase's database advisor on row-level security policies, pure over the policies
 * as the catalog deparses them (pg_get_expr): a policy that reads `user_metadata` (which users
 * edit themselves), `auth.uid()` / `auth.jwt()` evaluated per row instead of once, several
 * permissive policies a role runs for one command, and policies on a table without RLS.
 */
import type { SecurityFinding } from "./security-checks.js";

export interface PolicyFacts {
  /** `schema.table`, and the policy's name, both as SQL identifiers (quoted where needed). */
  table: string;
  name: string;
  permissive: boolean;
  /** SELECT, INSERT, UPDATE, DELETE or ALL. */
  command: string;
  roles: string[];
  using: string | null;
  withCheck: string | null;
  /** Whether the table has row-level security enabled. */
  rls: boolean;
}

/** The texts of these checks, by code (documented in the README with the other lint codes). */
export const POLICY_CHECKS = {
  "policy-reads-user-metadata": {
    level: "error",
    message: "reads user_metadata from the JWT: users edit their own user_metadata (supabase.auth.updateUser), so the policy lets them grant themselves access",
    hint: "decide access on app_metadata (only the service role writes it) or on a table the user cannot write",
  },
  "policy-calls-auth-per-row": {
    level: "warn",
    message: "calls auth.uid() / auth.jwt() / auth.role() per row: on a big table the query evaluates it for every row",
    hint: "wrap the call in a select, `(select auth.uid()) = user_id`: Postgres evaluates it once per query (an initplan)",
  },
  "multiple-permissive-policies": {
    level: "warn",
    message: "is one of several permissive policies for the same role and command: Postgres evaluates every one of them for each row",
    hint: "merge them into one policy (conditions joined with OR), or make the extra ones AS RESTRICTIVE where they narrow access",
  },
  "policy-without-rls": {
    level: "error",
    message: "has policies but row-level security is off: the policies do nothing and every row is reachable",
    hint: "alter table ... enable row level security (or drop the policies if the table is meant to be open)",
  },
} as const satisfies Record<string, { level: SecurityFinding["level"]; message: string; hint: string }>;

export type PolicyCheckCode = keyof typeof POLICY_CHECKS;

/** `auth.uid()` and friends not directly inside `(SELECT ...)`, as pg_get_expr deparses `(select auth.uid())`. */
const PER_ROW_AUTH = /(?<!select\s+)\bauth\.(uid|jwt|role|email)\(\)/i;
const USER_METADATA = /\buser_metadata\b/i;
const COMMANDS = ["SELECT", "INSERT", "UPDATE", "DELETE"];

/** The advisor's policy findings (policies in creation order), objects named so lint attributes them to the policy's (or table's) statement. */
export function policyFindings(policies: readonly PolicyFacts[]): SecurityFinding[] {
  const findings: SecurityFinding[] = [];
  const add = (code: PolicyCheckCode, object: string, detail = "") => {
    const check = POLICY_CHECKS[code];
    findings.push({ level: check.level, code, object, message: `${check.message}${detail}`, hint: check.hint });
  };
  for (const policy of policies) {
    const expressions = [policy.using, policy.withCheck].filter((e): e is string => e !== null);
    const object = `policy ${policy.table}.${policy.name}`;
    if (expressions.some((e) => USER_METADATA.test(e))) add("policy-reads-user-metadata", object);
    if (expressions.some((e) => PER_ROW_AUTH.test(e))) add("policy-calls-auth-per-row", object);
  }
  // Permissive policies that apply to one role for one command: every one is ORed per row.
  const overlaps = new Map<string, { table: string; names: string[]; uses: string[] }>();
  const byUse = new Map<string, PolicyFacts[]>();
  const permissive = policies.filter((p) => p.permissive);
  // A policy for PUBLIC (no TO clause) applies to every role the table's other policies name too.
  const namedRoles = (table: string) => new Set(permissive.filter((p) => p.table === table).flatMap((p) => p.roles));
  for (const policy of permissive) {
    const commands = policy.command.toUpperCase() === "ALL" ? COMMANDS : [policy.command.toUpperCase()];
    const roles = policy.roles.includes("public") ? namedRoles(policy.table) : new Set(policy.roles);
    for (const role of roles) for (const command of commands) byUse.set(`${policy.table}\n${role}\n${command}`, [...(byUse.get(`${policy.table}\n${role}\n${command}`) ?? []), policy]);
  }
  for (const [key, group] of byUse) {
    if (group.length < 2) continue;
    const [table, role, command] = key.split("\n") as [string, string, string];
    const names = group.map((p) => p.name);
    const set = `${table}\n${names.join("\n")}`;
    const entry = overlaps.get(set) ?? { table, names, uses: [] };
    entry.uses.push(`${role} ${command}`);
    overlaps.set(set, entry);
  }
  for (const { table, names, uses } of overlaps.values()) {
    // Named after the last one: the statement that made the overlap.
    add("multiple-permissive-policies", `policy ${table}.${names[names.length - 1]!}`, ` (with ${names.slice(0, -1).join(", ")}, for ${uses.join(", ")})`);
  }
  const withoutRls = new Map<string, string[]>();
  for (const policy of policies.filter((p) => !p.rls)) withoutRls.set(policy.table, [...(withoutRls.get(policy.table) ?? []), policy.name]);
  for (const [table, names] of withoutRls) add("policy-without-rls", `table ${table}`, ` (${names.join(", ")})`);
  return findings;
}
