// Shared by every local-server test: a server on a random port with its own temp data dir, and a
// real SDK client pointed at it. `stop()` disposes the SDK (so no socket keeps the process alive),
// stops the server and removes the temp dir.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import * as path from "node:path";
import assert from "node:assert/strict";
import { Daytona, DaytonaError } from "@daytonaio/sdk";
import { startLatencyProxy, type LatencyProxy, type LinkOptions } from "../../../src/local/latencyProxy";
import { startLocalServer, type LocalServer, type LocalServerOptions } from "../../../src/local/server";
import { removeInstance } from "../../../src/local/runtime/reconcile";

process.env.NO_PROXY = "127.0.0.1,localhost";
process.env.no_proxy = "127.0.0.1,localhost";

export interface TestServer {
  /** With `link`, its apiUrl and port are the proxy's: everything the test sends pays the link. */
  server: LocalServer;
  /** The latency proxy in front of the server, when `link` was given. */
  proxy?: LatencyProxy;
  /** The server's own port (behind the proxy, when there is one). */
  innerPort: number;
  daytona: Daytona;
  dataDir: string;
  /** Stop the server only (keeps the data dir), e.g. to restart on the same dir. */
  stopServer(): Promise<void>;
  stop(): Promise<void>;
}

export type TestServerOptions = Partial<LocalServerOptions> & {
  daytonaOptions?: Record<string, unknown>;
  link?: LinkOptions;
  /** A proxy that stays up while the server behind it restarts (on `port`, the old inner port). */
  proxy?: LatencyProxy;
};

export async function startTestServer(opts: TestServerOptions = {}): Promise<TestServer> {
  const dataDir = opts.dataDir ?? (await mkdtemp(path.join(tmpdir(), "daytona-local-test-")));
  const logs: string[] = [];
  let innerPort = 0;
  const proxy = opts.proxy ?? (opts.link ? await startLatencyProxy(() => innerPort, opts.link) : undefined);
  const inner = await startLocalServer({
    transitionMs: 50,
    log: (line) => {
      logs.push(line);
      if (process.env.LOCAL_SERVER_DEBUG) console.error(`[local-server] ${line}`);
    },
    ...opts,
    ...(proxy ? { publicOrigin: proxy.origin } : {}),
    dataDir,
  });
  innerPort = inner.port;
  const server: LocalServer = proxy ? { ...inner, apiUrl: `${proxy.origin}/api`, port: proxy.port } : inner;
  const daytona = new Daytona({ apiKey: server.token, apiUrl: server.apiUrl, target: "local", ...(opts.daytonaOptions ?? {}) });
  let serverStopped = false;
  let stopped = false;
  return {
    server,
    proxy,
    innerPort: inner.port,
    daytona,
    dataDir,
    async stopServer() {
      if (serverStopped) return;
      serverStopped = true;
      await inner.stop();
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      await daytona[Symbol.asyncDispose]();
      if (!serverStopped) await inner.stop();
      serverStopped = true;
      await proxy?.close();
      if (!opts.dataDir) {
        // The server stops its containers; a throw-away data dir takes them (and its images) along.
        await removeInstance(dataDir);
        await rm(dataDir, { recursive: true, force: true });
      }
    },
  };
}

/** GET a JSON body from the server with the bearer token. */
export async function getJson(server: LocalServer, pathUnderApi: string): Promise<unknown> {
  const r = await fetch(`${server.apiUrl}${pathUnderApi}`, { headers: { authorization: `Bearer ${server.token}` } });
  if (!r.ok) throw new Error(`GET ${pathUnderApi}: ${r.status} ${await r.text()}`);
  return r.json();
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** The DaytonaError a promise rejects with; fails the test if it resolves or rejects with anything else. */
export async function rejection(p: Promise<unknown>): Promise<DaytonaError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof DaytonaError, `not a DaytonaError: ${String(e)}`);
    return e;
  }
  assert.fail("expected a rejection");
}
