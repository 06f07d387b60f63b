/**
 * What `verify` compares, derived from the migrations: the schemas the project owns, objects it
 * places elsewhere, the roles it grants to, the extensions it creates, and which file defines
 * each object (for "defined in ..." in the report).
 */
import { foreignObjects, ownedSchemas, type ForeignObject } from "./foreign-objects.js";
import { extraDefinitionSites, extraScope, extraSiteOf, type ExtraScope } from "./verify-scope-extra.js";
import type { ParsedStatementLike } from "./types.js";

export interface VerifyScope {
  schemas: string[];
  foreign: ForeignObject[];
  /** Roles whose privileges are compared; "" is PUBLIC. */
  roles: string[];
  extensions: string[];
  /** Publications, event triggers, default privileges, owners and languages the migrations set. */
  extra?: ExtraScope;
  /** The journal's schema: its table's owner is the role that ran the migrations. */
  journal?: string;
}

export interface ParsedFile {
  path: string;
  statements: ParsedStatementLike[];
}

/**
 * What verify learns from parsing every migration (engine/verify-analysis.ts), as plain data: it
 * depends only on the files' content and two settings, so it can be cached.
 */
export interface VerifyAnalysis {
  scope: VerifyScope;
  /** definitionSites as entries: catalog key → the file that defines it. */
  sites: [string, string][];
  /** Files the bundled parser could not read (warned about on every run, cached or not). */
  unparsed: { path: string; message: string }[];
}

/** Bumped when the analysis changes for the same files: a cached analysis of another version is not used. */
export const VERIFY_ANALYSIS_VERSION = 2;

type Node = Record<string, unknown>;

export function verifyScope(files: readonly ParsedFile[], configuredSchemas: readonly string[] | undefined, journalSchema: string, supabase = false): VerifyScope {
  const statements = files.flatMap((file) => file.statements);
  const schemas = ownedSchemas(configuredSchemas, statements, supabase).filter((name) => name !== journalSchema);
  const roles = new Set<string>([""]);
  const extensions = new Set<string>();
  for (const { kind, node } of statements) {
    if (kind === "GrantStmt" || kind === "AlterDefaultPrivilegesStmt") {
      const grant = (kind === "GrantStmt" ? node : ((node.action as Node | undefined) ?? {})) as Node;
      for (const grantee of (grant.grantees as Node[] | undefined) ?? []) addRole(roles, grantee);
    }
    if (kind === "CreatePolicyStmt") for (const role of (node.roles as Node[] | undefined) ?? []) addRole(roles, role);
    if (kind === "CreateExtensionStmt") extensions.add(String(node.extname));
  }
  return { schemas, foreign: foreignObjects(statements, schemas), roles: [...roles], extensions: [...extensions], extra: extraScope(statements), journal: journalSchema };
}

function addRole(roles: Set<string>, spec: Node): void {
  const role = (spec.RoleSpec as Node | undefined) ?? spec;
  if (role.roletype === "ROLESPEC_PUBLIC") roles.add("");
  else if (typeof role.rolename === "string") roles.add(role.rolename);
}

/**
 * The file that last defines each object, keyed like catalog keys without arguments
 * (`table public.chats`, `function public.touch`, `index public.chats_owner_idx`).
 */
export function definitionSites(files: readonly ParsedFile[]): Map<string, string> {
  const sites = extraDefinitionSites(files);
  const qualify = (relation: Node | undefined) => (relation ? `${(relation.schemaname as string | undefined) ?? "public"}.${String(relation.relname)}` : "");
  for (const file of files) {
    for (const { kind, node } of file.statements) {
      const names = ((node.funcname ?? node.typeName ?? node.domainname) as Node[] | undefined)?.map?.((part) => String((part.String as Node | undefined)?.sval ?? "")) ?? [];
      const qualifiedName = names.length > 1 ? names.join(".") : `public.${names[0] ?? ""}`;
      const key =
        kind === "CreateStmt" ? `table ${qualify(node.relation as Node)}`
        : kind === "ViewStmt" ? `view ${qualify(node.view as Node)}`
        : kind === "CreateSeqStmt" ? `sequence ${qualify(node.sequence as Node)}`
        : kind === "IndexStmt" ? `index ${((node.relation as Node).schemaname as string | undefined) ?? "public"}.${String(node.idxname)}`
        : kind === "CreateFunctionStmt" ? `function ${qualifiedName}`
        : kind === "CreateTrigStmt" ? `trigger ${qualify(node.relation as Node)}.${String(node.trigname)}`
        : kind === "CreatePolicyStmt" ? `policy ${qualify(node.table as Node)}.${String(node.policy_name)}`
        : kind === "AlterTableStmt" && JSON.stringify(node.cmds ?? []).includes("RowSecurity") ? `rls ${qualify(node.relation as Node)}`
        : kind === "CreateEnumStmt" || kind === "CreateRangeStmt" || kind === "CreateDomainStmt" ? `type ${kind === "CreateDomainStmt" ? (((node.domainname as Node[]).map((p) => String((p.String as Node).sval))).join(".")) : qualifiedName}`
        : undefined;
      if (key) sites.set(key, file.path);
    }
  }
  return sites;
}

/** The file defining a catalog object: its own entry, else the table or function it belongs to. */
export function siteOf(key: string, sites: ReadonlyMap<string, string>): string | undefined {
  if (sites.has(key)) return sites.get(key);
  const extra = extraSiteOf(key, sites);
  if (extra) return extra;
  const [kind, rest = ""] = key.split(/ (.*)/s) as [string, string];
  if (kind === "function" || kind === "procedure") return sites.get(`function ${rest.replace(/\(.*$/s, "")}`);
  if (kind === "column" || kind === "constraint") return sites.get(`table ${rest.split(".").slice(0, 2).join(".")}`);
  if (kind === "rls") return sites.get(`table ${rest}`);
  if (kind === "type" && !rest.includes(".")) return sites.get(`type public.${rest}`);
  return undefined;
}
