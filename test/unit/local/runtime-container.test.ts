// The container runtime on its own: the container's create body as data, a PTY's resize applied before
// the next input, kill taking a whole tree (orphans of the exec's session included), the instance label
// keeping two servers' containers apart, and the clear error without an engine.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { PassThrough } from "node:stream";
import { text as streamText } from "node:stream/consumers";
import Docker from "dockerode";
import type { SandboxProcess, SandboxRuntimeInfo } from "../../../src/local/contract";
import { createRuntime } from "../../../src/local/runtime/index";
import { containerName, containerSpec, INSTANCE_LABEL, PIDS_LIMIT, SANDBOX_NETWORK } from "../../../src/local/runtime/containers";
import { EngineUnavailableError } from "../../../src/local/runtime/engine";
import { runtimeDataDir } from "./cli";

const info = (id: string, extra: Partial<SandboxRuntimeInfo> = {}): SandboxRuntimeInfo => ({ id, user: "daytona", env: {}, networkBlockAll: false, ...extra });

const tmpData = (t: { after(fn: () => Promise<void>): void }): string => runtimeDataDir(t, "rt-test-");

async function output(p: SandboxProcess, until: RegExp, ms = 10_000): Promise<string> {
  let text = "";
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${until} in: ${JSON.stringify(text)}`)), ms);
    p.stdout.on("data", (c: Buffer) => {
      text += c.toString("utf8");
      if (until.test(text)) {
        clearTimeout(timer);
        resolve(text);
      }
    });
  });
}

test("the container's create body", () => {
  const spec = containerSpec(info("s1", { env: { A: "1" }, resources: { cpu: 8, memory: 2, disk: 5 } }), { instance: "abc", image: "img", hostCpus: 2 });
  assert.equal(spec.name, containerName("abc", "s1"));
  assert.deepEqual(spec.Labels, { [INSTANCE_LABEL]: "abc", "io.daytona.local.sandbox": "s1" });
  // Idles reading the stdin its server holds (the watchdog): it stops when the server dies.
  assert.deepEqual(spec.Entrypoint, ["/bin/sh", "-c", "exec cat >/dev/null"]);
  assert.equal(spec.OpenStdin, true);
  assert.equal(spec.StdinOnce, true);
  assert.equal(spec.WorkingDir, "/home/daytona");
  assert.deepEqual(spec.Env, ["A=1"]);
  const hc = spec.HostConfig!;
  assert.equal(hc.Privileged, false);
  assert.equal(hc.CapAdd, undefined);
  assert.equal(hc.SecurityOpt, undefined);
  assert.equal(hc.NanoCpus, 2e9, "capped at the host's cores");
  assert.equal(hc.Memory, 2 * 1024 ** 3);
  assert.equal(hc.MemorySwap, hc.Memory, "no swap on top of the limit");
  assert.equal(hc.PidsLimit, PIDS_LIMIT);
  assert.equal(hc.NetworkMode, SANDBOX_NETWORK);
  assert.equal(hc.Binds, undefined);
  assert.equal(containerSpec(info("s2", { networkBlockAll: true }), { instance: "abc", image: "img", hostCpus: 2 }).HostConfig!.NetworkMode, "none");
  const dind = containerSpec(info("s3", { docker: true }), { instance: "abc", image: "img", hostCpus: 2, dockerSocketDir: "/d/docker/s3" });
  assert.deepEqual(dind.HostConfig!.Binds, ["/d/docker/s3:/run/daytona-docker:ro"]);
  assert.ok(dind.Env!.includes("DOCKER_HOST=unix:///run/daytona-docker/docker.sock"));
});

test("PTY resize applies before the next input; kill takes the whole tree", async (t) => {
  const rt = await createRuntime({ dataDir: tmpData(t) });
  const sb = info(`rt-${process.pid}`);
  t.after(async () => {
    await rt.remove(sb.id);
    await rt.close();
  });
  await rt.create(sb, rt.baseImage);
  const pty = await rt.spawn(sb, ["/bin/bash", "--norc", "-i"], { pty: { cols: 80, rows: 24 } });
  await pty.resize(100, 30);
  pty.stdin.write("stty size\n");
  assert.match(await output(pty, /30 100/), /30 100/);
  pty.kill("SIGKILL");
  assert.equal(await pty.exited, 137);

  // The main process and its orphan (a subshell's background child, reparented away) each say "up"
  // once they run the marked command: the count below waits on that, not on a guess of how long a
  // loaded engine takes to start them.
  const tag = `tree-${process.pid}`;
  const marked = `python3 -c "import time; print('up', flush=True); time.sleep(777)" ${tag}`;
  const tree = await rt.spawn(sb, ["/bin/bash", "-c", `(${marked} &); exec ${marked}`]);
  tree.stdin.end();
  await output(tree, /up\s+up/, 30_000);
  // Output is read to its end: the exit may be known before the last bytes are delivered (under load
  // the spawn's answer, its output and its exit arrive together, and a listener added after the exit
  // resolved saw nothing: "0 of 2").
  const ps = async () => {
    const p = await rt.spawn(sb, ["ps", "-wweo", "args"]);
    p.stdin.end();
    const [text, code] = await Promise.all([streamText(p.stdout), p.exited]);
    assert.equal(code, 0);
    return text.split("\n").filter((l) => l.startsWith("python3 -c") && l.endsWith(tag)).length;
  };
  assert.equal(await ps(), 2);
  tree.kill("SIGKILL");
  // Its exit counts once every holder of its pipes is gone (the orphan holds them too).
  await tree.exited;
  assert.equal(await ps(), 0, "the orphan left with the rest");
});

test("each server acts on its own instance's containers only", async (t) => {
  const docker = new Docker({ socketPath: "/var/run/docker.sock" });
  const rt1 = await createRuntime({ dataDir: tmpData(t) });
  const rt2 = await createRuntime({ dataDir: tmpData(t) });
  const s1 = info(`inst1-${process.pid}`);
  const s2 = info(`inst2-${process.pid}`);
  t.after(async () => {
    await rt1.remove(s1.id);
    await rt2.remove(s2.id);
    await rt1.close();
    await rt2.close();
  });
  await Promise.all([rt1.create(s1, rt1.baseImage), rt2.create(s2, rt2.baseImage)]);
  // Server 1 restarts knowing no sandbox: it removes its orphan, never server 2's container.
  await rt1.reconcile(new Set());
  assert.equal(await rt1.status(s1.id), "missing");
  assert.equal(await rt2.status(s2.id), "running");
  const two = await docker.listContainers({ filters: { label: [`${INSTANCE_LABEL}`] } });
  assert.ok(two.some((c) => c.Names.some((n) => n.endsWith(s2.id))));
  // Stopping server 2 stops what it started; its next start finds the container and starts it again.
  await rt2.close();
  assert.equal(await rt2.status(s2.id), "stopped");
  await rt2.start(s2);
  assert.equal(await rt2.status(s2.id), "running");
});

test("without an engine the runtime says what to install", async () => {
  const before = process.env.DOCKER_HOST;
  process.env.DOCKER_HOST = "unix:///nonexistent/docker.sock";
  try {
    await assert.rejects(createRuntime({ dataDir: fs.mkdtempSync(path.join(os.tmpdir(), "rt-noengine-")) }), (e: Error) => {
      assert.ok(e instanceof EngineUnavailableError);
      assert.match(e.message, /No Docker engine answers at \/nonexistent\/docker\.sock/);
      assert.match(e.message, /sudo bash scripts\/setup-docker\.sh/);
      return true;
    });
  } finally {
    if (before === undefined) delete process.env.DOCKER_HOST;
    else process.env.DOCKER_HOST = before;
  }
});

test("an upload half-written at a commit is not in containers made from the image", async (t) => {
  const rt = await createRuntime({ dataDir: tmpData(t) });
  const sb = info(`partial-${process.pid}`);
  const copy = info(`partial-copy-${process.pid}`);
  let image = "";
  t.after(async () => {
    await rt.remove(sb.id);
    await rt.remove(copy.id);
    if (image) await rt.removeImage(image);
    await rt.close();
  });
  await rt.create(sb, rt.baseImage);
  const source = new PassThrough();
  const upload = rt.files(sb).write("/home/daytona/big.bin", source);
  source.write(Buffer.alloc(1024 * 1024, 1));
  let staged: string[] = [];
  for (let i = 0; i < 40 && staged.length === 0; i++) {
    staged = (await rt.files(sb).list("/home/daytona", 1)).map((e) => e.name).filter((n) => n.includes(".daytona-upload-"));
    if (staged.length === 0) await new Promise((r) => setTimeout(r, 100));
  }
  assert.equal(staged.length, 1, "the upload is staged as a hidden sibling");
  image = (await rt.commit(sb.id, "fork", copy.id)).image;
  await rt.create(copy, image);
  const names = (await rt.files(copy).list("/home/daytona", 1)).map((e) => e.name);
  assert.ok(!names.some((n) => n.includes(".daytona-upload-") || n === "big.bin"), names.join(" "));
  source.end(Buffer.alloc(10));
  await upload;
  assert.equal((await rt.files(sb).stat("/home/daytona/big.bin")).size, 1024 * 1024 + 10);
});
