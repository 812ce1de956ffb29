// A sandbox is a container: attacks from inside one (run as its user, with sudo where that helps the
// attacker) reach neither the host, nor another sandbox, nor the server's data. Hostile paths through
// every toolbox file endpoint stay inside the sandbox (the kernel confines them; nothing is checked on
// the host). Limits hold: memory, processes (a fork bomb stops at the pids limit).
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as net from "node:net";
import Docker from "dockerode";
import { startTestServer } from "./helpers";
import { containerName, instanceId, PIDS_LIMIT } from "../../../src/local/runtime/containers";

const SECRET = "top-secret-of-b";

async function expectFails(what: string, p: Promise<unknown>): Promise<void> {
  await assert.rejects(
    p,
    (e: { statusCode?: number }) => {
      assert.ok([400, 403, 404].includes(e.statusCode ?? 0), `${what}: unexpected error ${String(e)}`);
      return true;
    },
    what,
  );
}

test("sandbox isolation", async (t) => {
  const ts = await startTestServer();
  t.after(() => ts.stop());
  const docker = new Docker({ socketPath: "/var/run/docker.sock" });
  const dataDir = fs.realpathSync(ts.dataDir);
  const cname = (id: string) => containerName(instanceId(dataDir), id);
  const [a, b] = await Promise.all([ts.daytona.create({ name: "iso-a" }), ts.daytona.create({ name: "iso-b" })]);
  await b.fs.uploadFile(Buffer.from(SECRET), "/home/daytona/secret.txt");
  // Where B's files are on the host (the container's merged overlay): the path an attacker would aim at.
  const bInfo = await docker.getContainer(cname(b.id)).inspect();
  const bMerged = (bInfo.GraphDriver.Data as Record<string, string>).MergedDir ?? "/var/lib/docker";
  const bHome = `${bMerged}/home/daytona`;
  const run = (c: string, timeout = 60) => a.process.executeCommand(c, undefined, undefined, timeout);

  await t.test("the container's shape: user, no privilege, limits, own network", async () => {
    assert.equal((await run("id")).result, "uid=1000(daytona) gid=1000(daytona) groups=1000(daytona)\n");
    assert.equal((await run("sudo -n id -u")).result, "0\n");
    const hc = (await docker.getContainer(cname(a.id)).inspect()).HostConfig;
    assert.equal(hc.Privileged, false);
    assert.deepEqual(hc.CapAdd ?? [], []);
    assert.equal(hc.PidsLimit, PIDS_LIMIT);
    assert.equal(hc.Memory, 1024 ** 3);
    assert.equal(hc.NanoCpus, 1e9);
    assert.deepEqual(hc.Binds ?? [], []);
    assert.equal(hc.NetworkMode, "daytona-local-sandboxes");
    // Capabilities the attacks below would need are absent even for root inside.
    const capEff = (await run("sudo -n grep CapEff /proc/self/status")).result;
    assert.doesNotMatch(capEff, /1fffeffffff|3fffffffff/);
  });

  await t.test("remount and write, open_by_handle_at, devices: refused even to root inside", async () => {
    const remount = await run("sudo -n mount -o remount,bind,rw /opt 2>&1; echo rc=$?");
    assert.match(remount.result, /rc=[1-9]/);
    const mountHost = await run("sudo -n mount -t proc proc /mnt 2>&1; sudo -n mount /dev/vda /mnt 2>&1; echo rc=$?");
    assert.match(mountHost.result, /rc=[1-9]/);
    // "shocker": open_by_handle_at needs CAP_DAC_READ_SEARCH, which the engine's default set lacks.
    const shocker = await run(
      `sudo -n python3 -c 'import ctypes,os; libc=ctypes.CDLL(None,use_errno=True); buf=ctypes.create_string_buffer(8+128); ctypes.memmove(buf, (ctypes.c_uint*2)(8,1), 8); fd=libc.open_by_handle_at(os.open("/",os.O_RDONLY), buf, 0); print(fd, ctypes.get_errno())'`,
    );
    assert.equal(shocker.result, "-1 1\n", shocker.result);
  });

  await t.test("commands cannot reach another sandbox's files, the data dir or the host", async () => {
    const cat = await run(`sudo -n cat ${bHome}/secret.txt 2>&1`);
    assert.notEqual(cat.exitCode, 0);
    assert.ok(!cat.result.includes(SECRET));
    assert.notEqual((await run(`sudo -n ls ${dataDir} 2>&1`)).exitCode, 0);
    for (const p of ["/work", "/var/lib/docker/overlay2", "/run/docker.sock", "/var/run/docker.sock"]) {
      assert.notEqual((await run(`sudo -n ls ${p} >/dev/null 2>&1`)).exitCode, 0, p);
    }
    const grep = await run(`sudo -n timeout 30 grep -rIs ${SECRET} /home /tmp /etc /srv /run /var /opt /root | head -1`, 60);
    assert.ok(!grep.result.includes(SECRET), grep.result);
    // Root inside writes only the container's own file system.
    assert.equal((await run("sudo -n touch /usr/x-from-a && ls /usr/x-from-a")).exitCode, 0);
    assert.ok(!fs.existsSync("/usr/x-from-a"));
    assert.notEqual((await b.process.executeCommand("ls /usr/x-from-a")).exitCode, 0);
  });

  await t.test("hostile paths through the file endpoints stay inside the sandbox", async () => {
    const ln = await run(`ln -s ${bHome} /home/daytona/linkB && ln -s ${dataDir} /tmp/linkData && ln -s / /home/daytona/root && ln -s /etc /home/daytona/etcLink`);
    assert.equal(ln.exitCode, 0, ln.result);
    const hostileReads = [
      `../../../../../../../../${bHome.slice(1)}/secret.txt`,
      `${bHome}/secret.txt`,
      dataDir,
      "/home/daytona/linkB/secret.txt",
      "/tmp/linkData",
      `/home/daytona/root${bHome}/secret.txt`,
      "/home/daytona/secret\0.txt",
      `/home/daytona/${"x".repeat(5000)}`,
      "/root",
    ];
    for (const p of hostileReads) {
      await expectFails(`download ${p}`, a.fs.downloadFile(p));
      await expectFails(`list ${p}`, a.fs.listFiles(p));
      const found = await a.fs.findFiles(p, "secret").catch(() => []);
      assert.ok(!JSON.stringify(found).includes(SECRET), `find ${p}`);
    }
    const bulk = await a.fs.downloadFiles(hostileReads.map((p) => ({ source: p })));
    for (const r of bulk) assert.ok(r.error && !r.result, `bulk ${r.source}`);
    // A FIFO made inside the sandbox must not hang the server.
    assert.equal((await run("mkfifo /tmp/fifo")).exitCode, 0);
    await expectFails("download fifo", a.fs.downloadFile("/tmp/fifo"));
    assert.equal((await a.fs.replaceInFiles(["/tmp/fifo"], "a", "b"))[0].success, false);
    // Writes: the sandbox's user cannot write system paths; nothing lands on the host or in B.
    for (const p of ["/usr/evil.txt", "/etc/evil.txt", "/evil.txt", `${bHome}/evil.txt`, "/home/daytona/linkB/evil.txt", `${dataDir}/evil.txt`]) {
      await a.fs.uploadFile(Buffer.from("evil"), p).catch(() => undefined);
      await a.fs.deleteFile(p, true).catch(() => undefined);
    }
    for (const p of ["/usr/evil.txt", "/etc/evil.txt", "/evil.txt", `${bHome}/evil.txt`, `${dataDir}/evil.txt`]) assert.ok(!fs.existsSync(p), p);
    assert.equal((await b.process.executeCommand("ls -A /home/daytona | grep -c evil || true")).result, "0\n");
    assert.equal((await b.fs.downloadFile("/home/daytona/secret.txt")).toString(), SECRET);
  });

  await t.test("a symlink swapped during uploads and deletes never leaves the sandbox", async () => {
    // Inside A, flip /home/daytona/race between a directory and a link to / as fast as it can.
    await run("mkdir -p /home/daytona/race-dir && (while true; do ln -sfn / /home/daytona/race; rm -f /home/daytona/race; ln -sfn /home/daytona/race-dir /home/daytona/race; done) >/dev/null 2>&1 &");
    for (let i = 0; i < 15; i++) {
      await a.fs.uploadFiles([{ source: Buffer.from("raced"), destination: `/home/daytona/race/etc-raced-${i}` }]).catch(() => undefined);
      await a.fs.deleteFile("/home/daytona/race/bin", true).catch(() => undefined);
    }
    await run("pkill -f 'ln -sfn' ; true");
    // The sandbox's user could not write /etc or delete /bin through the link, and the host is untouched.
    assert.equal((await run("ls /bin/sh")).exitCode, 0);
    assert.equal((await run("ls / | grep -c etc-raced || true")).result, "0\n");
    assert.ok(fs.readdirSync("/").every((f) => !f.startsWith("etc-raced")));
  });

  await t.test("network: not the host's loopback, not another sandbox's ports; none with networkBlockAll", async () => {
    let connections = 0;
    const srv = net.createServer((s) => {
      connections++;
      s.end("hello\n");
    });
    await new Promise<void>((r) => srv.listen(0, "127.0.0.1", () => r()));
    t.after(() => new Promise<void>((r) => srv.close(() => r())));
    const port = (srv.address() as net.AddressInfo).port;
    const probe = (host: string, p: number) => `timeout 5 bash -c 'exec 3<>/dev/tcp/${host}/${p} && head -1 <&3'`;
    assert.notEqual((await run(probe("127.0.0.1", port))).exitCode, 0);
    assert.equal(connections, 0);
    // B listens on all of its addresses; A cannot reach it, the server (host) can (preview URLs).
    await b.process.createSession("srv");
    await b.process.executeSessionCommand("srv", { command: "python3 -m http.server 8111 --bind 0.0.0.0", runAsync: true });
    const bIp = (await docker.getContainer(cname(b.id)).inspect()).NetworkSettings.Networks["daytona-local-sandboxes"].IPAddress;
    let ok = false;
    for (let i = 0; i < 40 && !ok; i++) {
      ok = (await b.process.executeCommand("timeout 2 bash -c 'exec 3<>/dev/tcp/127.0.0.1/8111'")).exitCode === 0;
      if (!ok) await new Promise((r) => setTimeout(r, 250));
    }
    assert.ok(ok, "B's server is up");
    const fromHost = await fetch(`http://${bIp}:8111/`).then((r) => r.status);
    assert.equal(fromHost, 200);
    assert.notEqual((await run(`timeout 5 bash -c 'exec 3<>/dev/tcp/${bIp}/8111'`)).exitCode, 0);
    const blocked = await ts.daytona.create({ networkBlockAll: true });
    const ifaces = await blocked.process.executeCommand("ls /sys/class/net");
    assert.equal(ifaces.result.trim(), "lo");
    assert.notEqual((await blocked.process.executeCommand(probe("127.0.0.1", port))).exitCode, 0);
    assert.equal(connections, 0);
  });

  await t.test("memory and processes stop at the sandbox's limits", async () => {
    // 2 GiB in a 1 GiB sandbox: the kernel kills it (no swap on top of the limit).
    const mem = await run(`python3 -c 'b = bytearray(2 * 1024**3); print("ALLOC" + "OK")'; echo rc=$?`, 120);
    assert.doesNotMatch(mem.result, /ALLOCOK/);
    assert.match(mem.result, /rc=(137|1)/);
    // A fork bomb is contained: it stops at the pids limit, the sandbox and the host carry on.
    const bomb = await run(`bash -c 'n=0; for i in $(seq ${PIDS_LIMIT + 500}); do sleep 60 & n=$((n+1)); done 2>/dev/null; echo started=$n'; pkill -u daytona sleep; true`, 120);
    const started = Number(/started=(\d+)/.exec(bomb.result)?.[1] ?? "0");
    assert.ok(started < PIDS_LIMIT + 500, `every one of ${started} started: no pids limit`);
    assert.equal((await run("echo alive")).result, "alive\n");
  });
});
