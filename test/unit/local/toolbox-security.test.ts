// Security corpus: hostile paths through every toolbox file endpoint and through commands run in a
// sandbox. No sandbox may read or write another's files, the data dir, or anything outside its own
// writable directories; networkBlockAll cuts a command off from a TCP server on 127.0.0.1.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as net from "node:net";
import * as path from "node:path";
import type { Sandbox } from "@daytonaio/sdk";
import { startTestServer } from "./helpers";

const SECRET = "top-secret-of-b";

/** Every file under `dir` (host), as absolute paths. */
function allFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) if (e.isFile()) out.push(path.join(e.parentPath ?? (e as unknown as { path: string }).path, e.name));
  return out;
}

async function expectFails(what: string, p: Promise<unknown>): Promise<void> {
  await assert.rejects(p, (e: { statusCode?: number }) => {
    assert.ok([400, 403, 404].includes(e.statusCode ?? 0), `${what}: unexpected error ${String(e)}`);
    return true;
  }, what);
}

test("security corpus", async (t) => {
  const ts = await startTestServer();
  t.after(() => ts.stop());
  const dataDir = fs.realpathSync(ts.dataDir);
  const a = await ts.daytona.create({ name: "sec-a" });
  const b = await ts.daytona.create({ name: "sec-b" });
  await b.fs.uploadFile(Buffer.from(SECRET), "/home/daytona/secret.txt");
  const bHome = path.join(dataDir, "sandboxes", b.id, "home");
  const aRoot = path.join(dataDir, "sandboxes", a.id);
  assert.equal(fs.readFileSync(path.join(bHome, "secret.txt"), "utf8"), SECRET);

  // Links made inside A that point at B's host dir, the data dir and the host root.
  const ln = await a.process.executeCommand(
    `ln -s ${bHome} /home/daytona/linkB && ln -s ${dataDir} /tmp/linkData && ln -s / /home/daytona/root && ln -s /etc /home/daytona/etcLink && ln -s ../../../../../../${bHome.slice(1)} /workspace/relB`,
  );
  assert.equal(ln.exitCode, 0, ln.result);

  const long = "x".repeat(5000);
  const hostileReads = [
    `../../../../../../../../${bHome.slice(1)}/secret.txt`,
    `/home/daytona/../../../${bHome.slice(1)}/secret.txt`,
    `${bHome}/secret.txt`,
    `${dataDir}`,
    `${dataDir}/sandboxes`,
    "/home/daytona/linkB/secret.txt",
    "/tmp/linkData/sandboxes",
    `/home/daytona/root${bHome}/secret.txt`,
    "/workspace/relB/secret.txt",
    "/home/daytona/secret\0.txt",
    `/home/daytona/${long}`,
    "/root",
    "/proc/self/environ",
  ];

  await t.test("hostile paths through read endpoints", async () => {
    for (const p of hostileReads) {
      await expectFails(`download ${p}`, a.fs.downloadFile(p));
      await expectFails(`info ${p}`, a.fs.getFileDetails(p));
      await expectFails(`list ${p}`, a.fs.listFiles(p));
      const found = await a.fs.findFiles(p, "secret").catch(() => []);
      assert.ok(!JSON.stringify(found).includes(SECRET), `find ${p}`);
      const searched = await a.fs.searchFiles(p, "secret*").catch(() => ({ files: [] }));
      assert.deepEqual(searched.files, [], `search ${p}`);
    }
    const bulk = await a.fs.downloadFiles(hostileReads.map((p) => ({ source: p })));
    for (const r of bulk) assert.ok(r.error && !r.result, `bulk ${r.source}`);
    // A FIFO made inside the sandbox must not hang the server.
    assert.equal((await a.process.executeCommand("mkfifo /tmp/fifo")).exitCode, 0);
    await expectFails("download fifo", a.fs.downloadFile("/tmp/fifo"));
    assert.equal((await a.fs.replaceInFiles(["/tmp/fifo"], "a", "b"))[0].success, false);
    // Host system paths are readable through a link, but never writable.
    assert.ok((await a.fs.downloadFile("/home/daytona/etcLink/os-release")).length > 0);
  });

  await t.test("commands cannot reach other sandboxes, the data dir or the host", async () => {
    const run = (c: string) => a.process.executeCommand(c);
    const cat = await run(`cat ${bHome}/secret.txt`);
    assert.notEqual(cat.exitCode, 0);
    assert.ok(!cat.result.includes(SECRET));
    const ls = await run(`ls -a ${dataDir} ${dataDir}/sandboxes`);
    assert.ok(!ls.result.includes(b.id), ls.result);
    assert.notEqual((await run("touch /usr/x")).exitCode, 0);
    assert.notEqual((await run(`echo evil > ${bHome}/evil-cmd`)).exitCode, 0);
    assert.ok(!fs.existsSync(path.join(bHome, "evil-cmd")));
    // Everything the sandbox can see except /proc and /dev (endless files), bounded in time.
    const grep = await a.process.executeCommand(`timeout 20 grep -rIs ${SECRET} /home /tmp /workspace /etc /srv /run | head -1`, undefined, undefined, 30);
    assert.ok(!grep.result.includes(SECRET), grep.result);
    assert.ok(!(await run("ls /root /work 2>&1")).result.includes("main"));
  });

  await t.test("hostile paths through write endpoints", async () => {
    const targets = [...hostileReads, `${bHome}/evil.txt`, "/home/daytona/linkB/evil.txt", "/workspace/relB/evil.txt", "/home/daytona/root/usr/evil.txt", "/home/daytona/etcLink/evil.txt", "/usr/evil.txt", "/etc/evil.txt", "/evil.txt", "/home/evil.txt"];
    await a.fs.uploadFile(Buffer.from("mine"), "/home/daytona/mine.txt");
    for (const p of targets) {
      await a.fs.uploadFile(Buffer.from("evil"), p).catch(() => undefined);
      await a.fs.createFolder(`${p}-dir`, "755").catch(() => undefined);
      await a.fs.setFilePermissions(p, { mode: "777" }).catch(() => undefined);
      await a.fs.replaceInFiles([p], SECRET, "pwned").catch(() => undefined);
      await a.fs.moveFiles(p, "/home/daytona/stolen.txt").catch(() => undefined);
      await a.fs.moveFiles("/home/daytona/mine.txt", p).catch(() => undefined);
      await a.fs.deleteFile(p, true).catch(() => undefined);
      if (!fs.existsSync(path.join(aRoot, "home", "mine.txt"))) await a.fs.uploadFile(Buffer.from("mine"), "/home/daytona/mine.txt");
    }
    // B is untouched, nothing was created outside A's own directory, and nothing was stolen.
    assert.deepEqual(allFiles(bHome).map((f) => path.basename(f)).sort(), ["secret.txt"]);
    assert.equal(fs.readFileSync(path.join(bHome, "secret.txt"), "utf8"), SECRET);
    assert.equal((fs.statSync(path.join(bHome, "secret.txt")).mode & 0o777).toString(8), "644");
    for (const f of allFiles(dataDir)) if (/evil|stolen/.test(f)) assert.ok(f.startsWith(aRoot + "/"), `created outside A: ${f}`);
    for (const f of ["/usr/evil.txt", "/etc/evil.txt", "/evil.txt", "/home/evil.txt"]) assert.ok(!fs.existsSync(f), f);
    for (const f of allFiles(aRoot)) assert.ok(!fs.existsSync(f) || !fs.readFileSync(f, "utf8").includes(SECRET), `secret copied into A: ${f}`);
  });

  await t.test("networkBlockAll cuts a command off from 127.0.0.1", async () => {
    let connections = 0;
    const srv = net.createServer((s) => {
      connections++;
      s.end("hello\n");
    });
    await new Promise<void>((r) => srv.listen(0, "127.0.0.1", () => r()));
    t.after(() => new Promise<void>((r) => srv.close(() => r())));
    const port = (srv.address() as net.AddressInfo).port;
    const probe = `exec 3<>/dev/tcp/127.0.0.1/${port} && head -1 <&3`;
    const open: Sandbox = a;
    const ok = await open.process.executeCommand(probe);
    assert.equal(ok.exitCode, 0, ok.result);
    assert.equal(ok.result, "hello\n");
    assert.equal(connections, 1);
    const blocked = await ts.daytona.create({ networkBlockAll: true });
    const r = await blocked.process.executeCommand(probe);
    assert.notEqual(r.exitCode, 0);
    assert.equal(connections, 1);
  });
});
