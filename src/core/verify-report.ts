/** Turns history problems, catalog differences and seed findings into the sections `verify` prints. */
import type { CatalogCategory, Difference, PropValue } from "./catalog.js";
import type { MigrationPlan } from "./plan.js";
import type { SeedFinding } from "./seed-data.js";
import type { SeedPlan } from "./seed-plan.js";
import { failsOn, type SecurityFinding } from "./security-checks.js";

export type SectionName = "History" | "Schemas" | "Types" | "Tables" | "Views" | "Functions" | "Indexes" | "Triggers" | "RLS Policies" | "Privileges" | "Publications" | "Comments" | "Seed Data" | "Security";

export interface Finding {
  section: SectionName;
  level: "error" | "warning";
  /** `+` extra, `-` missing, `~` changed, `!` other problems. */
  mark: "+" | "-" | "~" | "!";
  object: string;
  message: string;
  expected?: PropValue | unknown;
  actual?: PropValue | unknown;
  definedIn?: string;
  /** Security findings: their stable code, own level and what to do. */
  code?: string;
  severity?: "error" | "warn" | "info";
  hint?: string;
}

export interface Section {
  name: SectionName;
  status: "passed" | "failed" | "warning";
  /** What was checked: `14 tables, 160 columns`. */
  checked: string;
  findings: Finding[];
}

const SECTION_OF: Record<CatalogCategory, SectionName> = {
  schemas: "Schemas",
  extensions: "Schemas",
  types: "Types",
  tables: "Tables",
  columns: "Tables",
  constraints: "Tables",
  sequences: "Tables",
  views: "Views",
  functions: "Functions",
  indexes: "Indexes",
  triggers: "Triggers",
  rls: "RLS Policies",
  policies: "RLS Policies",
  privileges: "Privileges",
  publications: "Publications",
  eventTriggers: "Triggers",
  rules: "Triggers",
  comments: "Comments",
};

export const SECTION_ORDER: SectionName[] = ["History", "Schemas", "Types", "Tables", "Views", "Functions", "Indexes", "Triggers", "RLS Policies", "Privileges", "Publications", "Comments", "Seed Data", "Security"];

export function historyFindings(plan: MigrationPlan, seeds: SeedPlan): Finding[] {
  const findings: Finding[] = [];
  const add = (object: string, message: string) => findings.push({ section: "History", level: "error", mark: "!", object, message });
  for (const entry of plan.entries) {
    if (entry.state === "pending") add(entry.name, "not applied");
    if (entry.state === "changed") add(entry.name, `file changed since it was applied (checksum ${entry.row!.checksum.slice(0, 12)} applied, ${entry.file!.checksum.slice(0, 12)} now)`);
    if (entry.state === "missing") add(entry.name, "recorded as applied, but there is no such file");
    if (entry.state === "failed" || entry.state === "running") add(entry.name, `recorded as ${entry.state}: run dbkit resolve`);
  }
  for (const entry of seeds.entries) {
    if (entry.state === "pending") add(entry.name, "seed never ran");
    if (entry.state === "changed") add(entry.name, entry.once ? "seed (once) changed after it ran" : "seed changed since it last ran");
  }
  return findings;
}

export function catalogFindings(differences: readonly Difference[]): Finding[] {
  return differences.map((d) => {
    const section = SECTION_OF[d.category];
    const where = d.definedIn ? { definedIn: d.definedIn } : {};
    if (d.kind === "missing") return { section, level: "error", mark: "-", object: d.key, message: "missing", ...where };
    if (d.kind === "extra") return { section, level: "error", mark: "+", object: d.key, message: "not created by the migrations" };
    const props = d.props ?? [];
    const first = props[0]!;
    return {
      section,
      level: "error",
      mark: "~",
      object: d.key,
      message: `${props.map((p) => describeProp(p.prop)).join(", ")} differ${props.length === 1 ? "s" : ""}`,
      expected: props.length === 1 ? first.expected : Object.fromEntries(props.map((p) => [p.prop, p.expected])),
      actual: props.length === 1 ? first.actual : Object.fromEntries(props.map((p) => [p.prop, p.actual])),
      ...where,
    } satisfies Finding;
  });
}

export function seedDataFindings(findings: readonly SeedFinding[]): Finding[] {
  return findings.map((f) => {
    const key = "key" in f ? ` ${JSON.stringify(f.key)}` : "";
    if (f.kind === "missing") return { section: "Seed Data", level: "error", mark: "-", object: `row ${f.table}${key}`, message: "missing" };
    if (f.kind === "differs") {
      return {
        section: "Seed Data",
        level: "warning",
        mark: "~",
        object: `row ${f.table}${key}`,
        message: `${f.columns.map((c) => c.column).join(", ")} differ${f.columns.length === 1 ? "s" : ""} (edited in the database?)`,
        expected: Object.fromEntries(f.columns.map((c) => [c.column, c.expected])),
        actual: Object.fromEntries(f.columns.map((c) => [c.column, c.actual])),
      };
    }
    return { section: "Seed Data", level: "warning", mark: "!", object: f.table, message: f.reason };
  });
}

/** Security findings; those at or above `failOn` are errors (they fail verify), the rest warnings. */
export function securityReportFindings(findings: readonly SecurityFinding[], failOn: "warn" | "error", siteOfObject: (key: string) => string | undefined): Finding[] {
  return findings.map((f) => {
    const site = siteOfObject(f.object);
    return {
      section: "Security",
      level: failsOn(f.level, failOn) ? "error" : "warning",
      mark: "!",
      object: f.object,
      message: `${f.code}: ${f.message}`,
      code: f.code,
      severity: f.level,
      hint: f.hint,
      ...(site ? { definedIn: site } : {}),
    };
  });
}

/** Groups findings into sections in a fixed order; `checked` texts come from the caller; sections without a text are left out. */
export function buildSections(findings: readonly Finding[], checked: Partial<Record<SectionName, string>>): Section[] {
  return SECTION_ORDER.filter((name) => checked[name] !== undefined).map((name) => {
    const own = findings.filter((f) => f.section === name);
    const status = own.some((f) => f.level === "error") ? "failed" : own.length > 0 ? "warning" : "passed";
    return { name, status, checked: checked[name] ?? "", findings: own };
  });
}

function describeProp(prop: string): string {
  return { body: "body", definition: "definition", default: "default", notnull: "nullability", enabled: "enabled state", using: "USING", withCheck: "WITH CHECK", securityDefiner: "SECURITY DEFINER", config: "settings (search_path)", privileges: "privileges", valid: "validity", ...EXTRA_PROPS }[prop] ?? prop;
}

/** How the properties of the kinds compared since #15 read in a finding. */
const EXTRA_PROPS: Record<string, string> = {
  options: "options",
  replicaIdentity: "replica identity",
  partitionOf: "partition parent",
  partitionBound: "partition bound",
  partitionKey: "partition key",
  inherits: "inheritance parents",
  owner: "owner",
  collation: "collation",
  ownedBy: "OWNED BY",
  version: "version",
  text: "text",
  tags: "tags",
  function: "function",
  event: "event",
  columns: "column list",
  rowFilter: "row filter",
};
