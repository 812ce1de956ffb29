// How a session keeps one long-lived shell and still knows where each command ends.
//
// The shell is the sandbox's first of zsh, bash, sh, as the daemon's (the driver below runs in zsh and
// bash; dash's `read` has no -d). It runs a fixed driver loop that reads NUL-terminated (token, command)
// pairs from fd 3 (a pipe only the server writes) and `eval`s each command in the shell itself, so `cd`
// and `export` persist. The command's stdin is the shell's stdin (for "send input"), its stdout and stderr are the
// shell's, kept apart as two pipes. After each command the driver prints a frame carrying that
// command's token and the exit status on BOTH streams; a command is finished when both frames have
// been seen, so every byte it wrote to either stream has been read by then. A command that exits the
// shell ends the session (the shell's exit status is the command's).
//
// Forging: the token is fresh for every command and arrives over fd 3, never in the environment; fd 3
// is closed while the command runs and, being a socket, cannot be opened again through /proc, so a
// frame printed later with an old token is plain output. Not closed (measured): while the command runs
// the shell keeps a saved copy of fd 3 (zsh: fd 11, bash: fd 10) that a background copy of the shell
// can read (zsh's sysread), taking the next command's token; same-user code can also ptrace the shell,
// and a command can redefine what the driver calls. The trust boundary is the sandbox, as on Daytona
// (whose session shell writes each exit code to a file the same user can write).
// A frame is exactly marker + status + "\x1e\n"; anything else after a marker is output too, so the
// scanner holds back at most one frame's length (no unbounded buffering, linear time).
import { randomBytes } from "node:crypto";

export const SESSION_DRIVER = [
  "while IFS= read -r -d '' __dt_tok <&3 && IFS= read -r -d '' __dt_cmd <&3; do",
  '  eval "$__dt_cmd" 3<&-',
  "  __dt_rc=$?",
  "  printf '\\036DTEND%s:%d\\036\\n' \"$__dt_tok\" \"$__dt_rc\"",
  "  printf '\\036DTEND%s:%d\\036\\n' \"$__dt_tok\" \"$__dt_rc\" >&2",
  "done",
].join("\n");

export function newToken(): string {
  return randomBytes(16).toString("hex");
}

/** What the server writes to fd 3 to run one command. */
export function commandMessage(token: string, command: string): Buffer {
  return Buffer.concat([Buffer.from(token), Buffer.from([0]), Buffer.from(command), Buffer.from([0])]);
}

// After the marker: an optional "-", at most 3 digits, then "\x1e\n".
const MAX_STATUS = 4;

/**
 * Splits one output stream into command output and frames. `push` returns the bytes that belong to
 * the current command and, when a frame completed, its exit status and what followed it.
 */
export class SentinelScanner {
  private pending: Buffer = Buffer.alloc(0);
  private marker: Buffer;

  constructor(token: string) {
    this.marker = Buffer.from(`\x1eDTEND${token}:`);
  }

  /** The next command's token; what was held back (from before it started) is dropped. */
  setToken(token: string): void {
    this.marker = Buffer.from(`\x1eDTEND${token}:`);
    this.pending = Buffer.alloc(0);
  }

  /** "incomplete" while more bytes could still make a frame; the frame's end offset and status; or "invalid". */
  private frameAt(buf: Buffer, start: number): { end: number; exitCode: number } | "incomplete" | "invalid" {
    let i = start;
    if (buf[i] === 0x2d) i++;
    const digits = i;
    while (i < buf.length && i - digits < MAX_STATUS && buf[i] >= 0x30 && buf[i] <= 0x39) i++;
    if (i >= buf.length) return i - start <= MAX_STATUS ? "incomplete" : "invalid";
    if (i === digits || buf[i] !== 0x1e) return "invalid";
    if (i + 1 >= buf.length) return "incomplete";
    if (buf[i + 1] !== 0x0a) return "invalid";
    return { end: i + 2, exitCode: Number(buf.subarray(start, i).toString("latin1")) };
  }

  push(chunk: Buffer): { data: Buffer; exitCode?: number; rest?: Buffer } {
    const buf = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    this.pending = Buffer.alloc(0);
    let from = 0;
    for (;;) {
      const idx = buf.indexOf(this.marker, from);
      if (idx < 0) break;
      const f = this.frameAt(buf, idx + this.marker.length);
      if (f === "invalid") {
        from = idx + 1;
        continue;
      }
      if (f === "incomplete") {
        this.pending = Buffer.from(buf.subarray(idx));
        return { data: buf.subarray(0, idx) };
      }
      return { data: buf.subarray(0, idx), exitCode: f.exitCode, rest: buf.subarray(f.end) };
    }
    // Keep back a tail that could be the start of a marker split across chunks.
    let keep = Math.min(this.marker.length - 1, buf.length - from);
    while (keep > 0 && !this.marker.subarray(0, keep).equals(buf.subarray(buf.length - keep))) keep--;
    this.pending = Buffer.from(buf.subarray(buf.length - keep));
    return { data: buf.subarray(0, buf.length - keep) };
  }

  /** Whatever is held back (flushed when the shell exits). */
  drain(): Buffer {
    const p = this.pending;
    this.pending = Buffer.alloc(0);
    return p;
  }
}
