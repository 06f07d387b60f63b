/** A fresh database per test, dropped afterwards. */
import { randomBytes } from "node:crypto";
import postgres from "postgres";
import { inject, onTestFinished } from "vitest";

export interface TestDatabase {
  name: string;
  url: string;
  /** A connection for assertions (closed after the test). */
  sql: postgres.Sql;
}

export function serverUrl(): string {
  return inject("serverUrl");
}

export function urlForDatabase(name: string, base = serverUrl()): string {
  const url = new URL(base);
  url.pathname = `/${name}`;
  return url.toString();
}

/** `base`: another server's URL (a server of another major) instead of the run's own. */
export async function createTestDatabase(base = serverUrl()): Promise<TestDatabase> {
  const name = `dbkit_test_${randomBytes(6).toString("hex")}`;
  const admin = postgres(base, { max: 1, onnotice: () => undefined });
  await admin.unsafe(`create database ${name}`);
  await admin.end();
  const url = urlForDatabase(name, base);
  const sql = postgres(url, { max: 2, onnotice: () => undefined });
  onTestFinished(async () => {
    await sql.end({ timeout: 1 });
    const cleanup = postgres(base, { max: 1, onnotice: () => undefined });
    await cleanup.unsafe(`drop database if exists ${name} with (force)`);
    await cleanup.end();
  });
  return { name, url, sql };
}
