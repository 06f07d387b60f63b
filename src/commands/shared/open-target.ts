/** Wires settings to a database: the configured URL, or the embedded default database. */
import { parseConnectionUrl, type ConnectionUrl } from "../../core/connection-url.js";
import { isTransactionPooler, poolerUserProblem } from "../../core/supabase-connection.js";
import { UsageError } from "../../errors.js";
import { checkSessionSettings } from "../../db/check-session-settings.js";
import { connectWithWait } from "../../db/connect.js";
import { openDatabase, type Database } from "../../db/database.js";
import type { Settings } from "../../config/load-config.js";
import { findKeptServer, type KeptServer } from "../../local/kept-server.js";
import { startOwnServer } from "./own-server.js";
import type { Run } from "./run.js";

export interface OpenStore {
  db: Database;
  /** Closes the connection and stops the embedded server this command started, if any. Safe to call twice. */
  close(): Promise<void>;
  /** The embedded default server's URL (its `postgres` database), when the target is that server. */
  embeddedUrl?: string;
}

export interface OpenStoreOptions {
  /** False when the caller already named the target. */
  announce?: boolean;
  /** The command writes (migrate, seed, reset): refused through a transaction pooler. */
  writes?: boolean;
  /** The command reads the journal first: start that read as soon as connected (its rows, or its summary: see PostgresJournal). */
  readJournalEarly?: "rows" | "summary" | "summary with times";
}

/** `kept`: the server `dbkit start` keeps running, when the caller has looked for it already (null: none, or a URL is configured). */
export async function openStore(settings: Settings, output: Run, options: OpenStoreOptions = {}, kept: KeptServer | null = keptServerOf(settings)): Promise<OpenStore> {
  let url = settings.databaseUrl?.value;
  let stopServer: (() => Promise<void>) | undefined;
  let forgetServer = () => undefined as void;
  // The embedded default: the one `dbkit start` keeps running if there is one (left running), else one of this command's own.
  const embedded = !url;
  if (!url) {
    const server = kept ?? (await startOwnServer(settings, output));
    output.onEvent({ type: "secret", secret: server.password });
    url = server.url();
    if (!("kept" in server)) {
      stopServer = () => server.stop();
      forgetServer = output.interrupts.add(stopServer);
    }
  }
  try {
    // Say which database before connecting, so a connection error has its context.
    const parsed = parseConnectionUrl(url);
    if (parsed.ok && options.announce !== false) output.target({ ...parsed.url, embedded }, settings.databaseUrl?.source ?? "embedded");
    if (parsed.ok) checkSupabaseUrl(parsed.url, Boolean(options.writes), output);
    const connection = await connectWithWait({
      url,
      waitSeconds: settings.waitSeconds,
      onRetry: (message) => output.info(message),
      ...(settings.sslRootCert ? { sslRootCert: settings.sslRootCert } : {}),
      onNotice: (notice) => output.onEvent({ type: "verbose", message: `${notice.severity}: ${notice.message}` }),
      onQuery: (query) => output.onEvent({ type: "sql", query }),
    });
    await checkSessionSettings(connection.sql, settings.sessionSettings).catch(async (error: unknown) => {
      await connection.sql.end({ timeout: 0 });
      throw error;
    });
    const db = openDatabase(connection, settings.journalSchema, embedded);
    if (options.readJournalEarly) db.journal.readJournalEarly(options.readJournalEarly);
    let closed: Promise<void> | undefined;
    const finish = (how: "close" | "interrupt") =>
      (closed ??= (async () => {
        // This command's own embedded server is stopped right after, which waits for the session anyway.
        const waitForServer = !settings.exitsAfterCommand || stopServer !== undefined;
        if (how === "close") await db.close({ waitForServer });
        else output.interrupts.journalAfterInterrupt = await db.interrupt();
        await stopServer?.();
        forgetServer();
        forgetInterrupt();
      })());
    const forgetInterrupt = output.interrupts.add(() => finish("interrupt"));
    // From here the interrupt stops the server itself, after reading the journal on it.
    forgetServer();
    return { db, close: () => finish("close"), ...(embedded ? { embeddedUrl: url } : {}) };
  } catch (error) {
    await stopServer?.();
    forgetServer();
    throw error;
  }
}

/** The server `dbkit start` keeps running for the embedded default; null when there is none or a URL is configured. */
function keptServerOf(settings: Settings): KeptServer | null {
  return settings.databaseUrl ? null : (findKeptServer(settings.stateDir) ?? null);
}

/**
 * Runs `read` (reading the project's files) while the connection is being opened, so the server's
 * connection set-up overlaps it. A failure of `read` wins and the connection is closed. An
 * embedded server of the command's own is started only after `read` succeeds: a broken file must not cost a start.
 */
export async function openStoreWhile<T>(read: () => Promise<T>, settings: Settings, output: Run, options: OpenStoreOptions = {}): Promise<OpenStore & { value: T }> {
  // A kept server (dbkit start) costs nothing to reach: connect while reading, as to a URL.
  const kept = keptServerOf(settings);
  if (!settings.databaseUrl && !kept) {
    const value = await read();
    return { value, ...(await openStore(settings, output, options, kept)) };
  }
  const opening = openStore(settings, output, options, kept);
  opening.catch(() => undefined);
  let value: T;
  try {
    value = await read();
  } catch (error) {
    void opening.then((opened) => opened.close()).catch(() => undefined);
    throw error;
  }
  return { value, ...(await opening) };
}

/** Supabase URLs: a transaction pooler cannot run migrations; a pooler user must name the project. */
function checkSupabaseUrl(url: ConnectionUrl, writes: boolean, output: Run): void {
  if (writes && isTransactionPooler(url)) {
    throw new UsageError("DBKIT_TRANSACTION_POOLER", `${url.host}:${url.port} is a transaction pooler: migrations cannot run through it safely`, {
      hint: "in transaction mode each statement may run on another connection, so locks and session settings do not hold; use the session pooler (port 5432 on the same host) or the direct connection (db.<ref>.supabase.co:5432). status and verify work through it",
    });
  }
  const problem = poolerUserProblem(url);
  if (problem) output.warn(problem);
}

/**
 * The one way a command opens its target: runs `work` on the open database and closes it on
 * every path (the connection, and the embedded server when dbkit started one).
 */
export async function withTarget<R>(settings: Settings, output: Run, options: OpenStoreOptions, work: (db: Database, opened: Pick<OpenStore, "embeddedUrl">) => Promise<R>): Promise<R> {
  const { db, close, embeddedUrl } = await openStore(settings, output, options);
  try {
    return await work(db, embeddedUrl === undefined ? {} : { embeddedUrl });
  } finally {
    await close();
  }
}

/** withTarget, reading the project's files (`read`) while the connection opens (see openStoreWhile). */
export async function withTargetWhile<T, R>(read: () => Promise<T>, settings: Settings, output: Run, options: OpenStoreOptions, work: (db: Database, value: T, opened: Pick<OpenStore, "embeddedUrl">) => Promise<R>): Promise<R> {
  const { value, db, close, embeddedUrl } = await openStoreWhile(read, settings, output, options);
  try {
    return await work(db, value, embeddedUrl === undefined ? {} : { embeddedUrl });
  } finally {
    await close();
  }
}
