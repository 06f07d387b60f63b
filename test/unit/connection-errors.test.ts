import { describe, expect, it } from "vitest";
import { connectionErrorFor } from "../../src/db/connection-errors.js";

const target = (host: string) => ({ host, port: 5432, database: "postgres", user: "postgres" });

describe("connection errors", () => {
  it("explains an unreachable IPv6-only Supabase direct host and offers the session pooler", () => {
    const error = connectionErrorFor({ code: "ENETUNREACH", message: "connect ENETUNREACH 2a05:d014:1c06:5f01:2b5a:1f7e:9c1a:b2a1:5432" }, target("db.abcdefghijklmnopqrst.supabase.co"));
    expect(error).toMatchObject({ code: "DBKIT_NETWORK_UNREACHABLE", exitCode: 3 });
    expect(error?.message).toContain("over IPv6");
    expect(error?.hint).toContain("postgres://postgres.abcdefghijklmnopqrst:<password>@aws-0-<region>.pooler.supabase.com:5432/postgres");
  });

  it("maps server refusals by SQLSTATE", () => {
    expect(connectionErrorFor({ code: "28000", message: 'no pg_hba.conf entry for host "1.2.3.4", user "u", database "d", no encryption' }, target("h"))).toMatchObject({ code: "DBKIT_SSL_REQUIRED" });
    expect(connectionErrorFor({ code: "57P03", message: "the database system is starting up" }, target("h"))).toMatchObject({ code: "DBKIT_SERVER_STARTING", exitCode: 3 });
    expect(connectionErrorFor({ code: "SELF_SIGNED_CERT_IN_CHAIN", message: "self-signed certificate in certificate chain" }, target("h"))).toMatchObject({ code: "DBKIT_SSL_UNVERIFIED" });
    expect(connectionErrorFor({ code: "42P01", message: "relation does not exist" }, target("h"))).toBeUndefined();
  });
});
