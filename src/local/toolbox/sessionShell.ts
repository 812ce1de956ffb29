// How a session keeps one long-lived shell and still knows where each command ends.
//
// The shell runs a fixed driver loop that reads NUL-terminated commands from fd 3 (a pipe only the
// server writes) and `eval`s each in the shell itself, so `cd` and `export` persist. The command's
// stdin is the shell's stdin (for "send input"), its stdout and stderr are the shell's, kept apart
// as two pipes. After each command the driver prints a sentinel carrying a per-session random token
// and the exit status on BOTH streams; a command is finished when both sentinels have been seen, so
// every byte it wrote to either stream has been read by then. A command that exits the shell ends the
// session (the shell's exit status is the command's).
import { randomBytes } from "node:crypto";

export const SESSION_DRIVER = [
  '__dt_tok="$DAYTONA_SESSION_TOKEN"; unset DAYTONA_SESSION_TOKEN',
  "while IFS= read -r -d '' __dt_cmd <&3; do",
  '  eval "$__dt_cmd"',
  "  __dt_rc=$?",
  "  printf '\\036DTEND%s:%d\\036\\n' \"$__dt_tok\" \"$__dt_rc\"",
  "  printf '\\036DTEND%s:%d\\036\\n' \"$__dt_tok\" \"$__dt_rc\" >&2",
  "done",
].join("\n");

export function newToken(): string {
  return randomBytes(16).toString("hex");
}

/**
 * Splits one output stream into command output and sentinels. `push` returns the bytes that belong
 * to the current command and, when a sentinel completed, its exit status and what followed it.
 */
export class SentinelScanner {
  private pending: Buffer = Buffer.alloc(0);
  private readonly marker: Buffer;

  constructor(token: string) {
    this.marker = Buffer.from(`\x1eDTEND${token}:`);
  }

  push(chunk: Buffer): { data: Buffer; exitCode?: number; rest?: Buffer } {
    const buf = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    const idx = buf.indexOf(this.marker);
    if (idx >= 0) {
      const end = buf.indexOf("\x1e\n", idx + this.marker.length);
      if (end < 0) {
        this.pending = buf.subarray(idx);
        return { data: buf.subarray(0, idx) };
      }
      const exitCode = Number(buf.subarray(idx + this.marker.length, end).toString());
      this.pending = Buffer.alloc(0);
      return { data: buf.subarray(0, idx), exitCode, rest: buf.subarray(end + 2) };
    }
    // Keep back a tail that could be the start of a marker split across chunks.
    let keep = Math.min(this.marker.length - 1, buf.length);
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
