/** What Supabase connection strings say about how dbkit may use them. Pure. */
import type { ConnectionUrl } from "./connection-url.js";

const POOLER_HOST = /\.pooler\.supabase\.com$/i;
const DIRECT_HOST = /^db\.([a-z0-9]+)\.supabase\.co$/i;

/**
 * Supavisor's transaction mode (port 6543) or any URL marked pgbouncer=true: each statement may
 * run on another server connection, so session state, advisory locks held across statements and
 * multi-statement transactions of DDL are not safe there.
 */
export function isTransactionPooler(url: Pick<ConnectionUrl, "host" | "port" | "params">): boolean {
  return (POOLER_HOST.test(url.host) && url.port === 6543) || url.params.pgbouncer === "true";
}

export function isSupabaseHost(host: string): boolean {
  return POOLER_HOST.test(host) || /\.supabase\.co$/i.test(host);
}

/** A problem with a Supabase pooler URL worth saying before connecting, if any. */
export function poolerUserProblem(url: Pick<ConnectionUrl, "host" | "user">): string | undefined {
  if (!POOLER_HOST.test(url.host)) return undefined;
  if (url.user && /^[^.]+\.[a-z0-9]{10,}$/i.test(url.user)) return undefined;
  return `Supabase's pooler expects the user "postgres.<project-ref>" (for example postgres.abcdefghijklmnopqrst), not "${url.user ?? ""}"; connecting will likely fail with "Tenant or user not found"`;
}

/** The project ref of a direct connection host (db.<ref>.supabase.co). */
export function directHostRef(host: string): string | undefined {
  return DIRECT_HOST.exec(host)?.[1];
}
