/** Opening a connection. With db/journal.ts and db/apply.ts, the only importers of 'postgres'. */
import { readFileSync } from "node:fs";
import postgres from "postgres";
import { isLocalHost, parseConnectionUrl, type ConnectionUrl } from "../core/connection-url.js";
import { ConfigError, UsageError } from "../errors.js";
import { connectionErrorFor, type ConnectTarget } from "./connection-errors.js";

export type Sql = postgres.Sql;

export interface Notice {
  severity: string;
  message: string;
}

export interface OpenOptions {
  url: string;
  onNotice?: (notice: Notice) => void;
  /** Seconds to wait for a TCP connection and the server's greeting. */
  connectTimeout?: number;
  applicationName?: string;
  /** Keep retrying the first connection for this many seconds (CI jobs that start before the database). */
  waitSeconds?: number;
  onRetry?: (message: string) => void;
  /** Told the text of every query sent (for --verbose). */
  onQuery?: (sql: string) => void;
  /** CA file from PGSSLROOTCERT, used like sslrootcert in the URL. */
  sslRootCert?: string;
}

/** Failures that a database still starting up (or a network still coming up) produces. */
const RETRYABLE = new Set(["DBKIT_CONNECTION_REFUSED", "DBKIT_CONNECT_TIMEOUT", "DBKIT_UNKNOWN_HOST", "DBKIT_NETWORK_UNREACHABLE", "DBKIT_CONNECTION_LOST", "DBKIT_SERVER_STARTING", "DBKIT_TOO_MANY_CONNECTIONS"]);

/** openConnection, retried with backoff on the failures a starting database gives, for `waitSeconds`. */
export async function connectWithWait(options: OpenOptions): Promise<Connection> {
  const deadline = Date.now() + (options.waitSeconds ?? 0) * 1000;
  for (let attempt = 0; ; attempt++) {
    try {
      return await openConnection(options);
    } catch (error) {
      const code = (error as { code?: string }).code ?? "";
      const delay = Math.min(250 * 2 ** attempt, 5000);
      if (!RETRYABLE.has(code) || Date.now() + delay > deadline) throw error;
      options.onRetry?.(`${(error as Error).message}; retrying in ${(delay / 1000).toFixed(1)}s (--wait)`);
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}

export interface Connection {
  sql: Sql;
  target: ConnectTarget;
  /** The server process of this connection (for finding who blocks it). */
  backendPid: number;
  /**
   * A pooler (PgBouncer, Supavisor, ...) sits between dbkit and the server: its cancel key names
   * no server process. Then this connection may not keep one server session (transaction
   * pooling): session locks and backendPid cannot be relied on.
   */
  pooled: boolean;
  /** Opens another connection with the same settings (the lock monitor's). */
  another(applicationName: string): Sql;
}

const SSL_MODES = ["disable", "allow", "prefer", "require", "verify-ca", "verify-full"] as const;
type SslMode = (typeof SSL_MODES)[number];

/** Parses the URL, opens a single connection and checks it with a first query. */
export async function openConnection(options: OpenOptions): Promise<Connection> {
  const parsed = parseConnectionUrl(options.url);
  if (!parsed.ok) {
    throw new UsageError("DBKIT_INVALID_URL", `the database URL is not valid: ${parsed.reason}`, {
      hint: "use postgres://user:password@host:5432/database (percent-encode special characters in the password)",
    });
  }
  const url = parsed.url;
  const target: ConnectTarget = { host: url.host, port: url.port, database: url.database, user: url.user };
  const options_ = (applicationName: string): postgres.Options<Record<string, postgres.PostgresType>> => ({
    ...(url.host.startsWith("/") ? { path: `${url.host}/.s.PGSQL.${url.port}` } : { host: url.host }),
    port: url.port,
    database: url.database,
    ...(url.user === undefined ? {} : { username: url.user }),
    ...(url.password === undefined ? {} : { password: url.password }),
    ssl: sslOption(url, options.sslRootCert),
    // One connection: session state (advisory locks, SET) must stay on it, and CI jobs should
    // not eat a pooler's slots.
    max: 1,
    // No prepared statements: they break behind transaction poolers.
    prepare: false,
    fetch_types: false,
    // libpq's connect_timeout URL parameter is honoured; the default is 10 seconds.
    connect_timeout: options.connectTimeout ?? (Number(url.params.connect_timeout) > 0 ? Number(url.params.connect_timeout) : 10),
    idle_timeout: 0,
    // TCP keepalive probes after 10 s of silence (libuv then probes every second, 10 times): a
    // peer that vanished is noticed in about 20 s instead of the system's two hours.
    keep_alive: 10,
    max_lifetime: null,
    onnotice: (notice) => options.onNotice?.({ severity: String(notice.severity ?? "NOTICE"), message: String(notice.message ?? "") }),
    connection: { application_name: applicationName },
    ...(options.onQuery ? { debug: (_connection: number, query: string) => options.onQuery!(query) } : {}),
  });
  const sql = postgres(options_(options.applicationName ?? url.params.application_name ?? "dbkit"));
  let backendPid = 0;
  let pooled = false;
  try {
    const rows = await sql<{ user: string; pid: number }[]>`select current_user as user, pg_backend_pid() as pid`.simple();
    const [row] = rows;
    if (row && !target.user) target.user = row.user;
    backendPid = row?.pid ?? 0;
    // The server sends its own process id as the cancel key's pid; a pooler sends one of its own.
    const keyPid = (rows as unknown as { state?: { pid?: number | null } }).state?.pid;
    pooled = typeof keyPid === "number" && keyPid !== backendPid;
  } catch (error) {
    await sql.end({ timeout: 0 }).catch(() => undefined);
    throw connectionErrorFor(error, target) ?? error;
  }
  return { sql, target, backendPid, pooled, another: (applicationName) => postgres(options_(applicationName)) };
}

function sslOption(url: ConnectionUrl, envRootCert: string | undefined): boolean | "prefer" | "require" | object {
  const given = url.params.sslmode;
  const rootCert = url.params.sslrootcert ?? envRootCert;
  if (given !== undefined && !(SSL_MODES as readonly string[]).includes(given)) {
    throw new ConfigError(`invalid sslmode "${given}" in the database URL`, [`sslmode: must be one of ${SSL_MODES.join(", ")}`], {
      hint: `use one of ${SSL_MODES.join(", ")}`,
    });
  }
  // Like libpq the default is to try SSL; unlike libpq, remote hosts require it by default.
  // A CA certificate given without a mode means: verify the server (verify-full).
  const mode: SslMode = (given as SslMode | undefined) ?? (rootCert ? "verify-full" : isLocalHost(url.host) ? "prefer" : "require");
  const ca = rootCert ? readRootCert(rootCert) : undefined;
  switch (mode) {
    case "disable":
      return false;
    case "allow":
    case "prefer":
      return "prefer";
    case "require":
      return "require";
    case "verify-ca":
      return { rejectUnauthorized: true, ...(ca ? { ca } : {}), checkServerIdentity: () => undefined };
    case "verify-full":
      // postgres.js sets the TLS server name from the host, which verifies it.
      return { rejectUnauthorized: true, ...(ca ? { ca } : {}) };
  }
}

function readRootCert(file: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch {
    throw new UsageError("DBKIT_SSL_ROOT_CERT", `cannot read sslrootcert file ${file}`, { hint: "check the path given as sslrootcert in the database URL" });
  }
}
