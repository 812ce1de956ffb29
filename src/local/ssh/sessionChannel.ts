// One SSH "session" channel: a login shell (with or without a PTY), one command (exec) or the sftp
// subsystem, each a process started inside the sandbox through the runtime, as the sandbox's user.
// Bytes flow channel <-> process; the exit status (or signal) goes back before the channel closes.
import * as os from "node:os";
import type { PseudoTtyInfo, ServerChannel, Session } from "ssh2";
import type { SandboxProcess, SandboxRuntime, SandboxRuntimeInfo, SpawnOptions } from "../contract";

/** What a session needs to run things in its sandbox. */
export interface SessionHost {
  runtime: SandboxRuntime;
  info: SandboxRuntimeInfo;
  log(line: string): void;
  touch(): void;
  /** Track a process so closing the connection kills it (terminals only, as sshd's hangup does). */
  adopt(proc: SandboxProcess): void;
}

// bash when the image has it (as sshd would run the user's login shell), sh otherwise.
const LOGIN_SHELL = ["sh", "-c", "command -v bash >/dev/null 2>&1 && exec bash -l; exec sh -l"];
const COMMAND_SHELL = (command: string) => ["sh", "-c", 'command -v bash >/dev/null 2>&1 && exec bash -c "$1"; exec sh -c "$1"', "sh", command];
// Where Debian, Fedora, Arch and Alpine put OpenSSH's sftp-server (package openssh-sftp-server on Debian).
const SFTP_SERVER = [
  "sh",
  "-c",
  'for p in /usr/lib/openssh/sftp-server /usr/libexec/openssh/sftp-server /usr/lib/ssh/sftp-server /usr/libexec/sftp-server; do [ -x "$p" ] && exec "$p"; done; echo "this sandbox has no sftp-server (install openssh-sftp-server in its image)" >&2; exit 127',
];
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
// What OpenSSH's default AcceptEnv lets through, plus the terminal's own.
const ACCEPTED_ENV = /^(LANG|LC_[A-Z]+|TERM|COLORTERM|TZ)$/;

export function handleSession(session: Session, host: SessionHost): void {
  let pty: PseudoTtyInfo | undefined;
  const env: Record<string, string> = {};
  let proc: SandboxProcess | undefined;
  // Set at the first shell/exec/subsystem request: one process per session, as with sshd.
  let begun = false;

  session.on("pty", (accept, reject, info) => {
    if (begun) return reject?.();
    pty = info;
    accept?.();
  });
  session.on("window-change", (accept, _reject, info) => {
    if (pty) pty = { ...pty, cols: info.cols, rows: info.rows };
    proc?.resize(info.cols, info.rows).catch((err: unknown) => host.log(`ssh: resize in sandbox ${host.info.id}: ${err instanceof Error ? err.message : String(err)}`));
    accept?.();
  });
  session.on("env", (accept, reject, info) => {
    if (ENV_NAME.test(info.key) && ACCEPTED_ENV.test(info.key) && !info.val.includes("\0")) {
      env[info.key] = info.val;
      accept?.();
    } else reject?.();
  });
  session.on("signal", (accept, _reject, info) => {
    const name = `SIG${info.name}` as NodeJS.Signals;
    if (proc && name in os.constants.signals) proc.kill(name);
    accept?.();
  });

  // The request is answered at once, before the process exists: the client may send its EOF (ssh
  // with an empty stdin does, right after the request) or close the channel while the runtime is
  // still starting it, and ssh2 only keeps what arrives once the channel exists. A process that
  // cannot start is told on stderr with sshd's exit status for a command that could not run (127).
  const start = (argv: string[], accept: () => ServerChannel | undefined, reject: () => void, usePty: boolean): void => {
    if (begun) return reject();
    begun = true;
    const options: SpawnOptions = { env: { ...env } };
    if (usePty && pty) {
      options.pty = { cols: pty.cols || 80, rows: pty.rows || 24 };
      options.env = { ...options.env, TERM: pty.term || "xterm-256color" };
    }
    const channel = accept();
    // The client went away before the answer (ssh2 then has no channel to give).
    if (!channel) return;
    let gone = false;
    channel.once("close", () => (gone = true));
    void host.runtime.spawn(host.info, argv, options).then(
      (started) => {
        proc = started;
        if (options.pty) host.adopt(started);
        if (gone) {
          // As pipe() does once it runs: a terminal is hung up, a command only loses its input.
          if (options.pty) started.kill("SIGHUP");
          else {
            started.stdin.on("error", () => undefined);
            started.stdin.end();
          }
          return;
        }
        host.touch();
        // A window-change that came while the process was starting.
        if (options.pty && pty && (pty.cols !== options.pty.cols || pty.rows !== options.pty.rows) && pty.cols && pty.rows) {
          started.resize(pty.cols, pty.rows).catch(() => undefined);
        }
        pipe(channel, started, host, Boolean(options.pty));
      },
      (err: unknown) => {
        const why = err instanceof Error ? err.message : String(err);
        host.log(`ssh: could not start ${argv[0]} in sandbox ${host.info.id}: ${why}`);
        try {
          channel.stderr.write(`daytona-local: could not start the session in the sandbox: ${why}\r\n`);
          channel.exit(127);
          channel.end();
        } catch {
          // The client went away first.
        }
      },
    );
  };

  session.on("shell", (accept, reject) => start(LOGIN_SHELL, accept, reject, true));
  session.on("exec", (accept, reject, info) => start(COMMAND_SHELL(info.command), accept, reject, true));
  session.on("subsystem", (accept, reject, info) => {
    if (info.name !== "sftp") return reject();
    start(SFTP_SERVER, accept, reject, false);
  });
}

function pipe(channel: ServerChannel, proc: SandboxProcess, host: SessionHost, pty: boolean): void {
  const { stdin, stdout, stderr } = proc;
  stdin?.on("error", () => undefined);
  channel.on("data", () => host.touch());
  // A terminal has no end of input (sshd ignores the client's EOF on a PTY too), and the runtime's
  // PTY bridge reads the end of its stdin as "the server went away".
  if (stdin) channel.pipe(stdin, { end: !pty });
  // A terminal whose client hangs up is ended (sshd's SIGHUP; the tree is killed here). A command
  // without one only loses its input, as with sshd: what it started in the background (a server
  // that Remote - SSH launches, say) goes on, until the sandbox stops.
  channel.on("close", () => (pty ? proc.kill("SIGHUP") : stdin?.end()));
  channel.on("error", () => (pty ? proc.kill("SIGKILL") : stdin?.end()));
  const drained = Promise.all(
    [stdout, stderr].map((s) => (s && !s.readableEnded ? new Promise<void>((resolve) => s.once("close", () => resolve())) : Promise.resolve())),
  );
  stdout?.pipe(channel, { end: false });
  stderr?.pipe(channel.stderr, { end: false });
  void Promise.all([proc.exited, drained]).then(([code]) => {
    // The runtime reports a death by signal as 128+n (as a shell does), so that is what is told.
    const sig = code > 128 ? Object.entries(os.constants.signals).find(([, n]) => n === code - 128)?.[0] : undefined;
    const signal = sig ? sig.slice(3) : undefined;
    try {
      if (signal) channel.exit(signal, false, "");
      else channel.exit(code);
      channel.end();
    } catch {
      // The client went away first.
    }
  });
}
