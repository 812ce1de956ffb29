// The local server's CLI (src/local/main.ts) in a child process, for tests of what only a process
// shows (kill -9, restarts on the same data dir), and a runtime data dir that leaves the engine clean.
import { spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { createInterface } from "node:readline";
import { Daytona } from "@daytonaio/sdk";
import { removeInstance } from "../../../src/local/runtime/reconcile";

export const repoRoot = path.resolve(__dirname, "..", "..", "..");

/** The CLI on a data dir, once ready (its JSON line read): its child process and an SDK client. */
export async function startCli(dataDir: string, extra: string[] = []): Promise<{ child: ChildProcess; daytona: Daytona }> {
  const child = spawn(process.execPath, ["--import", "tsx", path.join(repoRoot, "src/local/main.ts"), "--port", "0", "--data", dataDir, "--transition-ms", "20", ...extra], { cwd: repoRoot, stdio: ["ignore", "pipe", "pipe"] });
  child.stderr!.resume();
  const first = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once("line", resolve);
    child.once("exit", (code) => reject(new Error(`exited ${code} before ready`)));
  });
  const ready = JSON.parse(first) as { apiUrl: string; token: string };
  return { child, daytona: new Daytona({ apiKey: ready.token, apiUrl: ready.apiUrl, target: "local" }) };
}

/** A temp data dir for a runtime; after the test its instance's engine objects and the dir go. */
export function runtimeDataDir(t: { after(fn: () => Promise<void>): void }, prefix: string): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  t.after(async () => {
    await removeInstance(d);
    fs.rmSync(d, { recursive: true, force: true });
  });
  return d;
}
