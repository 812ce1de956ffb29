// Names that come from a sandbox or a service (listings) before they become paths on this machine: a
// hostile sandbox can answer anything, so a name is one path segment or it is refused.

/** Why `name` cannot be a single file name, or undefined when it can. */
export function badRemoteName(name: string): string | undefined {
  if (name === "" || name === "." || name === "..") return "is not a file name";
  if (name.includes("/") || name.includes("\\")) return "contains a path separator";
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x1f\x7f]/.test(name)) return "contains NUL or control characters";
  return undefined;
}

export class UnsafeRemoteNameError extends Error {
  constructor(
    readonly remoteName: string,
    reason: string,
    where: string,
  ) {
    super(`refused the name ${JSON.stringify(remoteName)} in ${where}: it ${reason}`);
    this.name = "UnsafeRemoteNameError";
  }
}

/** Throws UnsafeRemoteNameError unless `name` is one plain file name. */
export function checkRemoteName(name: string, where: string): string {
  const why = badRemoteName(name);
  if (why) throw new UnsafeRemoteNameError(name, why, where);
  return name;
}

/**
 * Listing entries whose names cannot be file names (separators, "..", NUL) are dropped, not shown:
 * no real directory holds them. Control characters are legal in POSIX names and kept for display;
 * copying such a file to this machine is refused (checkRemoteName).
 */
export function listableEntries<T>(entries: Array<[string, T]>, onDropped?: (name: string) => void): Array<[string, T]> {
  return entries.filter(([name]) => {
    const ok = name !== "" && name !== "." && name !== ".." && !name.includes("/") && !name.includes("\0");
    if (!ok) onDropped?.(name);
    return ok;
  });
}
