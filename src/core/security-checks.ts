/**
 * Security checks for Supabase-style databases, where the API roles (anon, authenticated) reach
 * every table in an exposed schema and RLS alone decides which rows. Facts come from the catalog
 * (db/security-facts); the rules here are pure.
 */
export type SecurityLevel = "error" | "warn" | "info";

export interface SecurityFinding {
  level: SecurityLevel;
  /** Stable code, e.g. SEC_RLS_DISABLED. */
  code: string;
  object: string;
  message: string;
  hint: string;
}

export interface SecurityFacts {
  /** Tables in API-exposed schemas. */
  /** `quoted`: the name as SQL (`public."User"`), for the suggested fixes. */
  tables: { name: string; quoted: string; rls: boolean; policies: number }[];
  policies: { table: string; name: string; command: string; roles: string[]; using: string | null; withCheck: string | null }[];
  definerFunctions: { signature: string; quoted: string; fixedSearchPath: boolean; anonCanExecute: boolean }[];
  /** Views in exposed schemas that read auth.users. */
  viewsOnAuthUsers: string[];
  /** API roles that can use the journal schema. */
  journalReachableBy: string[];
  journalSchema: string;
}

const API_ROLES = ["anon", "authenticated", "public"];
const ALWAYS_TRUE = /^\(?\s*true\s*\)?$/i;

/** The codes that hold without an API (any Postgres project); the others speak of the Supabase API roles. */
export const CHECKS_WITHOUT_API = ["SEC_DEFINER_SEARCH_PATH"];

/** `api`: false for a project that is not a Supabase one, which gets only CHECKS_WITHOUT_API. */
export function securityFindings(facts: SecurityFacts, api = true): SecurityFinding[] {
  const all = apiAndOtherFindings(facts);
  return api ? all : all.filter((finding) => CHECKS_WITHOUT_API.includes(finding.code));
}

function apiAndOtherFindings(facts: SecurityFacts): SecurityFinding[] {
  const findings: SecurityFinding[] = [];
  for (const table of facts.tables) {
    if (!table.rls) {
      findings.push({
        level: "error",
        code: "SEC_RLS_DISABLED",
        object: `table ${table.name}`,
        message: "row level security is off in an API-exposed schema: every row is readable and writable through the API",
        hint: `alter table ${table.quoted} enable row level security; then add policies`,
      });
    } else if (table.policies === 0) {
      findings.push({
        level: "warn",
        code: "SEC_RLS_NO_POLICY",
        object: `table ${table.name}`,
        message: "row level security is on but there is no policy: the API roles see nothing",
        hint: "add policies for the access the application needs, or move the table out of the exposed schema",
      });
    }
  }
  for (const policy of facts.policies) {
    const writes = ["INSERT", "UPDATE", "DELETE", "ALL"].includes(policy.command.toUpperCase());
    const forApi = policy.roles.some((role) => API_ROLES.includes(role));
    const open = (policy.using !== null && ALWAYS_TRUE.test(policy.using)) || (policy.withCheck !== null && ALWAYS_TRUE.test(policy.withCheck));
    if (writes && forApi && open) {
      findings.push({
        level: "warn",
        code: "SEC_PERMISSIVE_WRITE",
        object: `policy ${policy.table}.${policy.name}`,
        message: `${policy.command} for ${policy.roles.join(", ")} with an always-true condition: any API caller may write any row`,
        hint: "restrict the condition (for example auth.uid() = user_id) or grant it to service_role only",
      });
    }
  }
  for (const fn of facts.definerFunctions) {
    if (!fn.fixedSearchPath) {
      findings.push({
        level: "warn",
        code: "SEC_DEFINER_SEARCH_PATH",
        object: `function ${fn.signature}`,
        message: "SECURITY DEFINER without a fixed search_path: a caller can shadow the objects it uses",
        hint: "add `set search_path = ''` to the function and schema-qualify what it uses",
      });
    }
    if (fn.anonCanExecute) {
      findings.push({
        level: "warn",
        code: "SEC_DEFINER_ANON_EXECUTE",
        object: `function ${fn.signature}`,
        message: "a SECURITY DEFINER function that anon can execute runs with its owner's rights for anyone",
        hint: `revoke execute on function ${fn.quoted} from anon, public`,
      });
    }
  }
  for (const view of facts.viewsOnAuthUsers) {
    findings.push({
      level: "error",
      code: "SEC_VIEW_EXPOSES_AUTH_USERS",
      object: `view ${view}`,
      message: "a view in an API-exposed schema reads auth.users: it can expose users' emails and metadata",
      hint: "move the view out of the exposed schema, or make it security_invoker and revoke it from anon and authenticated",
    });
  }
  for (const role of facts.journalReachableBy) {
    findings.push({
      level: "error",
      code: "SEC_JOURNAL_EXPOSED",
      object: `schema ${facts.journalSchema}`,
      message: `the migration journal is reachable by ${role}`,
      hint: `revoke all on schema ${quoteIdent(facts.journalSchema)} from ${quoteIdent(role)}`,
    });
  }
  return findings;
}

const RANK: Record<SecurityLevel, number> = { info: 0, warn: 1, error: 2 };

/** Whether a finding fails the run under `--fail-on`. */
export function failsOn(level: SecurityLevel, threshold: "warn" | "error"): boolean {
  return RANK[level] >= RANK[threshold];
}

/** An identifier as SQL: quoted unless it is a plain lower-case name. */
function quoteIdent(name: string): string {
  return /^[a-z_][a-z0-9_$]*$/.test(name) ? name : `"${name.replace(/"/g, '""')}"`;
}
