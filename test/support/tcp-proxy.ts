/**
 * A TCP proxy on 127.0.0.1 between dbkit and Postgres that a test controls: it can refuse
 * connections, and cut every connection when the client sends a chosen piece of SQL (before
 * forwarding it, or right after). The cut falls exactly there, not at the end of the TCP chunk:
 * dbkit sends several queries in one write.
 */
import net from "node:net";

export interface CutRule {
  /** Text in the client's bytes (Postgres sends SQL as UTF-8). */
  text: string;
  /** Cut at this occurrence of `text` (1-based). */
  occurrence?: number;
  /** "before": the server sees what came before it, not it; "after": it is forwarded, then the line is cut. */
  when: "before" | "after";
  /** The network stays down after the cut: later connections are refused. */
  thenRefuse?: boolean;
  /**
   * How the line is cut: "close" (FIN, the default), "reset" (RST), or "silent": nothing is
   * forwarded any more and nothing is closed, on every connection, old and new, as when a
   * network drops packets.
   */
  how?: "close" | "reset" | "silent";
}

export class TcpProxy {
  refuse = false;
  /** Set by a "silent" cut: connections stay open and carry nothing. */
  silent = false;
  private readonly sockets = new Set<net.Socket>();
  private rule: (CutRule & { seen: number }) | undefined;
  /** Set when a rule fired. */
  cut = false;
  /** Per client connection, in order: the last bytes it sent, once it has closed. */
  private readonly ends: Promise<Buffer>[] = [];

  private constructor(private readonly server: net.Server, readonly port: number) {}

  static async start(targetHost: string, targetPort: number): Promise<TcpProxy> {
    let proxy: TcpProxy | undefined;
    const server = net.createServer((client) => proxy!.accept(client, targetHost, targetPort));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    proxy = new TcpProxy(server, (server.address() as net.AddressInfo).port);
    return proxy;
  }

  cutOn(rule: CutRule): void {
    this.rule = { occurrence: 1, ...rule, seen: 0 };
  }

  cutAll(): void {
    this.cut = true;
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
  }

  /** Every connection ends with an RST. */
  resetAll(): void {
    this.cut = true;
    for (const socket of this.sockets) socket.resetAndDestroy();
    this.sockets.clear();
  }

  /** The last `bytes` bytes each client connection so far sent, once every one of them has closed. */
  clientEnds(bytes: number): Promise<Buffer[]> {
    return Promise.all(this.ends).then((tails) => tails.map((tail) => tail.subarray(-bytes)));
  }

  async close(): Promise<void> {
    this.cutAll();
    await new Promise((resolve) => this.server.close(resolve));
  }

  /**
   * Counts occurrences of the rule's text that end in this chunk; when the wanted one arrives,
   * returns how many bytes of the chunk to forward before the cut (latin1: one byte per char).
   */
  private matches(rule: CutRule & { seen: number }, tail: string, chunk: string): number | undefined {
    const text = Buffer.from(rule.text, "utf8").toString("latin1");
    const combined = tail + chunk;
    for (let at = combined.indexOf(text); at !== -1; at = combined.indexOf(text, at + 1)) {
      if (at + text.length > tail.length && ++rule.seen === rule.occurrence) {
        return Math.max(0, (rule.when === "before" ? at : at + text.length) - tail.length);
      }
    }
    return undefined;
  }

  private accept(client: net.Socket, host: string, port: number): void {
    if (this.refuse) {
      client.destroy();
      return;
    }
    if (this.silent) {
      this.sockets.add(client);
      client.on("error", () => undefined);
      return;
    }
    let lastBytes = Buffer.alloc(0);
    client.on("data", (chunk: Buffer) => (lastBytes = Buffer.concat([lastBytes, chunk]).subarray(-64)));
    this.ends.push(new Promise((resolve) => client.once("close", () => resolve(lastBytes))));
    const upstream = net.connect(port, host);
    this.sockets.add(client).add(upstream);
    const drop = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on("error", drop).on("close", drop);
    upstream.on("error", drop).on("close", drop);
    upstream.on("data", (chunk) => {
      if (!this.silent) client.write(chunk);
    });
    // The text may arrive split over two TCP chunks: match against the end of the previous one too.
    let matchTail = "";
    // Once this connection is cut, nothing more of it reaches the server, even before the sockets
    // close. Connections opened after the cut pass (the network is back).
    let cutHere = false;
    client.on("data", (chunk: Buffer) => {
      if (cutHere || this.silent) return;
      const rule = this.rule;
      const forward = rule && !this.cut ? this.matches(rule, matchTail, chunk.toString("latin1")) : undefined;
      if (forward !== undefined) {
        cutHere = true;
        this.cut = true;
        if (rule?.thenRefuse) this.refuse = true;
        if (rule?.how === "silent") {
          this.silent = true;
          upstream.write(chunk.subarray(0, forward));
          return;
        }
        upstream.write(chunk.subarray(0, forward), () => setImmediate(() => (rule?.how === "reset" ? this.resetAll() : this.cutAll())));
        return;
      }
      if (rule) matchTail = (matchTail + chunk.toString("latin1")).slice(-rule.text.length);
      upstream.write(chunk);
    });
  }
}
