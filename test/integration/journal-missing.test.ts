/**
 * A run that finds no journal (a fresh database, or runners waiting for the first to create it)
 * raises at most one server error, so concurrent runners leave at most one ERROR line each in
 * the server's log. Counted by the database's rolled-back transactions, flushed on the same
 * connection (a failed statement outside a transaction is one rollback).
 */
import { afterEach, expect, it } from "vitest";
import { openConnection } from "../../src/db/connect.js";
import { openDatabase, type Database } from "../../src/db/database.js";
import { createTestDatabase } from "../support/databases.js";

let db: Database | undefined;
afterEach(async () => {
  await db?.close();
  db = undefined;
});

async function rollbacks(database: Database): Promise<number> {
  const sql = database.session.sql;
  await sql.unsafe("select pg_stat_force_next_flush()");
  await sql.unsafe("select 1");
  const [row] = await sql.unsafe<{ n: string }[]>("select pg_stat_clear_snapshot(), xact_rollback::text as n from pg_stat_database where datname = current_database()");
  return Number(row!.n);
}

it("reads a missing journal with one server error per run, however often it is read", async () => {
  const target = await createTestDatabase();
  db = openDatabase(await openConnection({ url: target.url, applicationName: "dbkit-test" }), "dbkit", false);
  const before = await rollbacks(db);
  for (let read = 0; read < 3; read++) expect(await db.journal.readJournal()).toBeUndefined();
  expect((await rollbacks(db)) - before).toBe(1);
  await db.journal.ensureJournal();
  expect(await db.journal.readJournal()).toEqual([]);
  expect((await rollbacks(db)) - before).toBe(1);
});
