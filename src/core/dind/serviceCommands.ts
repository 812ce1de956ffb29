// Per-service calls: `docker exec` into the service's container from the sandbox's shell. Scripts are
// fixed text; paths, ids and names only ever travel as positional arguments ("$1", "$2").
// The container side needs a POSIX sh and busybox-level tools (cat, stat -c, mkdir, rm, mv, cp).
import { checkContainerId, type Command } from "./command";
import { parseStatRecords, type StatRecord } from "./statParse";
import { PROJECT_LABEL, SERVICE_LABEL } from "./commands";
import { checkName } from "./command";

export interface ExecOptions {
  user?: string;
  workdir?: string;
  env?: Record<string, string>;
  /** -i: keep stdin open (only meaningful when the sandbox side feeds it). */
  interactive?: boolean;
  /** -t: allocate a terminal (inside a sandbox PTY). */
  tty?: boolean;
}

/** `docker exec [-i] [-t] [-u u] [-w dir] [-e K=V ...] <container> <argv>` */
export function dockerExecArgv(container: string, argv: readonly string[], o: ExecOptions = {}): string[] {
  if (argv.length === 0) throw new Error("empty command");
  const out = ["docker", "exec"];
  if (o.interactive) out.push("-i");
  if (o.tty) out.push("-t");
  if (o.user) out.push("-u", o.user);
  if (o.workdir) out.push("-w", o.workdir);
  for (const k of Object.keys(o.env ?? {}).sort()) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(k)) throw new Error(`invalid environment variable name: ${JSON.stringify(k)}`);
    out.push("-e", `${k}=${o.env![k]}`);
  }
  return [...out, checkContainerId(container), ...argv];
}

/** The running container of one service (the first, when it is scaled). */
export function findContainer(project: string, service: string): Command<string | undefined> {
  return {
    argv: ["docker", "ps", "--quiet", "--no-trunc", "--filter", `label=${PROJECT_LABEL}=${checkName("project", project)}`, "--filter", `label=${SERVICE_LABEL}=${checkName("service", service)}`],
    what: `find the container of ${service}`,
    timeoutSeconds: 30,
    parse: (out) => out.split("\n").map((l) => l.trim()).find((l) => /^[0-9a-f]{12,64}$/.test(l)),
  };
}

export interface ServiceProbe {
  workdir: string;
  user?: string;
  home?: string;
}

/** Where `docker exec` starts (`pwd`), who it runs as and $HOME; asked once per service. */
export function probeService(container: string): Command<ServiceProbe> {
  return {
    argv: dockerExecArgv(container, ["sh", "-c", 'pwd; id -un 2>/dev/null || id -u; printf "%s\\n" "$HOME"']),
    what: "inspect the service",
    timeoutSeconds: 30,
    parse: (out) => {
      const [pwd, user, home] = out.split("\n").map((l) => l.trim());
      return { workdir: pwd?.startsWith("/") ? pwd : "/", user: user || undefined, home: home?.startsWith("/") ? home : undefined };
    },
  };
}

// Records start with \x01; a listing first prints every name hex-encoded (N record), and the parser
// takes names only from there, so a name holding newlines or \x01 cannot add or change an entry.
// L = the entry itself (lstat), T = what a link points at. %f is the raw mode in hex.
const L = "\u0001L|%f|%s|%Y|%U|%G|%n";
const T = "\u0001T|%f|%n";
const STAT_SCRIPT = [
  'if [ "$1" = list ]; then',
  '  cd -- "$2" || exit 1; set --',
  '  for f in .* *; do case $f in .|..) continue;; esac; if [ -e "$f" ] || [ -L "$f" ]; then set -- "$@" "$f"; fi; done',
  "  [ $# -gt 0 ] || exit 0",
  // The names themselves, NUL-separated and hex-encoded, before anything a name can write into.
  "  printf '\\001N|'; printf '%s\\0' \"$@\" | od -An -v -tx1 | tr -d ' \\n'; echo",
  `  stat -c '${L}' -- "$@" 2>/dev/null`,
  "else",
  '  shift; stat -c \'' + L + '\' -- "$1" || exit',
  "fi",
  `for f; do if [ -L "$f" ]; then stat -L -c '${T}' -- "$f" 2>/dev/null; fi; done`,
  "exit 0",
].join("\n");

export function statPath(container: string, path: string): Command<StatRecord | undefined> {
  return {
    argv: dockerExecArgv(container, ["sh", "-c", STAT_SCRIPT, "sh", "one", path]),
    what: `stat ${path}`,
    timeoutSeconds: 30,
    parse: (out) => parseStatRecords(out)[0],
  };
}

export function listDir(container: string, path: string): Command<StatRecord[]> {
  return { argv: dockerExecArgv(container, ["sh", "-c", STAT_SCRIPT, "sh", "list", path]), what: `list ${path}`, timeoutSeconds: 60, parse: parseStatRecords };
}

/**
 * A file's bytes in one round trip: the container's `cat` writes to a sandbox temp file (binary-safe),
 * the sandbox's base64 prints it (the toolbox returns text). Directories and non-regular files (a FIFO
 * would block) are refused in the container. Stderr is kept apart so it cannot corrupt the data.
 */
const READ_INNER = 'if [ -d "$1" ]; then echo "$1: Is a directory" >&2; exit 1; fi; if [ -e "$1" ] && [ ! -f "$1" ]; then echo "$1: not a regular file" >&2; exit 1; fi; exec cat -- "$1"';
const READ_OUTER = 'c=$1; p=$2; t=$3; docker exec "$c" sh -c \'' + READ_INNER.replace(/'/g, "'\\''") + '\' sh "$p" > "$t" 2> "$t.err"; rc=$?; if [ $rc -eq 0 ]; then base64 < "$t"; else cat "$t.err"; fi; rm -f -- "$t" "$t.err"; exit $rc';

export function readFile(container: string, path: string, sandboxTmp: string): Command<Buffer> {
  return {
    argv: ["sh", "-c", READ_OUTER, "sh", checkContainerId(container), path, sandboxTmp],
    what: `read ${path}`,
    timeoutSeconds: 300,
    parse: (out) => Buffer.from(out.replace(/\s+/g, ""), "base64"),
  };
}

/**
 * Replaces a file's content with a sandbox temp file's (uploaded before through the toolbox), fed as
 * stdin to `cat > path` in the container, then removes the temp file. `cat >` truncates in place, so
 * an existing file keeps its owner and mode, and the container user's permissions apply.
 */
const WRITE_INNER = 'if [ -d "$1" ]; then echo "$1: Is a directory" >&2; exit 1; fi; cat > "$1"';
const WRITE_OUTER = 'f=$1; shift; docker exec -i "$@" < "$f"; rc=$?; rm -f -- "$f"; exit $rc';

export function writeFile(container: string, path: string, sandboxTmp: string): Command<void> {
  return {
    argv: ["sh", "-c", WRITE_OUTER, "sh", sandboxTmp, ...dockerExecArgv(container, ["sh", "-c", WRITE_INNER, "sh", path]).slice(2)],
    what: `write ${path}`,
    timeoutSeconds: 300,
  };
}

export function makeDir(container: string, path: string): Command<void> {
  return { argv: dockerExecArgv(container, ["mkdir", "--", path]), what: `create folder ${path}`, timeoutSeconds: 30 };
}

const REMOVE_SCRIPT = [
  'if [ ! -e "$2" ] && [ ! -L "$2" ]; then echo "$2: No such file or directory" >&2; exit 1; fi',
  'if [ "$1" = recursive ]; then exec rm -rf -- "$2"; fi',
  'if [ -d "$2" ] && [ ! -L "$2" ]; then exec rmdir -- "$2"; fi',
  'exec rm -f -- "$2"',
].join("\n");

export function removePath(container: string, path: string, recursive: boolean): Command<void> {
  return { argv: dockerExecArgv(container, ["sh", "-c", REMOVE_SCRIPT, "sh", recursive ? "recursive" : "single", path]), what: `delete ${path}`, timeoutSeconds: 120 };
}

// mv/cp onto an existing directory would move *into* it; refuse that like the toolbox does.
const MOVE_SCRIPT = 'op=$1; shift; if [ -d "$2" ] && [ ! -L "$2" ]; then echo "$2: File exists" >&2; exit 1; fi; if [ "$op" = mv ]; then exec mv -f -- "$1" "$2"; fi; exec cp -a -- "$1" "$2"';

export function movePath(container: string, from: string, to: string): Command<void> {
  return { argv: dockerExecArgv(container, ["sh", "-c", MOVE_SCRIPT, "sh", "mv", from, to]), what: `move ${from}`, timeoutSeconds: 120 };
}

export function copyPath(container: string, from: string, to: string): Command<void> {
  return { argv: dockerExecArgv(container, ["sh", "-c", MOVE_SCRIPT, "sh", "cp", from, to]), what: `copy ${from}`, timeoutSeconds: 600 };
}

/** A login shell in the container, bash when it has one; run inside the sandbox's PTY. */
export function ptyShellArgv(container: string, o: { workdir?: string; env?: Record<string, string> }): string[] {
  return dockerExecArgv(container, ["sh", "-c", "command -v bash >/dev/null && exec bash -l || exec sh -l"], { interactive: true, tty: true, ...o });
}
