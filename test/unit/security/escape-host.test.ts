// Issue 13, attacks on the host's and the other sandboxes' files from inside a sandbox: remount a
// system folder read-write and write to it, open_by_handle_at ("shocker") with a known file handle,
// and reading another sandbox's files through /proc or a search of the whole tree. Each must fail.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { marker, py, sh, startLab } from "./attack";

// name_to_handle_at of a path: prints "<handle_type> <hex>", or "none <errno text>".
const NAME_TO_HANDLE = `
import ctypes, os, sys
libc = ctypes.CDLL(None, use_errno=True)
class FH(ctypes.Structure):
    _fields_ = [("handle_bytes", ctypes.c_uint), ("handle_type", ctypes.c_int), ("f_handle", ctypes.c_ubyte * 128)]
fh = FH(); fh.handle_bytes = 128
mount_id = ctypes.c_int()
AT_FDCWD = -100
if libc.name_to_handle_at(AT_FDCWD, sys.argv[1].encode(), ctypes.byref(fh), ctypes.byref(mount_id), 0) != 0:
    print("none", os.strerror(ctypes.get_errno())); sys.exit(0)
print(fh.handle_type, bytes(fh.f_handle[:fh.handle_bytes]).hex())
`;

// open_by_handle_at with the given handle against every file system the sandbox can name.
const OPEN_BY_HANDLE = `
import ctypes, os, sys
libc = ctypes.CDLL(None, use_errno=True)
class FH(ctypes.Structure):
    _fields_ = [("handle_bytes", ctypes.c_uint), ("handle_type", ctypes.c_int), ("f_handle", ctypes.c_ubyte * 128)]
raw = bytes.fromhex(sys.argv[2])
fh = FH(); fh.handle_bytes = len(raw); fh.handle_type = int(sys.argv[1])
ctypes.memmove(fh.f_handle, raw, len(raw))
for p in ["/", "/etc/hosts", "/etc/resolv.conf", "/etc/hostname", "/home/daytona", "/tmp", "/usr", "/var", "/workspace", "/dev/shm"]:
    try:
        mfd = os.open(p, os.O_RDONLY)
    except OSError:
        continue
    fd = libc.open_by_handle_at(mfd, ctypes.byref(fh), os.O_RDONLY)
    if fd >= 0:
        print("READ", p, os.read(fd, 4096).decode(errors="replace")); sys.exit(0)
    print("denied", p, os.strerror(ctypes.get_errno()))
`;

test("issue 13: a sandbox cannot reach the host's or another sandbox's files", async (t) => {
  const lab = await startLab(t);
  const a = await lab.ts.daytona.create({ name: "sec-esc-a" });
  const b = await lab.ts.daytona.create({ name: "sec-esc-b" });

  await t.test("remount a system folder read-write and write to it: nothing lands on the host", async () => {
    const name = `.${marker("dt-sec-remount")}`;
    const dirs = ["/opt", "/etc", "/usr", "/var"].filter((d) => fs.existsSync(d));
    const tries = dirs.map((d) => `for s in "sudo -n" ""; do $s mount -o remount,bind,rw ${d}; $s touch ${d}/${name} && break; done`).join("; ");
    await sh(a, `(${tries}) 2>/dev/null; true`);
    const landed = dirs.map((d) => path.join(d, name)).filter((p) => fs.existsSync(p));
    for (const p of landed) fs.rmSync(p, { force: true });
    assert.deepEqual(landed, [], "files written on the host from inside a sandbox");
  });

  await t.test("open_by_handle_at with a host file's handle reads nothing", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dt-sec-shocker-"));
    t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
    const secret = marker("host-secret");
    const file = path.join(dir, "secret.txt");
    fs.writeFileSync(file, secret);
    const handle = execFileSync("python3", ["-c", NAME_TO_HANDLE, file], { encoding: "utf8" }).trim().split(" ");
    assert.notEqual(handle[0], "none", `the host cannot make a handle: ${handle.join(" ")}`);
    const r = await py(a, OPEN_BY_HANDLE, handle);
    assert.ok(!r.out.includes(secret), `read a host file by handle:\n${r.out}`);
  });

  await t.test("open_by_handle_at with another sandbox's file handle reads nothing", async () => {
    const secret = marker("b-secret");
    await b.fs.uploadFile(Buffer.from(secret), "/home/daytona/secret-by-handle.txt");
    const made = await py(b, NAME_TO_HANDLE, ["/home/daytona/secret-by-handle.txt"]);
    const handle = made.out.trim().split(" ");
    // No handle at all (overlay without nfs_export) means the attack has nothing to start from.
    if (handle[0] === "none") return;
    const r = await py(a, OPEN_BY_HANDLE, handle);
    assert.ok(!r.out.includes(secret), `read sandbox B's file by handle:\n${r.out}`);
  });

  await t.test("another sandbox's files are not readable through /proc or a search of the tree", async () => {
    const name = marker("b-only");
    const secret = marker("b-content");
    await b.fs.uploadFile(Buffer.from(secret), `/home/daytona/${name}`);
    // A process of B that sits in B's home, so /proc/<pid>/cwd would name it if A could see B's processes.
    await b.process.createSession("hold");
    await b.process.executeSessionCommand("hold", { command: "cd /home/daytona && sleep 120", runAsync: true });
    const r = await sh(
      a,
      `cat /proc/[0-9]*/cwd/${name} /proc/[0-9]*/root/home/daytona/${name} 2>/dev/null; ` +
        `timeout 25 find / \\( -path /proc -o -path /sys -o -path /dev \\) -prune -o -name ${name} -print 2>/dev/null | head -5 | while read f; do cat "$f"; done; true`,
      60,
    );
    assert.ok(!r.out.includes(secret), `sandbox A read sandbox B's file:\n${r.out.slice(0, 500)}`);
  });
});
