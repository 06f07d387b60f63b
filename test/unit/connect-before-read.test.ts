/**
 * readMigrationDir waits for a connection being opened alongside to start before its synchronous
 * work (see afterConnectingStarts). The driver opens its socket from a timer it sets a microtask
 * after the query is awaited; this checks the order against the driver itself.
 */
import net from "node:net";
import postgres from "postgres";
import { afterEach, describe, expect, it, vi } from "vitest";
import { afterConnectingStarts } from "../../src/fs/read-migration-dir.js";

afterEach(() => vi.restoreAllMocks());

describe("reading the folder while connecting", () => {
  it("lets the driver open its socket first", async () => {
    const order: string[] = [];
    const connect = net.Socket.prototype.connect;
    vi.spyOn(net.Socket.prototype, "connect").mockImplementation(function (this: net.Socket, ...args: unknown[]) {
      order.push("socket");
      return (connect as (...a: unknown[]) => net.Socket).apply(this, args);
    });
    // Port 1 on the loopback refuses at once: no server is needed, only the driver's scheduling.
    const sql = postgres({ host: "127.0.0.1", port: 1, max: 1, connect_timeout: 2, onnotice: () => undefined });
    // As openConnection does: the first query is awaited, then the folder is read.
    const first = (async () => sql`select 1`.simple())().catch(() => undefined);
    await afterConnectingStarts();
    order.push("read");
    await first;
    await sql.end({ timeout: 0 });
    expect(order).toEqual(["socket", "read"]);
  });
});
