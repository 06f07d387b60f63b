/**
 * What a pending migration's statement really did to the relations that existed before this
 * deploy, measured in a scratch database: the snapshots taken after each statement and the
 * difference between two of them. Pure: the snapshots are read by db/lint-probe.ts.
 */

/** The state of the pre-existing relations, read from the statement's own backend. */
export interface LintSnapshot {
  /** Pre-existing tables and indexes still present: oid → name, kind (pg_class.relkind), relfilenode. */
  relations: Map<number, { name: string; kind: string; node: number }>;
  /** Columns of pre-existing tables: `${table}:${attnum}`. */
  columns: Map<string, { name: string; notNull: boolean; dropped: boolean; hasDefault?: boolean }>;
  /** Constraints on pre-existing tables: oid → table, name, type (pg_constraint.contype), validated, definition. */
  constraints: Map<number, { table: number; name: string; type: string; validated: boolean; definition: string; index: number }>;
  /** Indexes on pre-existing tables (new ones too): index oid → table oid. */
  indexes: Map<number, number>;
  /** Locks held on pre-existing relations: `${oid}:${mode}`. */
  locks: Set<string>;
  /** Values of pre-existing enum types: pg_enum oid → type and label. */
  enumLabels?: Map<number, { type: string; label: string }>;
  /** Every table an ALTER TABLE has named so far in the session, in order (an event trigger notes them). */
  altered?: string[];
}

/** What one statement did to pre-existing relations. */
export interface StatementFacts {
  /** Locks it took that were not held before it, on pre-existing relations. */
  locks: { relation: string; kind: string; mode: string }[];
  /** Pre-existing tables whose storage was rewritten (relfilenode changed). */
  rewritten: string[];
  /** Constraints added to pre-existing tables already validated, and whether their index is new. */
  validated: { table: string; name: string; type: string; newIndex: boolean }[];
  /** Indexes created on pre-existing tables that no constraint added in the same statement owns. */
  newIndexes: { table: string; index: number }[];
  /** Pre-existing indexes dropped while their table stays. */
  droppedIndexes: { index: string; table: string | undefined }[];
  /** Columns of pre-existing tables that became NOT NULL without a validated CHECK (col IS NOT NULL). */
  setNotNull: { table: string; column: string }[];
  droppedTables: string[];
  renamedTables: { from: string; to: string }[];
  droppedColumns: { table: string; column: string }[];
  renamedColumns: { table: string; from: string; to: string }[];
  /** Columns added to pre-existing tables NOT NULL with nothing to fill existing rows (no default, no identity). */
  requiredColumns: { table: string; column: string }[];
  /** Values of pre-existing enum types renamed (ALTER TYPE ... RENAME VALUE). */
  renamedEnumValues: { type: string; from: string; to: string }[];
  /** Tables an ALTER TABLE named during the statement: at top level, in a DO block or a function it called. */
  altered: string[];
}

/** Lock modes that block writes: a scan under one of them stalls the application. */
const HEAVY = new Set(["ShareLock", "ShareRowExclusiveLock", "ExclusiveLock", "AccessExclusiveLock"]);

/** What changed between the snapshot before a statement and the one after it. */
export function diffSnapshots(before: LintSnapshot, after: LintSnapshot): StatementFacts {
  const name = (oid: number) => after.relations.get(oid)?.name ?? before.relations.get(oid)?.name ?? `oid ${oid}`;
  const facts: StatementFacts = { locks: [], rewritten: [], validated: [], newIndexes: [], droppedIndexes: [], setNotNull: [], droppedTables: [], renamedTables: [], droppedColumns: [], renamedColumns: [], requiredColumns: [], renamedEnumValues: [], altered: (after.altered ?? []).slice(before.altered?.length ?? 0) };
  for (const lock of after.locks) {
    if (before.locks.has(lock)) continue;
    const [oid, mode] = lock.split(":") as [string, string];
    const relation = after.relations.get(Number(oid)) ?? before.relations.get(Number(oid));
    if (relation) facts.locks.push({ relation: relation.name, kind: relation.kind, mode });
  }
  const droppedTableOids = new Set<number>();
  for (const [oid, was] of before.relations) {
    const now = after.relations.get(oid);
    const isTable = was.kind === "r" || was.kind === "p" || was.kind === "m";
    if (!now) {
      if (isTable) {
        droppedTableOids.add(oid);
        facts.droppedTables.push(was.name);
      }
      continue;
    }
    if (isTable && now.name !== was.name) facts.renamedTables.push({ from: was.name, to: now.name });
    if (isTable && was.kind !== "p" && now.node !== was.node) facts.rewritten.push(now.name);
  }
  for (const [index, table] of before.indexes) {
    if (after.indexes.has(index) || droppedTableOids.has(table) || !after.relations.has(table)) continue;
    // An index that a dropped constraint owned goes with the constraint: that is the constraint's drop.
    const owned = [...before.constraints.values()].some((c) => c.index === index);
    if (!owned) facts.droppedIndexes.push({ index: before.relations.get(index)?.name ?? `oid ${index}`, table: name(table) });
  }
  const newConstraints = [...after.constraints].filter(([oid]) => !before.constraints.has(oid)).map(([, c]) => c);
  for (const [index, table] of after.indexes) {
    if (before.indexes.has(index)) continue;
    if (newConstraints.some((c) => c.index === index)) continue;
    facts.newIndexes.push({ table: name(table), index });
  }
  for (const c of newConstraints) {
    if (!c.validated || !["f", "c", "u", "p", "x"].includes(c.type)) continue;
    facts.validated.push({ table: name(c.table), name: c.name, type: c.type, newIndex: c.index !== 0 && !before.indexes.has(c.index) });
  }
  // VALIDATE CONSTRAINT itself lets writes through, unless the transaction already holds a stronger lock (the ADD ... NOT VALID).
  for (const [oid, c] of after.constraints) {
    const was = before.constraints.get(oid);
    if (!was || was.validated || !c.validated) continue;
    if ([...HEAVY].some((mode) => after.locks.has(`${c.table}:${mode}`))) facts.validated.push({ table: name(c.table), name: c.name, type: c.type, newIndex: false });
  }
  for (const [key, was] of before.columns) {
    const table = Number(key.split(":")[0]);
    if (droppedTableOids.has(table)) continue;
    const now = after.columns.get(key);
    if (!now) continue;
    if (now.dropped && !was.dropped) facts.droppedColumns.push({ table: name(table), column: was.name });
    else if (!now.dropped && now.name !== was.name) facts.renamedColumns.push({ table: name(table), from: was.name, to: now.name });
    else if (!now.dropped && now.notNull && !was.notNull && !hasNotNullCheck(before, table, was.name)) facts.setNotNull.push({ table: name(table), column: now.name });
  }
  for (const [key, now] of after.columns) {
    if (before.columns.has(key) || now.dropped || !now.notNull || now.hasDefault !== false) continue;
    facts.requiredColumns.push({ table: name(Number(key.split(":")[0])), column: now.name });
  }
  for (const [oid, was] of before.enumLabels ?? []) {
    const now = after.enumLabels?.get(oid);
    if (now && now.label !== was.label) facts.renamedEnumValues.push({ type: was.type, from: was.label, to: now.label });
  }
  return facts;
}

/** Postgres 12+ skips SET NOT NULL's scan when a validated CHECK (col IS NOT NULL) proves it. */
function hasNotNullCheck(snapshot: LintSnapshot, table: number, column: string): boolean {
  const quoted = /^[a-z_][a-z0-9_$]*$/.test(column) ? column : `"${column.replace(/"/g, '""')}"`;
  return [...snapshot.constraints.values()].some((c) => c.table === table && c.type === "c" && c.validated && c.definition === `CHECK ((${quoted} IS NOT NULL))`);
}
