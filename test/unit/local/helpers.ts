// Shared by every local-server test: a server on a random port with its own temp data dir, and a
// real SDK client pointed at it. `stop()` disposes the SDK (so no socket keeps the process alive),
// stops the server and removes the temp dir.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { Daytona } from "@daytonaio/sdk";
import { startLocalServer, type LocalServer, type LocalServerOptions } from "../../../src/local/server";
import { removeInstance } from "../../../src/local/runtime/engine";

process.env.NO_PROXY = "127.0.0.1,localhost";
process.env.no_proxy = "127.0.0.1,localhost";

export interface TestServer {
  server: LocalServer;
  daytona: Daytona;
  dataDir: string;
  /** Stop the server only (keeps the data dir), e.g. to restart on the same dir. */
  stopServer(): Promise<void>;
  stop(): Promise<void>;
}

export type TestServerOptions = Partial<LocalServerOptions> & { daytonaOptions?: Record<string, unknown> };

export async function startTestServer(opts: TestServerOptions = {}): Promise<TestServer> {
  const dataDir = opts.dataDir ?? (await mkdtemp(path.join(tmpdir(), "daytona-local-test-")));
  const logs: string[] = [];
  const server = await startLocalServer({
    transitionMs: 50,
    log: (line) => {
      logs.push(line);
      if (process.env.LOCAL_SERVER_DEBUG) console.error(`[local-server] ${line}`);
    },
    ...opts,
    dataDir,
  });
  const daytona = new Daytona({ apiKey: server.token, apiUrl: server.apiUrl, target: "local", ...(opts.daytonaOptions ?? {}) });
  let serverStopped = false;
  let stopped = false;
  return {
    server,
    daytona,
    dataDir,
    async stopServer() {
      if (serverStopped) return;
      serverStopped = true;
      await server.stop();
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      await daytona[Symbol.asyncDispose]();
      if (!serverStopped) await server.stop();
      serverStopped = true;
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
