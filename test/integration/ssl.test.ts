/** SSL against a server that requires it: an embedded Postgres with a certificate made for the test. */
import { execFileSync } from "node:child_process";
import { chmod, chown, copyFile, mkdtemp, rm, stat, writeFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmbeddedServer, type EmbeddedServer } from "../../src/local/embedded-server.js";
import { createProject, runCli } from "../support/project.js";

const openssl = (args: string[], cwd: string) => execFileSync("openssl", args, { cwd, stdio: "ignore" });
const hasOpenssl = (() => {
  try {
    execFileSync("openssl", ["version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
})();

describe.skipIf(!hasOpenssl)("SSL", () => {
  let dir: string;
  let server: EmbeddedServer;
  let ca: string;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "dbkit-ssl-"));
    await chmod(dir, 0o755);
    const certs = path.join(dir, "certs");
    execFileSync("mkdir", ["-p", certs]);
    openssl(["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.crt", "-days", "2", "-subj", "/CN=dbkit test CA"], certs);
    openssl(["req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=localhost"], certs);
    await writeFile(path.join(certs, "san.ext"), "subjectAltName=DNS:localhost,IP:127.0.0.1\n");
    openssl(["x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial", "-out", "server.crt", "-days", "2", "-extfile", "san.ext"], certs);
    ca = path.join(certs, "ca.crt");
    // First start creates the cluster; then it gets the certificate and an SSL-only pg_hba.conf.
    const first = await startEmbeddedServer({ dir, fast: true });
    await first.stop();
    const data = path.join(dir, "data");
    const owner = await stat(data);
    for (const file of ["server.crt", "server.key"]) {
      await copyFile(path.join(certs, file), path.join(data, file));
      await chown(path.join(data, file), owner.uid, owner.gid);
      await chmod(path.join(data, file), 0o600);
    }
    await writeFile(path.join(data, "pg_hba.conf"), "hostssl all all 127.0.0.1/32 scram-sha-256\nhostnossl all all 0.0.0.0/0 reject\n");
    server = await startEmbeddedServer({ dir, fast: true, settings: ["-c ssl=on", "-c ssl_cert_file=server.crt", "-c ssl_key_file=server.key"] });
  }, 120_000);

  afterAll(async () => {
    await server?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  const status = async (url: string) => runCli(["status", "--json"], { cwd: await createProject({}), env: { DATABASE_URL: url } });
  const withParams = (params: string, host = "127.0.0.1") => server.url().replace("127.0.0.1", host) + params;

  it("says the server requires SSL when sslmode=disable (exit 3)", async () => {
    const result = await status(withParams("?sslmode=disable"));
    expect(result.code).toBe(3);
    expect(JSON.parse(result.stdout).error).toMatchObject({ code: "DBKIT_SSL_REQUIRED", message: expect.stringContaining("requires SSL") });
    expect(result.stdout + result.stderr).not.toContain(server.password);
  });

  it("uses SSL by default on this machine (prefer) and with sslmode=require", async () => {
    expect((await status(withParams(""))).code).toBe(0);
    expect((await status(withParams("?sslmode=require"))).code).toBe(0);
  });

  it("refuses a certificate it cannot verify with verify-full, and accepts it given the CA", async () => {
    const unverified = await status(withParams("?sslmode=verify-full"));
    expect(unverified.code).toBe(3);
    expect(JSON.parse(unverified.stdout).error.code).toBe("DBKIT_SSL_UNVERIFIED");
    expect(existsSync(ca)).toBe(true);
    const verified = await status(withParams(`?sslmode=verify-full&sslrootcert=${encodeURIComponent(ca)}`, "localhost"));
    expect(verified.code, verified.stdout).toBe(0);
    const byEnv = await runCli(["status"], { cwd: await createProject({}), env: { DATABASE_URL: server.url().replace("127.0.0.1", "localhost"), PGSSLROOTCERT: ca } });
    expect(byEnv.code, byEnv.stderr).toBe(0);
  });
});
