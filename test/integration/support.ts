// Helpers for the integration suites: the extension's services, polling waits, and the local
// server's request counters.
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as readline from "node:readline";
import * as vscode from "vscode";
import type { Services } from "../../src/services";

export const EXTENSION_ID = "daytona-community.daytona-sandboxes";

export async function services(): Promise<Services> {
  const ext = vscode.extensions.getExtension<Services>(EXTENSION_ID);
  if (!ext) throw new Error(`${EXTENSION_ID} is not installed in the host`);
  return ext.activate();
}

export async function waitFor(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for: ${what}`);
}

interface LocalStats {
  requests: number;
  byRoute: Record<string, number>;
}

function endpoint(s: Services): { apiUrl: string; token: string } {
  const state = s.connection.state;
  if (state.kind !== "connected") throw new Error("not connected");
  return { apiUrl: state.apiUrl, token: state.token };
}

export async function localStats(s: Services): Promise<LocalStats> {
  const { apiUrl, token } = endpoint(s);
  const res = await fetch(`${apiUrl}/_local/stats`, { headers: { Authorization: `Bearer ${token}` } });
  return (await res.json()) as LocalStats;
}

export async function resetLocalStats(s: Services): Promise<void> {
  const { apiUrl, token } = endpoint(s);
  await fetch(`${apiUrl}/_local/stats/reset`, { method: "POST", headers: { Authorization: `Bearer ${token}` } });
}

/** Connects to local sandboxes (starting the local server) unless already connected. */
export async function connectLocal(s: Services): Promise<void> {
  if (s.connection.state.kind === "connected" && s.connection.state.profile.kind === "local") return;
  const ok = await vscode.commands.executeCommand<boolean>("daytona.useLocal");
  if (!ok) throw new Error("could not connect to local sandboxes");
}

/** Runs a shell command in a sandbox through the SDK (for checking what the extension did). */
export async function sh(s: Services, sandboxId: string, command: string): Promise<{ exitCode: number; result: string }> {
  const sdk = await s.connection.client().toolbox(sandboxId);
  const r = await sdk.process.executeCommand(command);
  return { exitCode: r.exitCode, result: r.result ?? "" };
}

/** A second local server (the extension's own dist/local-server.js) with a known key, for suites that sign in elsewhere. */
export interface ExtraLocalServer {
  apiUrl: string;
  token: string;
  /** Stop it, forget profiles that point at it, and reconnect the extension to its own local server. */
  stop(s: Services): Promise<void>;
}

export async function startExtraLocalServer(key: string, extraArgs: string[] = []): Promise<ExtraLocalServer> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "daytona-it-extra-"));
  const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
  const script = path.join(ext.extensionPath, "dist", "local-server.js");
  // --purge-on-exit: its containers and images leave the engine with it (its data dir is removed below).
  const proc = spawn(process.execPath, [script, "--port", "0", "--data", dataDir, "--token", key, "--purge-on-exit", ...extraArgs], {
    env: { ...process.env, ELECTRON_RUN_AS_NODE: "1" },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const line = await new Promise<string>((resolve, reject) => {
    readline.createInterface({ input: proc.stdout! }).once("line", resolve);
    proc.once("exit", (c) => reject(new Error(`local server exited (${c})`)));
  });
  const ready = JSON.parse(line) as { apiUrl: string; token: string };
  return {
    ...ready,
    async stop(s) {
      for (const p of s.connection.profiles.list().filter((x) => x.apiUrl === ready.apiUrl)) await s.connection.profiles.remove(p.id);
      await connectLocal(s).catch(() => undefined);
      if (proc.exitCode === null && proc.signalCode === null) {
        const exited = new Promise((r) => proc.once("exit", r));
        proc.kill("SIGTERM");
        await exited;
      }
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
