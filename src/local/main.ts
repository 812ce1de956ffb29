// CLI: node dist/local-server.js --port 0 --data <dir> [--token T] [--faults <spec>] [--transition-ms <ms>] [--ssh-port <port>]
// [--warm-pool N] (ready containers kept per default snapshot; sandboxes are containers on the Docker engine, runtime/)
// [--minute-ms <ms>] (the length of one minute of the auto-stop / -archive / -delete intervals, for tests)
// [--purge-on-exit] (on stop, remove what this data dir's server has on the Docker engine: throw-away data dirs)
// or: --purge --data <dir> (remove what that data dir's server has on the engine, print the counts, exit).
// [--latency <rtt ms> [--jitter <ms>] [--bandwidth <bytes/s>]] [--public-origin <url>].
// Prints one JSON line {"apiUrl","token"} on stdout when ready; logs go to stderr; SIGTERM/SIGINT
// stop every sandbox process, close sockets and exit 0. With --latency the server listens on a free
// port and the latency proxy (latencyProxy.ts) takes --port in front of it: every byte pays the link.
import { existsSync } from "node:fs";
import { parseFaultSpec } from "./faults";
import { startLatencyProxy } from "./latencyProxy";
import { startLocalServer } from "./server";
import { EngineUnavailableError } from "./runtime/engine";
import { removeInstance } from "./runtime/reconcile";

interface CliArgs {
  port: number;
  data?: string;
  token?: string;
  latency?: number;
  jitter?: number;
  bandwidth?: number;
  publicOrigin?: string;
  faults?: string;
  transitionMs?: number;
  sshPort?: number;
  minuteMs?: number;
  warmPool?: number;
  purgeOnExit?: boolean;
  purge?: boolean;
}

function parseArgs(argv: string[]): CliArgs {
  const out: CliArgs = { port: 0 };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = argv[i + 1];
    const need = (): string => {
      if (value === undefined) throw new Error(`${flag} needs a value`);
      i++;
      return value;
    };
    const num = (): number => {
      const n = Number(need());
      if (!Number.isFinite(n) || n < 0) throw new Error(`${flag} needs a non-negative number`);
      return n;
    };
    switch (flag) {
      case "--port":
        out.port = num();
        break;
      case "--data":
        out.data = need();
        break;
      case "--token":
        out.token = need();
        break;
      case "--latency":
        out.latency = num();
        break;
      case "--jitter":
        out.jitter = num();
        break;
      case "--bandwidth":
        out.bandwidth = num();
        break;
      case "--public-origin":
        out.publicOrigin = need();
        if (!/^http:\/\/127\.0\.0\.1:\d+$/.test(out.publicOrigin)) throw new Error("--public-origin must be http://127.0.0.1:<port>");
        break;
      case "--faults":
        out.faults = need();
        break;
      case "--transition-ms":
        out.transitionMs = num();
        break;
      case "--ssh-port":
        out.sshPort = num();
        break;
      case "--minute-ms":
        out.minuteMs = num();
        if (out.minuteMs < 10) throw new Error("--minute-ms needs at least 10");
        break;
      case "--purge-on-exit":
        out.purgeOnExit = true;
        break;
      case "--purge":
        out.purge = true;
        break;
      case "--warm-pool":
        out.warmPool = num();
        break;
      default:
        throw new Error(`unknown argument ${flag}`);
    }
  }
  return out;
}

async function main(): Promise<void> {
  let args: CliArgs;
  try {
    args = parseArgs(process.argv.slice(2));
    if (!args.data) throw new Error("--data <dir> is required");
    if (args.faults) parseFaultSpec(args.faults);
    if ((args.jitter !== undefined || args.bandwidth !== undefined) && args.latency === undefined) throw new Error("--jitter and --bandwidth need --latency");
  } catch (err) {
    process.stderr.write(`local-server: ${err instanceof Error ? err.message : String(err)}\n` + "usage: local-server --port 0 --data <dir> [--token T] [--faults spec] [--transition-ms ms] [--minute-ms ms] [--ssh-port P] [--warm-pool N] [--purge-on-exit] [--latency rtt-ms [--jitter ms] [--bandwidth bytes/s]]\n       local-server --purge --data <dir>\n");
    process.exit(2);
  }
  if (args.purge) {
    // The server of this data dir must not be running: its objects are removed under it.
    if (!existsSync(args.data!)) {
      process.stderr.write(`local-server: --purge: the data dir ${args.data} does not exist\n`);
      process.exit(2);
    }
    console.log(JSON.stringify(await removeInstance(args.data!)));
    return;
  }
  const log = (line: string) => process.stderr.write(`${new Date().toISOString()} ${line}\n`);
  const link = args.latency === undefined ? undefined : { rttMs: args.latency, jitterMs: args.jitter, bandwidthBytesPerSec: args.bandwidth };
  // The proxy's port must be known before the server hands out URLs, so it listens first.
  const proxy = link ? await startLatencyProxy(() => innerPort, link, args.port) : undefined;
  let innerPort = 0;
  const local = await startLocalServer({
    port: proxy ? 0 : args.port,
    dataDir: args.data,
    token: args.token,
    publicOrigin: proxy?.origin ?? args.publicOrigin,
    faults: args.faults,
    transitionMs: args.transitionMs,
    sshPort: args.sshPort,
    minuteMs: args.minuteMs,
    warmPool: args.warmPool ?? 2,
    purgeOnExit: args.purgeOnExit,
    log,
  });
  innerPort = local.port;
  if (proxy) log(`latency proxy on ${proxy.origin}: ${JSON.stringify(link)}`);
  const server = proxy
    ? {
        ...local,
        apiUrl: `${proxy.origin}/api`,
        stop: async () => {
          await proxy.close();
          await local.stop();
        },
      }
    : local;
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`local-server: ${signal}, stopping\n`);
    const force = setTimeout(() => process.exit(1), args.purgeOnExit ? 60_000 : 10_000);
    force.unref();
    void server.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        process.stderr.write(`local-server: stop failed: ${String(err)}\n`);
        process.exit(1);
      },
    );
  };
  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));
  console.log(JSON.stringify({ apiUrl: server.apiUrl, token: server.token }));
}

main().catch((err: unknown) => {
  // A missing engine is a set-up step, not a crash: one line that says what to do.
  const text = err instanceof EngineUnavailableError ? err.message : err instanceof Error ? (err.stack ?? err.message) : String(err);
  process.stderr.write(`local-server: ${text}\n`);
  process.exit(err instanceof EngineUnavailableError ? 3 : 1);
});
