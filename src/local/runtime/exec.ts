// One process inside a sandbox's container: an engine exec (attached stdin/stdout/stderr, or a TTY
// with resize). Killing it kills its whole tree inside the container: the exec's host pid gives its
// pid in the container's namespace (NSpid in /proc), and a root exec signals it and every descendant.
import { readFile } from "node:fs/promises";
import { PassThrough, Writable } from "node:stream";
import type Docker from "dockerode";
import type { SandboxProcess } from "../contract";

export interface ExecSpec {
  container: string;
  argv: string[];
  user: string;
  env: string[];
  cwd: string;
  tty?: { cols: number; rows: number };
}

/**
 * Signals `$2` (a signal name) to pid `$1`, every descendant and every process of its session (each
 * exec is a session of its own, so `(cmd &)` orphans are found too); stopped first so none forks away.
 */
const KILL_TREE = [
  'sig="$2"; todo="$1 $(pgrep -s "$1" 2>/dev/null | tr "\\n" " ")"; all=""',
  'while [ -n "$todo" ]; do',
  '  all="$all $todo"; next=""',
  '  for p in $todo; do next="$next $(pgrep -P "$p" 2>/dev/null | tr "\\n" " ")"; done',
  "  todo=$(echo $next)",
  "done",
  'kill -STOP $all 2>/dev/null; kill -"$sig" $all 2>/dev/null; kill -CONT $all 2>/dev/null; exit 0',
].join("\n");

/** The pid of a host process as its own pid namespace numbers it (last field of NSpid). */
async function namespacePid(hostPid: number): Promise<number | undefined> {
  try {
    const status = await readFile(`/proc/${hostPid}/status`, "utf8");
    const line = status.split("\n").find((l) => l.startsWith("NSpid:"));
    const last = line?.trim().split(/\s+/).pop();
    return last && /^\d+$/.test(last) ? Number(last) : undefined;
  } catch {
    return undefined;
  }
}

/** Runs a short command as root in the container and waits for it (housekeeping: kill, chown). */
export async function runRoot(docker: Docker, container: string, argv: string[]): Promise<{ exitCode: number; output: string }> {
  const exec = await docker.getContainer(container).exec({ Cmd: argv, AttachStdout: true, AttachStderr: true, User: "root" });
  const stream = await exec.start({ hijack: true, stdin: false });
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on("data", (c: Buffer) => chunks.push(c));
  docker.modem.demuxStream(stream, out, out);
  await new Promise<void>((r) => {
    stream.once("end", r);
    stream.once("close", r);
    stream.once("error", () => r());
  });
  const info = await exec.inspect();
  return { exitCode: info.ExitCode ?? -1, output: Buffer.concat(chunks).toString("utf8") };
}

/** Signal a process tree inside the container as root (what a kill from the sandbox's user cannot reach). */
export function rootKillTree(docker: Docker, container: string, pid: number, sig: NodeJS.Signals): Promise<unknown> {
  return runRoot(docker, container, ["/bin/sh", "-c", KILL_TREE, "sh", String(pid), sig.replace(/^SIG/, "")]).catch(() => undefined);
}

export async function startExec(docker: Docker, spec: ExecSpec): Promise<SandboxProcess> {
  const exec = await docker.getContainer(spec.container).exec({
    Cmd: spec.argv,
    AttachStdin: true,
    AttachStdout: true,
    AttachStderr: true,
    Tty: Boolean(spec.tty),
    User: spec.user,
    Env: spec.env,
    WorkingDir: spec.cwd,
  });
  const stream = await exec.start({ hijack: true, stdin: true, Tty: Boolean(spec.tty) });
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  if (spec.tty) stream.on("data", (c: Buffer) => stdout.write(c));
  else docker.modem.demuxStream(stream, stdout, stderr);
  stream.on("error", () => undefined);
  const stdin = new Writable({
    write(chunk: Buffer, _enc, cb) {
      if (stream.destroyed) return cb();
      stream.write(chunk, () => cb());
    },
    final(cb) {
      if (!stream.destroyed) stream.end();
      cb();
    },
  });
  stdin.on("error", () => undefined);

  let killedBy: NodeJS.Signals | undefined;
  const exited = new Promise<number>((resolve) => {
    let settled = false;
    const finish = async () => {
      if (settled) return;
      settled = true;
      // The engine records the exit code apart from closing the stream, sometimes well after it on a
      // loaded machine: wait for it (10 s is only an upper bound for an engine that never says).
      let code: number | null = null;
      for (let wait = 20, deadline = Date.now() + 10_000; code === null && Date.now() < deadline; wait = Math.min(wait * 2, 250)) {
        try {
          const info = await exec.inspect();
          code = info.Running ? null : info.ExitCode;
        } catch {
          break;
        }
        if (code === null) await new Promise((r) => setTimeout(r, wait));
      }
      stdout.end();
      stderr.end();
      if (killedBy && (code === null || code === 0 || code === 137 || code === 143)) resolve(killedBy === "SIGKILL" ? 137 : 128 + 15);
      else resolve(code ?? (killedBy ? 137 : 1));
    };
    stream.once("end", () => void finish());
    stream.once("close", () => void finish());
  });

  const resize = async (cols: number, rows: number): Promise<void> => {
    if (!spec.tty) return;
    await exec.resize({ h: Math.max(1, Math.floor(rows)), w: Math.max(1, Math.floor(cols)) }).catch(() => undefined);
  };
  if (spec.tty) await resize(spec.tty.cols, spec.tty.rows);

  let done = false;
  void exited.then(() => (done = true));
  return {
    stdin,
    stdout,
    stderr,
    exited,
    resize,
    kill(sig: NodeJS.Signals = "SIGKILL") {
      if (done) return;
      killedBy ??= sig;
      void (async () => {
        const info = await exec.inspect().catch(() => undefined);
        const pid = info?.Pid ? await namespacePid(info.Pid) : undefined;
        if (pid && pid > 1) await rootKillTree(docker, spec.container, pid, sig);
        // Closing our end as well: a process that ignores the signal still loses its terminal/pipes.
        if (sig === "SIGKILL") setTimeout(() => stream.destroy(), 2000).unref();
      })();
    },
  };
}
