// The one network model of the bench and the fault tests: a TCP proxy in front of the local server
// that delays each direction of every connection by half a round trip, whatever the protocol (HTTP,
// WebSockets, socket.io, SSH through the toolbox). A new connection pays its TCP handshake (the
// client's first bytes reach the server 1.5 round trips after the connect, as on a real link).
// Optional: a bandwidth cap per direction, shared by all connections (one link), and seeded jitter
// (never reordering a connection's bytes).
//
// It counts what it sees: connections, round trips (a turn of a connection from client-sending to
// server-answering: one HTTP request/response, one WebSocket message answered), pushes (server bytes
// that answer nothing new from the client: socket.io events, PTY output; told from a response's later
// chunks by a pause of 5 ms) and bytes each way.
import * as net from "node:net";
import { seededRandom } from "./faults";

export interface LinkOptions {
  /** Round-trip time added by the link (ms); each direction is delayed by half of it. */
  rttMs: number;
  /** Extra random delay, 0..jitterMs, per chunk (order within a connection kept). */
  jitterMs?: number;
  /** Bytes per second each way (shared by every connection); unlimited when absent or 0. */
  bandwidthBytesPerSec?: number;
  /** Model the TCP handshake of each new connection (default true). */
  handshake?: boolean;
  seed?: number;
}

export interface LinkStats {
  connections: number;
  roundTrips: number;
  pushes: number;
  bytesUp: number;
  bytesDown: number;
}

export interface LatencyProxy {
  readonly port: number;
  /** http://127.0.0.1:<port> */
  readonly origin: string;
  stats(): LinkStats;
  resetStats(): void;
  /** Resolves on the next round trip the proxy counts (tests and the bench wait on it, not on time). */
  nextRoundTrip(): Promise<void>;
  close(): Promise<void>;
}

const emptyStats = (): LinkStats => ({ connections: 0, roundTrips: 0, pushes: 0, bytesUp: 0, bytesDown: 0 });

/** Above this many queued bytes in one direction of one connection, the sender is paused. */
const HIGH_WATER = 4 * 1024 * 1024;

/** Server bytes after this much silence, with nothing new from the client, count as a push. */
const PUSH_GAP_MS = 5;

type Item = { at: number; chunk?: Buffer; end?: true; destroy?: true };

/** One direction of one connection: a time-ordered queue drained by a single timer. */
class Lane {
  private readonly queue: Item[] = [];
  private queued = 0;
  private timer: NodeJS.Timeout | undefined;
  private lastAt = 0;

  constructor(
    private readonly from: net.Socket,
    private readonly to: net.Socket,
    private readonly delay: (bytes: number, now: number) => number,
  ) {
    to.on("drain", () => this.maybeResume());
  }

  push(item: Omit<Item, "at">): void {
    const now = performance.now();
    const at = Math.max(this.lastAt, now + this.delay(item.chunk?.length ?? 0, now));
    this.lastAt = at;
    this.queue.push({ ...item, at });
    this.queued += item.chunk?.length ?? 0;
    if (this.queued > HIGH_WATER) this.from.pause();
    this.schedule();
  }

  private schedule(): void {
    if (this.timer || !this.queue.length) return;
    const wait = this.queue[0].at - performance.now();
    if (wait <= 0.5) {
      this.flush();
      return;
    }
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.flush();
    }, wait);
  }

  private flush(): void {
    const now = performance.now();
    while (this.queue.length && this.queue[0].at <= now + 0.5) {
      const item = this.queue.shift()!;
      if (item.chunk) {
        this.queued -= item.chunk.length;
        if (!this.to.destroyed) this.to.write(item.chunk);
      } else if (item.end) this.to.end();
      // A reset: still deliver what the kernel has not taken yet, then close.
      else if (item.destroy) {
        if (this.to.writableLength > 0) this.to.end();
        else this.to.destroy();
      }
    }
    this.maybeResume();
    this.schedule();
  }

  private maybeResume(): void {
    if (this.queued <= HIGH_WATER / 4 && !this.to.writableNeedDrain && this.from.isPaused()) this.from.resume();
  }

  clear(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.queue.length = 0;
  }
}

/** `upstreamPort` may be a function when the server starts after the proxy (it needs the proxy's origin). */
export async function startLatencyProxy(upstreamPort: number | (() => number), opts: LinkOptions, listenPort = 0): Promise<LatencyProxy> {
  const upstreamOf = typeof upstreamPort === "number" ? () => upstreamPort : upstreamPort;
  const half = opts.rttMs / 2;
  const random = seededRandom(opts.seed ?? 1);
  const bw = opts.bandwidthBytesPerSec && opts.bandwidthBytesPerSec > 0 ? opts.bandwidthBytesPerSec : 0;
  // When each direction of the shared link is free again (bandwidth cap: bytes queue behind bytes).
  const linkFree = { up: 0, down: 0 };
  let stats = emptyStats();
  let waiters: (() => void)[] = [];
  const sockets = new Set<net.Socket>();

  const delayFor = (dir: "up" | "down", notBefore: () => number) => (bytes: number, now: number) => {
    let start = Math.max(now, notBefore());
    if (bw) {
      start = Math.max(start, linkFree[dir]);
      linkFree[dir] = start + (bytes * 1000) / bw;
      start = linkFree[dir];
    }
    const jitter = opts.jitterMs ? random() * opts.jitterMs : 0;
    return start - now + half + jitter;
  };

  const server = net.createServer({ allowHalfOpen: true }, (client) => {
    const accepted = performance.now();
    // The client's data leaves after the SYN-ACK is back (one round trip after the connect).
    const established = opts.handshake === false ? 0 : accepted + opts.rttMs;
    stats.connections++;
    const upstream = net.connect({ port: upstreamOf(), host: "127.0.0.1", allowHalfOpen: true });
    client.setNoDelay(true);
    upstream.setNoDelay(true);
    sockets.add(client);
    sockets.add(upstream);
    const up = new Lane(client, upstream, delayFor("up", () => established));
    const down = new Lane(upstream, client, delayFor("down", () => 0));
    let turn: "none" | "up" | "down" = "none";
    let lastDown = 0;
    client.on("data", (chunk: Buffer) => {
      stats.bytesUp += chunk.length;
      turn = "up";
      up.push({ chunk });
    });
    upstream.on("data", (chunk: Buffer) => {
      stats.bytesDown += chunk.length;
      const now = performance.now();
      if (turn === "up") {
        stats.roundTrips++;
        const w = waiters;
        waiters = [];
        for (const f of w) f();
      } else if (turn === "none" || now - lastDown > PUSH_GAP_MS) stats.pushes++;
      turn = "down";
      lastDown = now;
      down.push({ chunk });
    });
    client.on("end", () => up.push({ end: true }));
    upstream.on("end", () => down.push({ end: true }));
    // A reset or an error on one side reaches the other side one half trip later, after its data.
    client.on("close", () => {
      sockets.delete(client);
      up.push({ destroy: true });
    });
    upstream.on("close", () => {
      sockets.delete(upstream);
      down.push({ destroy: true });
    });
    client.on("error", () => undefined);
    upstream.on("error", () => undefined);
    // Nothing is left to deliver once both are gone.
    const done = () => {
      if (client.destroyed && upstream.destroyed) {
        up.clear();
        down.clear();
      }
    };
    client.once("close", done);
    upstream.once("close", done);
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(listenPort, "127.0.0.1", () => resolve());
  });
  const addr = server.address();
  const port = typeof addr === "object" && addr ? addr.port : 0;
  return {
    port,
    origin: `http://127.0.0.1:${port}`,
    stats: () => ({ ...stats }),
    resetStats() {
      stats = emptyStats();
    },
    nextRoundTrip: () => new Promise<void>((resolve) => waiters.push(resolve)),
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
