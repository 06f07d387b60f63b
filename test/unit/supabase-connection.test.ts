import { describe, expect, it } from "vitest";
import { parseConnectionUrl, type ConnectionUrl } from "../../src/core/connection-url.js";
import { directHostRef, isSupabaseHost, isTransactionPooler, poolerUserProblem } from "../../src/core/supabase-connection.js";

const url = (text: string): ConnectionUrl => {
  const parsed = parseConnectionUrl(text);
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.url;
};

describe("Supabase connection strings", () => {
  it("recognises the transaction pooler by port 6543 on the pooler host, or pgbouncer=true", () => {
    expect(isTransactionPooler(url("postgres://postgres.abcdefghijklmnopqrst:pw@aws-0-eu-central-1.pooler.supabase.com:6543/postgres"))).toBe(true);
    expect(isTransactionPooler(url("postgres://postgres.abcdefghijklmnopqrst:pw@aws-0-eu-central-1.pooler.supabase.com:5432/postgres"))).toBe(false);
    expect(isTransactionPooler(url("postgres://u:pw@localhost:6432/db?pgbouncer=true"))).toBe(true);
    expect(isTransactionPooler(url("postgres://u:pw@db.example.com:6543/db"))).toBe(false);
  });

  it("checks that pooler users name the project", () => {
    expect(poolerUserProblem(url("postgres://postgres:pw@aws-0-us-east-1.pooler.supabase.com:5432/postgres"))).toMatch(/postgres\.<project-ref>/);
    expect(poolerUserProblem(url("postgres://postgres.abcdefghijklmnopqrst:pw@aws-0-us-east-1.pooler.supabase.com:5432/postgres"))).toBeUndefined();
    expect(poolerUserProblem(url("postgres://postgres:pw@db.abcdefghijklmnopqrst.supabase.co:5432/postgres"))).toBeUndefined();
  });

  it("knows Supabase hosts and the project ref of a direct host", () => {
    expect(isSupabaseHost("db.abcdefghijklmnopqrst.supabase.co")).toBe(true);
    expect(isSupabaseHost("aws-0-eu-central-1.pooler.supabase.com")).toBe(true);
    expect(isSupabaseHost("example.com")).toBe(false);
    expect(directHostRef("db.abcdefghijklmnopqrst.supabase.co")).toBe("abcdefghijklmnopqrst");
  });
});
