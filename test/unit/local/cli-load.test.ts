// The CLI prints one JSON line, and SIGTERM stops it with exit 0 and no sandbox process left.
// Load: 20 sandboxes created in parallel.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn, execFileSync } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { createInterface } from "node:readline";
import { Daytona } from "@daytonaio/sdk";
import { startTestServer } from "./helpers";
import { repoRoot, startCli } from "./cli";
import { removeInstance } from "../../../src/local/runtime/reconcile";


test("CLI: JSON line on stdout, SIGTERM exits 0 and kills sandbox processes", async (t) => {
  const dataDir = await mkdtemp(path.join(tmpdir(), "daytona-cli-"));
  t.after(async () => {
    await removeInstance(dataDir);
    await rm(dataDir, { recursive: true, force: true });
  });
  const child = spawn(process.execPath, ["--import", "tsx", path.join(repoRoot, "src/local/main.ts"), "--port", "0", "--data", dataDir, "--transition-ms", "20"], { cwd: repoRoot, stdio: ["ignore", "pipe", "pipe"] });
  t.after(() => {
    if (child.exitCode === null) child.kill("SIGKILL");
  });
  const lines = createInterface({ input: child.stdout });
  const first = await new Promise<string>((resolve, reject) => {
    lines.once("line", resolve);
    child.once("exit", (code) => reject(new Error(`exited ${code} before ready`)));
  });
  const ready = JSON.parse(first) as { apiUrl: string; token: string };
  assert.match(ready.apiUrl, /^http:\/\/127\.0\.0\.1:\d+\/api$/);
  assert.match(ready.token, /^[0-9a-f]{48}$/);

  const daytona = new Daytona({ apiKey: ready.token, apiUrl: ready.apiUrl, target: "local" });
  const marker = `cli-marker-${Date.now()}`;
  try {
    const sb = await daytona.create();
    await sb.process.createSession("s");
    await sb.process.executeSessionCommand("s", { command: `exec -a ${marker} sleep 300`, runAsync: true });
    await untilRunning(marker);
  } finally {
    await daytona[Symbol.asyncDispose]();
  }
  let stdoutRest = "";
  lines.on("line", (l) => (stdoutRest += l));
  const code = await new Promise<number | null>((resolve) => {
    child.once("exit", (c) => resolve(c));
    child.kill("SIGTERM");
  });
  assert.equal(code, 0);
  assert.equal(stdoutRest, "", "exactly one line on stdout");
  assert.equal(processesNamed(marker), 0, "no sandbox process survives");
});


test("CLI killed with -9: its sandboxes stop with it (no orphan keeps running); the next start brings them back", async (t) => {
  const dataDir = await mkdtemp(path.join(tmpdir(), "daytona-cli-k9-"));
  t.after(async () => {
    await removeInstance(dataDir);
    await rm(dataDir, { recursive: true, force: true });
  });
  const marker = `k9-marker-${Date.now()}`;
  const first = await startCli(dataDir, ["--warm-pool", "0"]);
  const sb = await first.daytona.create();
  await sb.fs.uploadFile(Buffer.from("kept"), "/home/daytona/kept.txt");
  await sb.process.createSession("s");
  await sb.process.executeSessionCommand("s", { command: `exec -a ${marker} sleep 300`, runAsync: true });
  await untilRunning(marker);
  first.child.kill("SIGKILL");
  await first.daytona[Symbol.asyncDispose]();
  let left = processesNamed(marker);
  for (let i = 0; i < 50 && left > 0; i++) {
    await new Promise((r) => setTimeout(r, 200));
    left = processesNamed(marker);
  }
  assert.equal(left, 0, "the sandbox's processes ended with the server");
  const second = await startCli(dataDir, ["--warm-pool", "0"]);
  t.after(() => {
    if (second.child.exitCode === null) second.child.kill("SIGKILL");
  });
  try {
    const back = await second.daytona.get(sb.id);
    assert.equal(back.state, "started");
    assert.equal((await back.fs.downloadFile("/home/daytona/kept.txt")).toString(), "kept");
    assert.equal((await back.process.executeCommand("echo alive")).result, "alive\n");
    await back.delete();
  } finally {
    await second.daytona[Symbol.asyncDispose]();
  }
  second.child.kill("SIGTERM");
});

function processesNamed(marker: string): number {
  const out = execFileSync("ps", ["-eo", "args"], { encoding: "utf8" });
  return out.split("\n").filter((l) => l.includes(marker)).length;
}

/**
 * Waits until a runAsync session command shows in the process list: the session starts it after the
 * request returns, and on a loaded machine that took longer than the 300 ms this once slept.
 */
async function untilRunning(marker: string, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (processesNamed(marker) === 0) {
    assert.ok(Date.now() < deadline, `no process named ${marker} after ${ms} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

test("load: 20 sandboxes created in parallel", async (t) => {
  const ts = await startTestServer();
  t.after(() => ts.stop());
  const t0 = Date.now();
  const all = await Promise.all(Array.from({ length: 20 }, (_, i) => ts.daytona.create({ name: `load-${i}`, labels: { load: "yes" } })));
  const elapsed = Date.now() - t0;
  assert.equal(new Set(all.map((s) => s.id)).size, 20);
  assert.ok(all.every((s) => s.state === "started"));
  let listed = 0;
  for await (const _ of ts.daytona.list({ labels: { load: "yes" } })) listed++;
  assert.equal(listed, 20);
  assert.ok(elapsed < 15_000, `20 creates took ${elapsed} ms`);
});
