// The one quoting function for shell strings built in core/: every argument goes through it, so no
// user-controlled text (file names, paths, ids) is ever pasted into a command unquoted.

const SAFE = /^[A-Za-z0-9_@%+=:,./-]+$/;

/** Quote one argument for a POSIX shell (sh, bash, dash, busybox ash) and zsh. */
export function shellQuote(arg: string): string {
  if (arg.includes("\0")) throw new Error("a shell argument cannot contain a NUL byte");
  // zsh, the shell of Daytona's sessions, expands a word that starts with "=" to a command's path.
  if (SAFE.test(arg) && !arg.startsWith("=")) return arg;
  // Inside single quotes nothing is special except the quote itself, which is closed, escaped, reopened.
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** Join an argument vector into one command line that a POSIX shell splits back into exactly argv. */
export function shellJoin(argv: readonly string[]): string {
  if (argv.length === 0) throw new Error("empty command");
  return argv.map(shellQuote).join(" ");
}
