// The runtime on its own: path confinement, bubblewrap command line as data, killAll leaving nothing
// behind (isolated and plain), and the plain fallback's path mapping.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { ToolboxError, type SandboxRuntimeInfo } from "../../../src/local/contract";
import { createRuntime } from "../../../src/local/runtime/index";
import { bwrapArgs } from "../../../src/local/runtime/bwrapArgs";
import { sandboxLayout } from "../../../src/local/runtime/layout";

const info = (id: string, extra: Partial<SandboxRuntimeInfo> = {}): SandboxRuntimeInfo => ({ id, user: "daytona", env: {}, networkBlockAll: false, ...extra });

function tmpData(t: { after(fn: () => void): void }): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), "rt-test-"));
  t.after(() => fs.rmSync(d, { recursive: true, force: true }));
  return d;
}

function code(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    return e instanceof ToolboxError ? `${e.statusCode} ${e.code}` : String(e);
  }
  return "ok";
}

test("resolvePath confines paths", async (t) => {
  const data = tmpData(t);
  const rt = createRuntime({ dataDir: data, forcePlain: true });
  const a = info("a");
  await rt.prepare(a);
  await rt.prepare(info("b"));
  const home = path.join(fs.realpathSync(data), "sandboxes/a/home");
  assert.equal(rt.resolvePath(a, "/home/daytona/x.txt", "write"), path.join(home, "x.txt"));
  assert.equal(rt.resolvePath(a, "rel/x", "write"), path.join(home, "rel/x"));
  assert.equal(rt.resolvePath(a, "/tmp/../workspace/y", "write"), path.join(fs.realpathSync(data), "sandboxes/a/workspace/y"));
  assert.equal(rt.resolvePath(a, "/etc/passwd", "read"), "/etc/passwd");
  assert.equal(code(() => rt.resolvePath(a, "/etc/os-release", "write")), "403 FORBIDDEN");
  // The data dir lies under /tmp here, and /tmp inside is the sandbox's own: B's host path names A's tmp.
  assert.ok(rt.resolvePath(a, `${data}/sandboxes/b/home/f`, "read").startsWith(path.join(fs.realpathSync(data), "sandboxes/a/tmp/")));
  assert.equal(code(() => rt.resolvePath(a, "/root/.bashrc", "read")), "403 FORBIDDEN");
  assert.equal(code(() => rt.resolvePath(a, "/home/daytona/a\0b", "read")), "400 BAD_REQUEST");
  assert.equal(code(() => rt.resolvePath(a, "/home/daytona/" + "n".repeat(256), "write")), "400 BAD_REQUEST");
  // A link to another sandbox's host dir is read as an in-sandbox path: it leads nowhere outside.
  fs.symlinkSync(path.join(fs.realpathSync(data), "sandboxes/b/home"), path.join(home, "toB"));
  assert.equal(code(() => rt.resolvePath(a, "/home/daytona/toB/f", "read")), "ok");
  assert.ok(rt.resolvePath(a, "/home/daytona/toB/f", "write").startsWith(path.join(fs.realpathSync(data), "sandboxes/a/tmp/")));
  fs.symlinkSync("/root", path.join(home, "toRoot"));
  assert.equal(code(() => rt.resolvePath(a, "/home/daytona/toRoot/x", "read")), "403 FORBIDDEN");
  fs.symlinkSync("loop2", path.join(home, "loop1"));
  fs.symlinkSync("loop1", path.join(home, "loop2"));
  assert.equal(code(() => rt.resolvePath(a, "/home/daytona/loop1", "read")), "400 BAD_REQUEST");
  assert.equal(code(() => rt.resolvePath(info("../x"), "/tmp", "read")), "400 BAD_REQUEST");
});

test("bubblewrap command line", () => {
  const l = sandboxLayout("/data/sandboxes", "s1", "dev");
  const args = bwrapArgs({
    layout: l,
    hostRoot: [
      { name: "usr", kind: "dir" },
      { name: "var", kind: "dir" },
      { name: "bin", kind: "symlink", target: "usr/bin" },
    ],
    dataDirReal: "/var/lib/dt",
    networkBlockAll: true,
    cwd: "/home/dev",
    newSession: true,
  });
  const s = args.join(" ");
  assert.match(s, /--die-with-parent --unshare-pid/);
  assert.match(s, /--unshare-net/);
  assert.match(s, /--new-session/);
  assert.match(s, /--ro-bind \/usr \/usr .*--symlink usr\/bin \/bin/);
  assert.match(s, /--tmpfs \/var\/lib\/dt/);
  assert.match(s, /--bind \/data\/sandboxes\/s1\/home \/home\/dev/);
  assert.match(s, /--bind \/data\/sandboxes\/s1\/tmp \/tmp/);
  assert.match(s, /--chdir \/home\/dev --$/);
});

for (const forcePlain of [false, true]) {
  test(`killAll leaves no process behind (${forcePlain ? "plain" : "isolated"})`, async (t) => {
    const data = tmpData(t);
    const rt = createRuntime({ dataDir: data, forcePlain });
    const sb = info(`k${forcePlain ? "p" : "i"}`);
    await rt.prepare(sb);
    const marker = `sleep 777.${process.pid}${forcePlain ? 1 : 2}`;
    const procs = [
      rt.spawn(sb, ["bash", "-c", `(${marker} &); ${marker}`]),
      rt.spawn(sb, ["bash"], { pty: { cols: 80, rows: 24 } }),
    ];
    procs[1].child.stdin!.write(`${marker} & ${marker}\n`);
    await new Promise((r) => setTimeout(r, 300));
    const ps = () => execFileSync("ps", ["-eo", "args"], { encoding: "utf8" }).split("\n").filter((l) => l.startsWith(marker));
    assert.ok(ps().length >= 3, `expected running sleeps, got ${ps().length}`);
    await rt.killAll(sb.id);
    await new Promise((r) => setTimeout(r, 100));
    assert.deepEqual(ps(), []);
    for (const p of procs) assert.ok((await p.exited) >= 128);
  });
}

test("plain fallback maps cwd and HOME to the host dirs", async (t) => {
  const data = tmpData(t);
  const rt = createRuntime({ dataDir: data, forcePlain: true });
  assert.equal(rt.isolated, false);
  const sb = info("plain", { env: { A: "1" } });
  await rt.prepare(sb);
  const p = rt.spawn(sb, ["sh", "-c", 'echo "$HOME|$(pwd)|$A|$TMPDIR"'], { cwd: "/workspace" });
  let out = "";
  p.child.stdout!.on("data", (d) => (out += d));
  assert.equal(await p.exited, 0);
  const root = path.join(fs.realpathSync(data), "sandboxes/plain");
  assert.equal(out.trim(), `${root}/home|${root}/workspace|1|${root}/tmp`);
});
