// Test support for the Docker-backed dind tests: is a Docker engine with the local busybox image here,
// and a Target over this machine's own shell (the same contract as the toolbox: argv joined with
// shellQuote, stdout and stderr merged, the trailing newline stripped) for running the sandbox-side
// commands against the real engine without a sandbox in between.
import { spawn } from "node:child_process";
import { mkdir, writeFile } from "node:fs/promises";
import * as path from "node:path";
import { shellJoin } from "../../../../src/core/shell/quote";
import type { ExecResult, Target } from "../../../../src/core/targets/target";

// One check for "is Docker here" for every Docker-backed test (skips loudly, fails under CI=true).
export { requireDocker, SERVICE_IMAGE as IMAGE } from "../../local/dockerEnv";

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
