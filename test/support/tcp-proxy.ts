/**
 * A TCP proxy on 127.0.0.1 between dbkit and Postgres that a test controls: it can refuse
 * connections, and cut every connection when the client sends a chosen piece of SQL (before
 * forwarding it, or right after).
 */
import net from "node:net";

export interface CutRule {
  /** Text in the client's bytes (Postgres sends SQL as UTF-8). */
  text: string;
  /** Cut at this occurrence of `text` (1-based). */
  occurrence?: number;
  /** "before": the server never sees it; "after": it is forwarded, then the line is cut. */
  when: "before" | "after";
}

export class TcpProxy {
  refuse = false;
  private readonly sockets = new Set<net.Socket>();
  private rule: (CutRule & { seen: number }) | undefined;
  /** Set when a rule fired. */
  cut = false;

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

  async close(): Promise<void> {
    this.cutAll();
    await new Promise((resolve) => this.server.close(resolve));
  }

  /** Counts occurrences of the rule's text that end in this chunk; true when the wanted one arrives. */
  private matches(rule: CutRule & { seen: number }, tail: string, chunk: string): boolean {
    const text = Buffer.from(rule.text, "utf8").toString("latin1");
    const combined = tail + chunk;
    for (let at = combined.indexOf(text); at !== -1; at = combined.indexOf(text, at + 1)) {
      if (at + text.length > tail.length && ++rule.seen === rule.occurrence) return true;
    }
    return false;
  }

  private accept(client: net.Socket, host: string, port: number): void {
    if (this.refuse) {
      client.destroy();
      return;
    }
    const upstream = net.connect(port, host);
    this.sockets.add(client).add(upstream);
    const drop = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on("error", drop).on("close", drop);
    upstream.on("error", drop).on("close", drop);
    upstream.on("data", (chunk) => client.write(chunk));
    // The text may arrive split over two TCP chunks: match against the end of the previous one too.
    let tail = "";
    client.on("data", (chunk: Buffer) => {
      const rule = this.rule;
      if (rule && !this.cut && this.matches(rule, tail, chunk.toString("latin1"))) {
        if (rule.when === "after") upstream.write(chunk, () => setImmediate(() => this.cutAll()));
        else this.cutAll();
        return;
      }
      if (rule) tail = (tail + chunk.toString("latin1")).slice(-rule.text.length);
      upstream.write(chunk);
    });
  }
}
