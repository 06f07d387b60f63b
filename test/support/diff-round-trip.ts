/**
 * The diff round trip for integration tests: build state A and state B from SQL in two fresh
 * databases, read both as SchemaModels (scope computed over both texts, as verify does), plan
 * the diff, apply the statements on A (transaction-phase statements in one transaction, then the
 * no-transaction ones one by one), read A again, and compare with verify's comparer.
 *
 *   const trip = await diffRoundTrip("create table t (a int);", "create table t (a int, b text);");
 *   expect(trip.differences).toEqual([]);
 */
import { diffCatalogs, type Difference } from "../../src/core/catalog.js";
import { planDiff } from "../../src/core/diff/plan.js";
import type { DiffOptions, DiffPlan, Differs, SchemaModel } from "../../src/core/diff/types.js";
import { verifyScope, type VerifyScope } from "../../src/core/verify-scope.js";
import { readSchemaModel } from "../../src/db/diff-reader.js";
import { createTestDatabase, type TestDatabase } from "./databases.js";
import { statements } from "./parse.js";

export interface DiffRoundTrip {
  plan: DiffPlan;
  from: SchemaModel;
  to: SchemaModel;
  /** A after the plan's statements ran. */
  applied: SchemaModel;
  /** diffCatalogs(to, applied): empty when the plan is exact. */
  differences: Difference[];
  /** The plan's statements as one text, for failure messages. */
  sql: string;
  databases: { from: TestDatabase; to: TestDatabase };
  scope: VerifyScope;
}

export interface DiffRoundTripOptions extends Partial<DiffOptions> {
  /** Differs to plan with instead of the registry (a unit under test). */
  differs?: Differs;
  /** Run the refused statements too (as if allowDrop), e.g. to check their SQL; default false. */
  applyRefused?: boolean;
  /** Build both states on this server (another major) instead of the run's own. */
  serverUrl?: string;
}

/** Defaults: allowDrop true (drops are part of what a kind's round trip proves), no renames, online true. */
export async function diffRoundTrip(fromSql: string, toSql: string, options: DiffRoundTripOptions = {}): Promise<DiffRoundTrip> {
  const [from, to] = [await createTestDatabase(options.serverUrl), await createTestDatabase(options.serverUrl)];
  if (fromSql.trim()) await from.sql.unsafe(fromSql).simple();
  if (toSql.trim()) await to.sql.unsafe(toSql).simple();
  const scope = verifyScope(
    [
      { path: "from.sql", statements: await statements(fromSql) },
      { path: "to.sql", statements: await statements(toSql) },
    ],
    undefined,
    "dbkit",
  );
  const fromModel = await readSchemaModel(from.sql, scope);
  const toModel = await readSchemaModel(to.sql, scope);
  const { differs, applyRefused, serverUrl: _server, ...rest } = options;
  const plan = planDiff(fromModel, toModel, { allowDrop: true, renames: [], online: true, ...rest }, differs);
  const run = [...plan.statements, ...(applyRefused ? plan.refusedDrops : [])];
  const sql = run.map((s) => (s.phase === "no-transaction" ? `-- no-transaction\n${s.sql}` : s.sql)).join("\n");
  const inTransaction = run.filter((s) => s.phase === "transaction");
  try {
    if (inTransaction.length > 0) await from.sql.begin((tx) => tx.unsafe(inTransaction.map((s) => s.sql).join("\n")).simple());
    for (const statement of run.filter((s) => s.phase === "no-transaction")) await from.sql.unsafe(statement.sql).simple();
  } catch (error) {
    throw new Error(`the planned statements failed: ${(error as Error).message}\n${sql}`);
  }
  const applied = await readSchemaModel(from.sql, scope);
  return { plan, from: fromModel, to: toModel, applied, differences: diffCatalogs(toModel.catalog, applied.catalog), sql, databases: { from, to }, scope };
}
