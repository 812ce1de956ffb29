// CLI: node dist/local-server.js --port 0 --data <dir> [--token T] [--latency <ms>] [--faults <spec>]
// [--transition-ms <ms>] [--warm-pool N]. Sandboxes are containers on the Docker engine (runtime/).
// Prints one JSON line {"apiUrl","token"} on stdout when ready; logs go to
// stderr; SIGTERM/SIGINT stop every sandbox process, close sockets and exit 0.
import { parseFaultSpec } from "./faults";
import { startLocalServer } from "./server";
import { EngineUnavailableError } from "./runtime/engine";

interface CliArgs {
  port: number;
  data?: string;
  token?: string;
  latency?: number;
  faults?: string;
  transitionMs?: number;
  warmPool?: number;
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
      case "--faults":
        out.faults = need();
        break;
      case "--transition-ms":
        out.transitionMs = num();
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
  } catch (err) {
    process.stderr.write(`local-server: ${err instanceof Error ? err.message : String(err)}\n` + "usage: local-server --port 0 --data <dir> [--token T] [--latency ms] [--faults spec] [--warm-pool N]\n");
    process.exit(2);
  }
  const server = await startLocalServer({
    port: args.port,
    dataDir: args.data,
    token: args.token,
    latencyMs: args.latency,
    faults: args.faults,
    transitionMs: args.transitionMs,
    warmPool: args.warmPool ?? 2,
    log: (line) => process.stderr.write(`${new Date().toISOString()} ${line}\n`),
  });
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`local-server: ${signal}, stopping\n`);
    const force = setTimeout(() => process.exit(1), 10_000);
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
