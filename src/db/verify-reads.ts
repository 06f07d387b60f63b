/** The CatalogReader port on Postgres: what verify reads, each read in a read-only transaction. */
import type { VerifyScope } from "../core/verify-scope.js";
import type { CatalogReader, ExpectedState, TargetState } from "../engine/ports.js";
import { readTargetFacts } from "./build-context.js";
import { readCatalog } from "./catalog-reader.js";
import { findHistoryTables } from "./history-tables.js";
import type { PostgresJournal } from "./journal.js";
import { readSecurityFacts } from "./security-facts.js";
import { readExpectedRows, readLiveRows, readRowSecurityHidden } from "./seed-rows.js";
import type { Session } from "./session.js";

/** One snapshot for every read, and READ ONLY: verify must never write to production. */
const READ_ONLY_SNAPSHOT = "isolation level repeatable read read only";

export function postgresCatalogReader(session: Session, journal: PostgresJournal): CatalogReader {
  return {
    readExpected: (scope: VerifyScope): Promise<ExpectedState> =>
      session.run(async () => {
        const catalog = await readCatalog(session.sql, scope);
        const { tables, findings } = await readExpectedRows(session.sql, scope.schemas);
        return { catalog, seedTables: tables, seedFindings: findings };
      }),
    readTarget: (scope, expected, security): Promise<TargetState> =>
      session.run(() =>
        session.transaction(READ_ONLY_SNAPSHOT, async (tx) => ({
          journal: await journal.readIn(tx),
          catalog: await readCatalog(tx, scope),
          liveRows: await readLiveRows(tx, expected.seedTables),
          hiddenByRowSecurity: await readRowSecurityHidden(tx, expected.seedTables),
          otherToolTables: await findHistoryTables(tx),
          ...(security ? { security: await readSecurityFacts(tx, security.exposedSchemas, session.journalSchema) } : {}),
        })),
      ),
    readTargetFacts: () => session.run(() => readTargetFacts(session.sql)),
    readSecurity: (exposedSchemas) => session.run(() => session.transaction(READ_ONLY_SNAPSHOT, (tx) => readSecurityFacts(tx, exposedSchemas, session.journalSchema))),
  };
}
