// ServiceTarget against a real Docker engine and a busybox container labelled like compose's, with
// this machine's shell standing in for the sandbox (the same exec contract as the toolbox).
import { test } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { ServiceTarget, skipUntilMark } from "../../../../src/core/targets/serviceTarget";
import { FileKind, TargetError } from "../../../../src/core/targets/target";
import { IMAGE, hostTarget, requireDocker, sh } from "./dockerHere";

const code = (c: string) => (e: unknown) => e instanceof TargetError && e.code === c;

async function startService(project: string, service: string, extra: string[] = []): Promise<string> {
  const r = await sh(["docker run -d", ...extra, `--label com.docker.compose.project=${project}`, `--label com.docker.compose.service=${service}`, IMAGE, "sleep 600"].join(" "));
  assert.equal(r.exitCode, 0, r.output);
  return r.output.trim();
}

test("ServiceTarget: files, exec and errors through docker exec", async (t) => {
  if (!(await requireDocker(t))) return;
  const project = `svct${process.pid}`;
  t.after(() => sh(`docker rm -f $(docker ps -aq --filter label=com.docker.compose.project=${project}) >/dev/null 2>&1`));
  await startService(project, "app", ["-w /app", "-e HELLO=world"]);
  const host = hostTarget();
  const svc = new ServiceTarget(host, project, "app", "app");
  assert.equal(svc.key, "host+app");

  await t.test("working dir, home, exec with cwd, exit codes and output", async () => {
    assert.equal(await svc.workingDir(), "/app");
    assert.equal(await svc.homeDir(), "/app");
    assert.deepEqual(await svc.exec(["sh", "-c", 'echo "$HELLO $1"; pwd', "sh", "$(x) 'y'"]), { exitCode: 0, output: "world $(x) 'y'\n/app" });
    assert.deepEqual(await svc.exec(["pwd"], { cwd: "/tmp" }), { exitCode: 0, output: "/tmp" });
    assert.equal((await svc.exec(["sh", "-c", "exit 7"])).exitCode, 7);
  });

  const dir = "/app/d it's $(x)";
  await t.test("write, read (binary, empty, 1 MiB), stat and list with hostile names", async () => {
    await svc.mkdir(dir);
    const bytes = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    await svc.write(`${dir}/bin\nary`, bytes);
    assert.deepEqual(Buffer.from(await svc.read(`${dir}/bin\nary`)), bytes);
    await svc.write(`${dir}/empty`, new Uint8Array());
    assert.equal((await svc.read(`${dir}/empty`)).length, 0);
    const big = randomBytes(1 << 20);
    let t0 = performance.now();
    await svc.write(`${dir}/big`, big);
    const wMs = performance.now() - t0;
    t0 = performance.now();
    assert.ok(Buffer.from(await svc.read(`${dir}/big`)).equals(big));
    const rMs = performance.now() - t0;
    t.diagnostic(`1 MiB through a local engine: write ${wMs.toFixed(0)} ms, read ${rMs.toFixed(0)} ms`);
    const st = await svc.stat(`${dir}/big`);
    assert.equal(st.type, FileKind.File);
    assert.equal(st.size, 1 << 20);
    assert.ok(Math.abs(st.mtime - Date.now()) < 60_000);
    const names = (await svc.list(dir)).map(([n, s]) => [n, s.type]).sort();
    assert.deepEqual(names, [["big", FileKind.File], ["bin\nary", FileKind.File], ["empty", FileKind.File]]);
    const leftovers = await sh("ls -a /tmp | grep -c '^.daytona-service-' || true");
    assert.equal(leftovers.output, "0", "temp files in the sandbox are removed");
  });

  await t.test("overwrite keeps the mode; rename, copy, remove", async () => {
    await svc.exec(["chmod", "755", `${dir}/empty`]);
    await svc.write(`${dir}/empty`, Buffer.from("#!/bin/sh\necho ran\n"));
    assert.equal((await svc.stat(`${dir}/empty`)).mode, 0o755);
    assert.equal((await svc.exec([`${dir}/empty`])).output, "ran");
    await svc.rename(`${dir}/empty`, `${dir}/run.sh`);
    await svc.copy(`${dir}/run.sh`, `${dir}/copy.sh`);
    assert.equal(Buffer.from(await svc.read(`${dir}/copy.sh`)).toString(), "#!/bin/sh\necho ran\n");
    await svc.remove(`${dir}/copy.sh`, false);
    await assert.rejects(svc.stat(`${dir}/copy.sh`), code("notFound"));
    await svc.mkdir(`${dir}/sub`);
    await assert.rejects(svc.rename(`${dir}/run.sh`, `${dir}/sub`), code("exists"));
    await svc.remove(`${dir}/sub`, false);
  });

  await t.test("errors carry the same codes as SandboxTarget's", async () => {
    await assert.rejects(svc.read("/app/missing"), code("notFound"));
    await assert.rejects(svc.read(dir), code("isDirectory"));
    await assert.rejects(svc.list("/app/missing"), code("notFound"));
    await assert.rejects(svc.list(`${dir}/run.sh`), code("notDirectory"));
    await assert.rejects(svc.mkdir(dir), code("exists"));
    await assert.rejects(svc.write("/app/no/such/dir/f", Buffer.from("x")), code("notFound"));
    await assert.rejects(svc.remove("/app/missing", true), code("notFound"));
    await assert.rejects(svc.remove(dir, false), (e: unknown) => e instanceof TargetError && /not empty/i.test(e.message));
    await svc.remove(dir, true);
    await assert.rejects(svc.stat(dir), code("notFound"));
  });

  await t.test("permission denied is noPermissions", async () => {
    // Root without DAC_OVERRIDE obeys file modes (the test image's / is 0700, so `-u nobody` cannot run at all).
    await startService(project, "locked", ["--cap-drop DAC_OVERRIDE", "--cap-drop DAC_READ_SEARCH"]);
    const locked = new ServiceTarget(host, project, "locked");
    assert.equal((await locked.exec(["sh", "-c", "echo s > /tmp/ro && chown nobody /tmp/ro && chmod 400 /tmp/ro"])).exitCode, 0);
    await assert.rejects(locked.write("/tmp/ro", Buffer.from("x")), code("noPermissions"));
    await assert.rejects(locked.read("/tmp/ro"), code("noPermissions"));
    assert.equal((await locked.stat("/tmp/ro")).owner, "nobody");
  });

  await t.test("a recreated container is found again by its labels", async () => {
    const before = await svc.container();
    await sh(`docker rm -f ${before}`);
    const after = await startService(project, "app");
    assert.equal((await svc.exec(["echo", "back"])).output, "back");
    assert.equal(await svc.container(), after);
  });

  await t.test("no container: unavailable", async () => {
    const gone = new ServiceTarget(host, project, "nothing");
    await assert.rejects(gone.stat("/"), code("unavailable"));
  });
});

test("PTY output before the RIS mark (our typed command) is dropped, even split across chunks", () => {
  const got: string[] = [];
  const f = skipUntilMark((d) => got.push(Buffer.from(d).toString()));
  f(Buffer.from("$  printf '\\033c'; exec docker exec -it x\r\n\u001b"));
  f(Buffer.from("c/ # "));
  f(Buffer.from("ls\r\n"));
  assert.deepEqual(got, ["\u001bc/ # ", "ls\r\n"]);
});
