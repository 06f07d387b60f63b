/**
 * A query that goes unanswered is either still running on the server or lost on a dead network
 * (a silent drop: nothing closes the socket, so the driver would wait forever). While a migration
 * statement runs longer than a moment, a second connection asks the server every few seconds
 * whether this session is still there; when it is gone, or the server cannot be reached twice in
 * a row, the connection counts as lost. A statement the server is still running is waited for
 * (statement_timeout bounds it). Most runs never open the second connection.
 */
import type postgres from "postgres";

export interface LivenessTiming {
  /** How long a statement runs before the first check. */
  firstCheckMs: number;
  /** Between checks. */
  everyMs: number;
  /** How long a check may take before it counts as unanswered. */
  answerWithinMs: number;
}

export const DEFAULT_LIVENESS: LivenessTiming = { firstCheckMs: 5000, everyMs: 5000, answerWithinMs: 5000 };

export class Liveness {
  private sql: postgres.Sql | undefined;
  private timer: NodeJS.Timeout | undefined;
  private unanswered = 0;
  private idle = 0;

  constructor(
    private readonly open: () => postgres.Sql,
    /** The session to look for; undefined (behind a pooler): only whether the server answers. */
    private readonly pid: number | undefined,
    private readonly onLost: (why: string) => void,
    private readonly timing: LivenessTiming = DEFAULT_LIVENESS,
  ) {}

  /** Starts watching the statement sent now; stop() when it is answered. */
  start(): void {
    this.stop();
    this.unanswered = 0;
    this.idle = 0;
    this.schedule(this.timing.firstCheckMs);
  }

  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  async close(): Promise<void> {
    this.stop();
    const sql = this.sql;
    this.sql = undefined;
    await sql?.end({ timeout: 0 }).catch(() => undefined);
  }

  private schedule(ms: number): void {
    // Not unref'd: a driver that drops a query without settling it (an RST can do that) would
    // otherwise let the process end silently with exit 0, as if the run had finished.
    this.timer = setTimeout(() => void this.check(), ms);
  }

  private async check(): Promise<void> {
    const watching = this.timer;
    let verdict: "alive" | "gone" | "unanswered" | "idle";
    let timeout: NodeJS.Timeout | undefined;
    try {
      this.sql ??= this.open();
      const rows = await Promise.race([
        this.pid === undefined
          ? this.sql.unsafe<{ state: string | null }[]>(`select 'active' as state`)
          : this.sql.unsafe<{ state: string | null }[]>(`select state from pg_stat_activity where pid = $1`, [this.pid]),
        new Promise<never>((_, reject) => (timeout = setTimeout(() => reject(new Error("unanswered")), this.timing.answerWithinMs))),
      ]);
      // Idle outside a transaction while this side waits for an answer: the server finished all it
      // was sent, and its answer was lost on the way.
      verdict = rows.length === 0 ? "gone" : rows[0]!.state === "idle" ? "idle" : "alive";
    } catch (error) {
      // A server error (too many connections, a role's connection limit) is an answer: the server
      // is there, and the statement is left to run. Only silence and network errors count.
      const code = (error as { code?: string }).code;
      verdict = code && /^[0-9A-Z]{5}$/.test(code) ? "alive" : "unanswered";
      // A fresh connection next time: this one may be stuck on the same dead network.
      const sql = this.sql;
      this.sql = undefined;
      void sql?.end({ timeout: 0 }).catch(() => undefined);
    } finally {
      clearTimeout(timeout);
    }
    if (this.timer !== watching) return; // the statement was answered meanwhile
    if (verdict === "gone") return this.onLost("the server no longer has this session");
    if (verdict === "idle" && ++this.idle >= 2) return this.onLost("the server finished the statement but its answer never arrived");
    if (verdict !== "idle") this.idle = 0;
    if (verdict === "unanswered" && ++this.unanswered >= 2) {
      return this.onLost(`the server did not answer for ${Math.round((this.timing.firstCheckMs + this.timing.everyMs + 2 * this.timing.answerWithinMs) / 1000)} s`);
    }
    if (verdict === "alive") this.unanswered = 0;
    this.schedule(this.timing.everyMs);
  }
}
