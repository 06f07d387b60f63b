/** What a caller holds of an embedded Postgres server: one it started, or the one `dbkit start` keeps running. */
export interface EmbeddedServer {
  host: string;
  port: number;
  user: string;
  password: string;
  /** URL of a database on this server (default `postgres`). */
  url(database?: string): string;
  /** Stops the server, unless it is kept (see keep()). */
  stop(): Promise<void>;
  /** Leaves the server running after this process (`dbkit start`): records it and lets go of the folder. */
  keep(): Promise<KeptServer>;
}

/** The kept server found running: a handle like a started one, whose stop() leaves it running. */
export interface KeptServer extends EmbeddedServer {
  kept: true;
  pid: number;
  dataDir: string;
}

/** The URL of `database` on an embedded server (it listens on 127.0.0.1 only). */
export function embeddedServerUrl(password: string, port: number, database = "postgres"): string {
  return `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/${encodeURIComponent(database)}`;
}
