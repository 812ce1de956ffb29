// Killing whole process trees. Every sandbox process is spawned detached (its own process group);
// under bubblewrap it also has its own pid namespace, so killing bubblewrap ends everything inside.
// Without bubblewrap, descendants that left the group (setsid, job control) are found through /proc.
import * as fs from "node:fs";

/** Pids of every live descendant of `root` (not including it), from /proc. */
export function descendants(root: number): number[] {
  const children = new Map<number, number[]>();
  let entries: string[];
  try {
    entries = fs.readdirSync("/proc");
  } catch {
    return [];
  }
  for (const name of entries) {
    if (!/^\d+$/.test(name)) continue;
    let stat: string;
    try {
      stat = fs.readFileSync(`/proc/${name}/stat`, "utf8");
    } catch {
      continue;
    }
    // Field 4 (ppid) follows the parenthesised command name, which may itself hold spaces or parens.
    const rest = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const ppid = Number(rest[1]);
    const list = children.get(ppid) ?? [];
    list.push(Number(name));
    children.set(ppid, list);
  }
  const out: number[] = [];
  const stack = [root];
  while (stack.length) {
    for (const c of children.get(stack.pop()!) ?? []) {
      out.push(c);
      stack.push(c);
    }
  }
  return out;
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // already gone
  }
}

/** Sends `sig` to the process group of `pid`, to every descendant, and to `pid` itself. */
export function killTree(pid: number, sig: NodeJS.Signals = "SIGKILL"): void {
  const kids = descendants(pid);
  signal(-pid, sig);
  for (const k of kids) signal(k, sig);
  signal(pid, sig);
}
