/**
 * Whether the seeds of a Supabase project run on this target. Supabase's seed.sql is development
 * data: the Supabase CLI runs it on a local `db reset`, never on `db push`. So the seeds dbkit takes
 * from supabase/config.toml run only on a database on this machine, unless the user asks (--seed,
 * or "seedRemote": true). Seeds of a seeds folder the user configured are the user's own choice.
 */
import { isLocalHost, parseConnectionUrl } from "./connection-url.js";

export interface SeedPolicyInput {
  /** The seeds come from supabase/config.toml ([db.seed] sql_paths, or its default ./seed.sql). */
  fromSupabaseConfig: boolean;
  /** The database URL; undefined: the embedded database (local). */
  url: string | undefined;
  /** --seed (true) or --no-seed (false); undefined: neither. */
  flag: boolean | undefined;
  /** "seedRemote": true in dbkit.config.json. */
  seedRemote: boolean;
}

/** Why the Supabase seeds are skipped on this target, or undefined when they may run. */
export function supabaseSeedsSkipped(input: SeedPolicyInput): string | undefined {
  if (!input.fromSupabaseConfig || input.flag === true || input.seedRemote || input.url === undefined) return undefined;
  const parsed = parseConnectionUrl(input.url);
  if (!parsed.ok || isLocalHost(parsed.url.host)) return undefined;
  return `the seeds of supabase/config.toml are development data and run only on a local database; ${parsed.url.host} is not on this machine (pass --seed, or set "seedRemote": true, to run them there)`;
}
