// Fault injection (latency is the network model's job: latencyProxy.ts).
//
// Fault spec grammar (comma-separated key=value, all optional):
//   5xx=<0..1>            share of HTTP requests answered 503 before they reach a handler
//                         (never /api/_local/*, so tests can always read the counters)
//   drop-ws-after=<ms>    destroy every WebSocket (socket.io, toolbox, preview) <ms> after its upgrade
//   seed=<int>            seed of the random choice for 5xx (default 1), so runs repeat
// Example: "5xx=0.1,drop-ws-after=2000,seed=42".
import { Duplex } from "node:stream";

export interface FaultSpec {
  errorRate: number;
  dropWsAfterMs?: number;
  seed: number;
}

export function parseFaultSpec(spec: string): FaultSpec {
  const out: FaultSpec = { errorRate: 0, seed: 1 };
  for (const part of spec.split(",").map((s) => s.trim()).filter(Boolean)) {
    const eq = part.indexOf("=");
    if (eq < 0) throw new Error(`fault spec: "${part}" is not key=value`);
    const key = part.slice(0, eq).trim();
    const num = Number(part.slice(eq + 1).trim());
    if (!Number.isFinite(num) || num < 0) throw new Error(`fault spec: ${key} needs a non-negative number`);
    switch (key) {
      case "5xx":
        if (num > 1) throw new Error("fault spec: 5xx is a share between 0 and 1");
        out.errorRate = num;
        break;
      case "drop-ws-after":
        out.dropWsAfterMs = num;
        break;
      case "seed":
        out.seed = Math.floor(num);
        break;
      default:
        throw new Error(`fault spec: unknown key "${key}" (known: 5xx, drop-ws-after, seed)`);
    }
  }
  return out;
}

/** mulberry32: a small seeded PRNG so a fault run can be repeated exactly. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Wrap an upgraded socket so its bytes are counted and, when asked, the connection is cut
 * `dropAfterMs` after the upgrade. `onDrop` runs before the cut, so whoever sees the disconnect
 * already sees it counted.
 */
export function wrapSocket(
  socket: Duplex,
  opts: { dropAfterMs?: number; onDrop?: () => void; count: (dir: "in" | "out", n: number) => void },
): Duplex {
  const wrapper = new Duplex({
    read() {
      socket.resume();
    },
    write(chunk: Buffer, _enc, cb) {
      opts.count("out", chunk.length);
      if (!socket.destroyed) socket.write(chunk);
      cb();
    },
    final(cb) {
      socket.end();
      cb();
    },
    destroy(err, cb) {
      socket.destroy();
      cb(err);
    },
  });
  socket.on("data", (chunk: Buffer) => {
    opts.count("in", chunk.length);
    if (!wrapper.push(chunk)) socket.pause();
  });
  socket.on("end", () => wrapper.push(null));
  socket.on("close", () => wrapper.destroy());
  socket.on("error", (err) => wrapper.destroy(err));
  // ws/engine.io call these on the raw socket; forward the ones they use.
  const w = wrapper as Duplex & { setNoDelay?: (v?: boolean) => void; setTimeout?: (ms: number) => void; setKeepAlive?: (v?: boolean) => void };
  const raw = socket as Duplex & { setNoDelay?: (v?: boolean) => void; setTimeout?: (ms: number) => void; setKeepAlive?: (v?: boolean, d?: number) => void };
  w.setNoDelay = (v) => raw.setNoDelay?.(v);
  w.setTimeout = (ms) => raw.setTimeout?.(ms);
  w.setKeepAlive = (v) => raw.setKeepAlive?.(v);
  if (opts.dropAfterMs !== undefined) {
    const timer = setTimeout(() => {
      opts.onDrop?.();
      socket.destroy();
    }, opts.dropAfterMs);
    timer.unref();
    socket.on("close", () => clearTimeout(timer));
  }
  return wrapper;
}
