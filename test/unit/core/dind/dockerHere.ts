// Test support for the Docker-backed dind tests: is a Docker engine with the local busybox image here,
// and a Target over this machine's own shell (the same contract as the toolbox: argv joined with
// shellQuote, stdout and stderr merged, the trailing newline stripped) for running the sandbox-side
// commands against the real engine without a sandbox in between.
import { spawn, spawnSync } from "node:child_process";
import { mkdir, writeFile } from "node:fs/promises";
import * as path from "node:path";
import type { TestContext } from "node:test";
import { shellJoin } from "../../../../src/core/shell/quote";
import type { ExecResult, Target } from "../../../../src/core/targets/target";

export const IMAGE = "daytona-local/busybox:latest";

export function dockerUnavailable(): string | undefined {
  const info = spawnSync("docker", ["info", "--format", "{{.ServerVersion}}"], { encoding: "utf8" });
  if (info.status !== 0) return `docker info does not answer: ${(info.stderr || info.error?.message || "").trim()}`;
  const img = spawnSync("docker", ["image", "inspect", IMAGE], { encoding: "utf8" });
  if (img.status !== 0) return `the image ${IMAGE} is missing`;
  return undefined;
}

/** True when Docker is here; otherwise skips loudly, or fails under CI=true. */
export function requireDocker(t: TestContext): boolean {
  const why = dockerUnavailable();
  if (!why) return true;
  const line = `!!! DOCKER UNAVAILABLE: ${why} (run: bash scripts/setup-docker.sh)`;
  if (process.env.CI === "true") throw new Error(`${line}; CI must run the Docker tests`);
  console.error(line);
  t.skip(line);
  return false;
}

export function sh(command: string): Promise<ExecResult> {
  return new Promise((resolve, reject) => {
    const p = spawn("/bin/sh", ["-c", command], { stdio: ["ignore", "pipe", "pipe"] });
    const chunks: Buffer[] = [];
    p.stdout.on("data", (d: Buffer) => chunks.push(d));
    p.stderr.on("data", (d: Buffer) => chunks.push(d));
    p.on("error", reject);
    p.on("close", (code) => resolve({ exitCode: code ?? -1, output: Buffer.concat(chunks).toString("utf8").replace(/\n$/, "") }));
  });
}

/** This machine as the "sandbox": exec and write are what ServiceTarget uses; the rest is not needed. */
export function hostTarget(): Target & { calls: string[][] } {
  const calls: string[][] = [];
  const unused = () => Promise.reject(new Error("not used by ServiceTarget"));
  return {
    key: "host",
    label: "this machine",
    calls,
    exec: (argv) => (calls.push(argv), sh(shellJoin(argv))),
    write: async (p, data) => {
      await mkdir(path.dirname(p), { recursive: true });
      await writeFile(p, data);
    },
    stat: unused,
    list: unused,
    read: unused,
    mkdir: unused,
    remove: unused,
    rename: unused,
    copy: unused,
    homeDir: unused,
    openPty: unused,
    reconnectPty: unused,
  };
}
