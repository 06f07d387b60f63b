/**
 * A PgBouncer (transaction mode unless asked otherwise) in front of the test server, when the machine has one
 * (Debian: apt install pgbouncer). npm has no PgBouncer, so tests that need it skip without it.
 */
import { execFileSync, spawn } from "node:child_process";
import { chmod, mkdtemp, rm, writeFile } from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { onTestFinished } from "vitest";
import { freePort } from "../../src/local/embedded-server.js";

const BINARY = ["/usr/sbin/pgbouncer", "/usr/bin/pgbouncer", "/usr/local/bin/pgbouncer"].find((candidate) => {
  try {
    execFileSync(candidate, ["--version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
});

export const hasPgbouncer = BINARY !== undefined;

export interface PgbouncerOptions {
  /** transaction (the default) or session. */
  poolMode?: "transaction" | "session";
  /** Server connections per database and user (default 2). */
  poolSize?: number;
}

/** Starts PgBouncer (by default pool_mode = transaction, two server connections) and returns `url` through it. */
export async function throughPgbouncer(url: string, options: PgbouncerOptions = {}): Promise<string> {
  const target = new URL(url);
  const dir = await mkdtemp(path.join(os.tmpdir(), "dbkit-pgbouncer-"));
  await chmod(dir, 0o755); // PgBouncer refuses to run as root; as root it runs as nobody
  onTestFinished(() => rm(dir, { recursive: true, force: true }));
  const port = await freePort();
  const user = decodeURIComponent(target.username);
  await writeFile(path.join(dir, "users.txt"), `"${user}" "${decodeURIComponent(target.password)}"\n`, { mode: 0o644 });
  await writeFile(
    path.join(dir, "pgbouncer.ini"),
    [
      "[databases]",
      `* = host=${target.hostname} port=${target.port || 5432}`,
      "[pgbouncer]",
      "listen_addr = 127.0.0.1",
      `listen_port = ${port}`,
      "unix_socket_dir =",
      // trust between client and PgBouncer; PgBouncer logs in to the server with the auth_file's password.
      "auth_type = trust",
      `auth_file = ${path.join(dir, "users.txt")}`,
      `pool_mode = ${options.poolMode ?? "transaction"}`,
      `default_pool_size = ${options.poolSize ?? 2}`,
      "max_client_conn = 50",
    ].join("\n") + "\n",
    { mode: 0o644 },
  );
  const args = [...(process.getuid?.() === 0 ? ["-u", "nobody"] : []), path.join(dir, "pgbouncer.ini")];
  // It logs to stderr: kept to explain a failed start.
  const child = spawn(BINARY!, args, { stdio: ["ignore", "ignore", "pipe"] });
  let log = "";
  child.stderr!.on("data", (chunk) => (log = (log + chunk).slice(-2000)));
  onTestFinished(() => {
    child.kill("SIGTERM");
  });
  await waitForPort(port, child, () => log);
  const pooled = new URL(url);
  pooled.hostname = "127.0.0.1";
  pooled.port = String(port);
  return pooled.toString();
}

async function waitForPort(port: number, child: ReturnType<typeof spawn>, log: () => string): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt++) {
    if (child.exitCode !== null) throw new Error(`pgbouncer exited with ${child.exitCode}: ${log()}`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, "127.0.0.1", () => {
        socket.destroy();
        resolve(true);
      });
      socket.on("error", () => resolve(false));
    });
    if (open) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`pgbouncer did not listen on port ${port}: ${log()}`);
}
