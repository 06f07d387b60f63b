/** Turns driver and server errors raised while connecting into one clear line with what to do. */
import { directHostRef } from "../core/supabase-connection.js";
import { ConnectionError, UsageError, type DbkitError } from "../errors.js";

export interface ConnectTarget {
  host: string;
  port: number;
  database: string;
  user: string | undefined;
}

const CERTIFICATE_CODES = new Set([
  "SELF_SIGNED_CERT_IN_CHAIN",
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "CERT_HAS_EXPIRED",
  "ERR_TLS_CERT_ALTNAME_INVALID",
]);

/** Returns a DbkitError for a connection failure, or undefined when `error` is something else. */
/**
 * The connection itself is gone (the server ended the session, which rolls its transaction back):
 * a ROLLBACK would only open a new connection, and wait for it, to roll back nothing.
 */
export function isConnectionGone(error: unknown): boolean {
  const code = (error as { code?: string } | undefined)?.code;
  // 57P01 / 57P02: the server ends the session (shut down, crashed, pg_terminate_backend).
  return code === "ECONNRESET" || code === "EPIPE" || code === "CONNECTION_CLOSED" || code === "CONNECTION_ENDED" || code === "CONNECTION_DESTROYED" || code === "57P01" || code === "57P02";
}

export function connectionErrorFor(error: unknown, target: ConnectTarget): DbkitError | undefined {
  const e = error as { code?: string; message?: string; errno?: string };
  const where = `${target.host}:${target.port}`;
  const code = e?.code ?? "";
  const message = String(e?.message ?? "");
  if (code === "ECONNREFUSED") {
    return new ConnectionError("DBKIT_CONNECTION_REFUSED", `connection refused by ${where}`, {
      hint: "is Postgres running there? check the host and port in the database URL",
      cause: error,
    });
  }
  if (code === "ENOTFOUND" || code === "EAI_AGAIN" || code === "EAI_NONAME") {
    return new ConnectionError("DBKIT_UNKNOWN_HOST", `unknown host "${target.host}"`, { hint: "check the host name in the database URL", cause: error });
  }
  if (code === "ENETUNREACH" || code === "EHOSTUNREACH") {
    const ipv6 = message.includes(":") && /[0-9a-f]{1,4}:[0-9a-f]{0,4}:/i.test(message);
    const ref = directHostRef(target.host);
    return new ConnectionError("DBKIT_NETWORK_UNREACHABLE", `network unreachable connecting to ${where}${ipv6 ? " over IPv6" : ""}`, {
      hint: ref
        ? `${target.host} is reachable over IPv6 only, which this network lacks: use the session pooler instead, postgres://postgres.${ref}:<password>@aws-0-<region>.pooler.supabase.com:5432/postgres (Supabase dashboard: Connect > Session pooler)`
        : ipv6
          ? "this network has no IPv6 route; use an IPv4 address or, on Supabase, the session pooler URL"
          : "check the network route to the database host",
      cause: error,
    });
  }
  if (code === "CONNECT_TIMEOUT" || code === "ETIMEDOUT") {
    return new ConnectionError("DBKIT_CONNECT_TIMEOUT", `timed out connecting to ${where}`, {
      hint: "check that the host is reachable and the port is open (firewall, VPN, allowed IPs)",
      cause: error,
    });
  }
  if (code === "28P01") {
    return new ConnectionError("DBKIT_AUTH_FAILED", `password authentication failed for user "${target.user ?? ""}" at ${where}`, {
      hint: "check the user and password; special characters in a password must be percent-encoded in the URL (@ is %40)",
      cause: error,
    });
  }
  if (code === "28000" && /no encryption|SSL off/i.test(message)) {
    return new ConnectionError("DBKIT_SSL_REQUIRED", `the server at ${where} requires SSL`, { hint: "add ?sslmode=require to the database URL", cause: error });
  }
  if (code === "28000") {
    return new ConnectionError("DBKIT_AUTH_REJECTED", `the server at ${where} rejected the connection: ${message}`, {
      hint: "the server's pg_hba.conf does not allow this user, database or address",
      cause: error,
    });
  }
  if (code === "3D000") {
    return new ConnectionError("DBKIT_DATABASE_NOT_FOUND", `database "${target.database}" does not exist on ${where}`, {
      hint: `create it (createdb ${target.database}) or fix the database name in the URL`,
      cause: error,
    });
  }
  if (code === "57P03") {
    return new ConnectionError("DBKIT_SERVER_STARTING", `the server at ${where} is starting up or shutting down`, { hint: "retry in a moment, or pass --wait <seconds>", cause: error });
  }
  if (code === "53300") {
    return new ConnectionError("DBKIT_TOO_MANY_CONNECTIONS", `the server at ${where} has no free connection slots`, { hint: "retry later, or use a pooler", cause: error });
  }
  if (CERTIFICATE_CODES.has(code)) {
    return new ConnectionError("DBKIT_SSL_UNVERIFIED", `cannot verify the SSL certificate of ${where}: ${message}`, {
      hint: "give the CA certificate with sslrootcert=<file> in the URL, or use sslmode=require to encrypt without verifying",
      cause: error,
    });
  }
  if (/does not support SSL/i.test(message) || code === "ECONNRESET" && /SSL|TLS/i.test(message)) {
    return new ConnectionError("DBKIT_SSL_UNSUPPORTED", `the server at ${where} does not accept SSL connections`, {
      hint: "use sslmode=disable for a server without SSL (only on a trusted network)",
      cause: error,
    });
  }
  if (isConnectionGone(error)) {
    return new ConnectionError("DBKIT_CONNECTION_LOST", `the connection to ${where} was closed unexpectedly`, {
      hint: "check the server's logs and the network; run the command again: applied migrations are recorded and will be skipped",
      cause: error,
    });
  }
  if (code === "25006") {
    return new UsageError("DBKIT_READ_ONLY_TARGET", `the database at ${where} is read-only`, {
      hint: "point the URL at the primary server (not a replica), or check default_transaction_read_only",
      cause: error,
    });
  }
  return undefined;
}
