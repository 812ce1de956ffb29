// Runs Debian's OpenSSH client (ssh or sftp) for the tests: only the given config file is read (never
// the user's own), no prompts, and a run that hangs is killed after a limit and says so in stderr.
import { spawn } from "node:child_process";

export interface OpenSshResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** No single ssh or sftp run of the tests takes more than a few seconds; a stuck one is killed. */
const RUN_LIMIT_MS = 30_000;

export function openssh(tool: "ssh" | "sftp", configFile: string, args: string[], input = ""): Promise<OpenSshResult> {
  return new Promise((resolve) => {
    const child = spawn(tool, ["-F", configFile, "-o", "BatchMode=yes", "-o", "ConnectTimeout=10", ...args], { stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    const limit = setTimeout(() => {
      stderr += `\n(killed after ${RUN_LIMIT_MS} ms)`;
      child.kill("SIGKILL");
    }, RUN_LIMIT_MS);
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("close", (code) => {
      clearTimeout(limit);
      resolve({ code: code ?? -1, stdout, stderr });
    });
    child.stdin.end(input);
  });
}
