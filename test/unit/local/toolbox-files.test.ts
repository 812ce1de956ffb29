// Every file operation through the unmodified SDK's sandbox.fs against the local server.
import { test } from "node:test";
import assert from "node:assert/strict";
import { DaytonaError } from "@daytonaio/sdk";
import { startTestServer } from "./helpers";

test("files through sandbox.fs", async (t) => {
  const ts = await startTestServer();
  t.after(() => ts.stop());
  const sb = await ts.daytona.create();

  assert.equal(await sb.getUserHomeDir(), "/home/daytona");
  assert.equal(await sb.getWorkDir(), "/home/daytona");

  await t.test("upload several files, list, info, download", async () => {
    await sb.fs.uploadFiles([
      { source: Buffer.from("hello one\n"), destination: "/home/daytona/app/one.txt" },
      { source: Buffer.from("TODO: two\nsecond line\n"), destination: "app/sub/two.ts" },
      { source: Buffer.alloc(3 * 1024 * 1024, 7), destination: "/tmp/big.bin" },
    ]);
    const list = await sb.fs.listFiles("/home/daytona/app");
    assert.deepEqual(list.map((f) => [f.name, f.isDir]), [["one.txt", false], ["sub", true]]);
    const one = list[0];
    assert.equal(one.size, 10);
    assert.equal(one.mode, "-rw-r--r--");
    assert.equal(one.permissions, "0644");
    assert.ok(one.owner && one.group);
    assert.match(one.modTime, /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d/);
    assert.equal((one as { path?: string }).path, "/home/daytona/app/one.txt");
    const deep = await sb.fs.listFiles("app", { depth: 2 });
    assert.ok(deep.some((f) => (f as { path?: string }).path === "/home/daytona/app/sub/two.ts"));

    const info = await sb.fs.getFileDetails("/tmp/big.bin");
    assert.equal(info.size, 3 * 1024 * 1024);
    assert.equal(info.isDir, false);

    const buf = await sb.fs.downloadFile("/home/daytona/app/one.txt");
    assert.equal(buf.toString(), "hello one\n");
    const big = await sb.fs.downloadFile("/tmp/big.bin");
    assert.equal(big.length, 3 * 1024 * 1024);
    assert.ok(big.every((b) => b === 7));
  });

  await t.test("bulk download with one missing path reports an error part", async () => {
    const res = await sb.fs.downloadFiles([{ source: "app/one.txt" }, { source: "/home/daytona/nope.txt" }, { source: "/tmp/quote\"d name ü.txt" }]);
    assert.equal(res[0].result?.toString(), "hello one\n");
    assert.match(String(res[1].error), /not found/i);
    assert.equal(res[1].errorDetails?.code, "FILE_NOT_FOUND");
    assert.ok(res[2].error);
    await sb.fs.uploadFile(Buffer.from("odd"), "/tmp/quote\"d name ü.txt");
    assert.equal((await sb.fs.downloadFile("/tmp/quote\"d name ü.txt")).toString(), "odd");
  });

  await t.test("folders, move, delete, permissions", async () => {
    await sb.fs.createFolder("/home/daytona/ws/proj/a", "750");
    const info = await sb.fs.getFileDetails("/home/daytona/ws/proj/a");
    assert.equal(info.isDir, true);
    assert.equal(info.permissions, "0750");
    await sb.fs.uploadFile(Buffer.from("x"), "/home/daytona/ws/proj/a/f.txt");
    await sb.fs.moveFiles("/home/daytona/ws/proj/a/f.txt", "/home/daytona/ws/proj/g.txt");
    assert.deepEqual((await sb.fs.listFiles("/home/daytona/ws/proj")).map((f) => f.name), ["a", "g.txt"]);
    await sb.fs.setFilePermissions("/home/daytona/ws/proj/g.txt", { mode: "755" });
    const g = await sb.fs.getFileDetails("/home/daytona/ws/proj/g.txt");
    assert.equal(g.permissions, "0755");
    assert.equal(g.mode, "-rwxr-xr-x");
    await sb.fs.setFilePermissions("/home/daytona/ws/proj/g.txt", { owner: g.owner, group: g.group });
    await assert.rejects(sb.fs.setFilePermissions("/home/daytona/ws/proj/g.txt", { owner: "no-such-user-xyz" }), (e: DaytonaError) => e.statusCode === 400);
    await assert.rejects(sb.fs.deleteFile("/home/daytona/ws/proj"), (e: DaytonaError) => e.statusCode === 400);
    await sb.fs.deleteFile("/home/daytona/ws/proj", true);
    await assert.rejects(sb.fs.getFileDetails("/home/daytona/ws/proj"), (e: DaytonaError) => e.code === "FILE_NOT_FOUND" && e.statusCode === 404);
    await assert.rejects(sb.fs.deleteFile("/home/daytona/ws/proj/missing"), (e: DaytonaError) => e.statusCode === 404);
  });

  await t.test("find, search, replace", async () => {
    const matches = await sb.fs.findFiles("/home/daytona/app", "TODO:");
    assert.deepEqual(matches, [{ file: "/home/daytona/app/sub/two.ts", line: 1, content: "TODO: two" }]);
    const found = await sb.fs.searchFiles("/home/daytona", "*.ts");
    assert.deepEqual(found.files, ["/home/daytona/app/sub/two.ts"]);
    assert.deepEqual((await sb.fs.searchFiles("/home/daytona/app", "o?e.*")).files, ["/home/daytona/app/one.txt"]);
    const results = await sb.fs.replaceInFiles(["/home/daytona/app/one.txt", "/home/daytona/missing.txt"], "one", "uno");
    assert.equal(results[0].success, true);
    assert.equal(results[1].success, false);
    assert.equal((await sb.fs.downloadFile("app/one.txt")).toString(), "hello uno\n");
  });

  await t.test("host system paths read-only, writes outside refused", async () => {
    const os = await sb.fs.downloadFile("/etc/os-release");
    assert.ok(os.length > 0);
    await assert.rejects(sb.fs.uploadFile(Buffer.from("x"), "/usr/x"), (e: DaytonaError) => e.statusCode === 403);
    await assert.rejects(sb.fs.createFolder("/etc/x", "755"), (e: DaytonaError) => e.statusCode === 403);
    await assert.rejects(sb.fs.deleteFile("/tmp", true), (e: DaytonaError) => e.statusCode === 403);
  });
});

test("a folder of more entries than one lstat batch lists every entry once, sorted, with depth", async (t) => {
  const ts = await startTestServer();
  t.after(() => ts.stop());
  const sb = await ts.daytona.create();
  const made = await sb.process.executeCommand('mkdir -p many/d && cd many && for i in $(seq 1 1234); do echo $i > "f$i"; done && echo x > d/inner && ln -s f1 link');
  assert.equal(made.exitCode, 0, made.result);
  const list = await sb.fs.listFiles("many");
  const names = list.map((f) => f.name);
  assert.equal(names.length, 1234 + 2);
  assert.deepEqual(names, [...names].sort());
  assert.equal(new Set(names).size, names.length);
  const f77 = list.find((f) => f.name === "f77")!;
  assert.equal(f77.size, 3);
  assert.equal((f77 as { path?: string }).path, "/home/daytona/many/f77");
  assert.match(list.find((f) => f.name === "link")!.mode, /^L/);
  // depth 2 walks into d/ at its place in the order, across batch boundaries
  const deep = await sb.fs.listFiles("many", { depth: 2 });
  assert.equal(deep.length, 1234 + 3);
  assert.ok(deep.some((f) => (f as { path?: string }).path === "/home/daytona/many/d/inner"));
});
