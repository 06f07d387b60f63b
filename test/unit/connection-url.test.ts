import { describe, expect, it } from "vitest";
import { describeTarget, isLocalHost, parseConnectionUrl, redact, secretsOfUrl } from "../../src/core/connection-url.js";

describe("connection URLs", () => {
  it("parses the usual form", () => {
    expect(parseConnectionUrl("postgres://app:secret@db.example.com:6543/main?sslmode=require")).toEqual({
      ok: true,
      url: { user: "app", password: "secret", host: "db.example.com", port: 6543, database: "main", params: { sslmode: "require" } },
    });
  });

  it("decodes percent-encoded passwords and keeps unencoded special characters", () => {
    expect(parseConnectionUrl("postgresql://u:p%40ss%23w0rd@h/d")).toMatchObject({ ok: true, url: { password: "p@ss#w0rd", host: "h", database: "d" } });
    expect(parseConnectionUrl("postgres://u:p@ss#w:rd@h:5433/d")).toMatchObject({ ok: true, url: { password: "p@ss#w:rd", host: "h", port: 5433 } });
    expect(parseConnectionUrl("postgres://u:100%@h/d")).toMatchObject({ ok: true, url: { password: "100%" } });
  });

  it("defaults the port, database and host", () => {
    expect(parseConnectionUrl("postgres://u@h")).toMatchObject({ ok: true, url: { port: 5432, database: "u", host: "h" } });
    expect(parseConnectionUrl("postgres:///d?host=/var/run/postgresql")).toMatchObject({ ok: true, url: { host: "/var/run/postgresql", database: "d" } });
  });

  it("accepts IPv6 hosts", () => {
    expect(parseConnectionUrl("postgres://u:p@[::1]:5432/d")).toMatchObject({ ok: true, url: { host: "::1", port: 5432 } });
  });

  it("rejects malformed URLs with a reason", () => {
    expect(parseConnectionUrl("mysql://u@h/d")).toMatchObject({ ok: false });
    expect(parseConnectionUrl("localhost:5432/d")).toMatchObject({ ok: false });
    expect(parseConnectionUrl("postgres://u@h:99999/d")).toMatchObject({ ok: false, reason: expect.stringContaining("port") });
    expect(parseConnectionUrl("postgres://u@h:abc/d")).toMatchObject({ ok: false });
  });

  it("redacts passwords as typed and as encoded, and any URL user-info", () => {
    const url = "postgres://u:p%40ss@h/d";
    const secrets = secretsOfUrl(url);
    expect(secrets).toEqual(expect.arrayContaining(["p%40ss", "p@ss"]));
    expect(redact(`failed for ${url} with p@ss`, secrets)).toBe("failed for postgres://u:****@h/d with ****");
    expect(redact("see postgresql://x:hunter2@host/db")).toBe("see postgresql://x:****@host/db");
  });

  it("masks very short passwords only inside URLs, so ordinary text stays readable", () => {
    expect(redact("applied 3 migrations to postgres://u:p@h/d", ["p"])).toBe("applied 3 migrations to postgres://u:****@h/d");
  });

  it("describes a target without its password", () => {
    const parsed = parseConnectionUrl("postgres://app:secret@db:5432/main");
    expect(parsed.ok && describeTarget(parsed.url)).toBe("db:5432/main as app");
  });

  it("knows local hosts", () => {
    expect(["localhost", "127.0.0.1", "::1", "/tmp"].every(isLocalHost)).toBe(true);
    expect(isLocalHost("db.example.com")).toBe(false);
  });

  it("takes only loopback addresses as local, not names that start with 127.", () => {
    expect(["127.0.0.2", "127.255.255.254", "::ffff:127.0.0.1"].every(isLocalHost)).toBe(true);
    expect(isLocalHost("127.prod-db.invalid")).toBe(false);
    expect(isLocalHost("127.0.0.1.nip.io")).toBe(false);
    expect(isLocalHost("127.0.0.256")).toBe(false);
  });

  it("an unencoded @ in ?password= stays in the password; the host is the host", () => {
    const parsed = parseConnectionUrl("postgres://app@db.example.com:5433/main?password=S3cr3t!P@ss&sslmode=require");
    expect(parsed).toMatchObject({ ok: true, url: { user: "app", host: "db.example.com", port: 5433, database: "main", password: "S3cr3t!P@ss" } });
    expect(parseConnectionUrl("postgres://db.example.com/main?user=app&password=p@ss")).toMatchObject({ ok: true, url: { user: "app", host: "db.example.com", password: "p@ss" } });
    expect(secretsOfUrl("postgres://app@db.example.com/main?password=S3cr3t!P@ss")).toContain("S3cr3t!P@ss");
    // A password with an unencoded ? and @ in the user info still parses as before.
    expect(parseConnectionUrl("postgres://u:pa?ss@h/d")).toMatchObject({ ok: true, url: { user: "u", password: "pa?ss", host: "h" } });
  });
});
