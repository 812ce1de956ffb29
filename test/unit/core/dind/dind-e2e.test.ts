// Docker-in-Docker end to end: the real SDK against the local server, whose docker:*-dind sandboxes
// reach this machine's Docker engine (scripts/setup-docker.sh). Plan a three-service compose file,
// bring it up, use each service through ServiceTarget, fail a bring-up, tear down.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs/promises";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { planFromPath } from "../../../../src/core/config";
import { DaytonaClient } from "../../../../src/core/daytona/client";
import { DindError, bringUp, discoverServices, teardown, type DindPlan } from "../../../../src/core/dind";
import { SandboxTarget } from "../../../../src/core/targets/sandboxTarget";
import { ServiceTarget } from "../../../../src/core/targets/serviceTarget";
import { startTestServer } from "../../local/helpers";
import { requireDocker, sh } from "./dockerHere";

const hostContainers = async (project: string) => (await sh(`docker ps -aq --filter label=com.docker.compose.project=${project}`)).output.trim();

async function planOf(dir: string, compose: string): Promise<DindPlan> {
  await fs.mkdir(dir, { recursive: true });
  await fs.writeFile(path.join(dir, "compose.yaml"), compose);
  const r = await planFromPath(dir, { snapshotPrefix: "dind-e2e" });
  assert.ok(r.plan, JSON.stringify(r.diagnostics));
  assert.equal(r.plan.kind, "compose-dind");
  return r.plan as DindPlan;
}

test("DinD bring-up, services as targets, failing bring-up, teardown", async (t) => {
  if (!(await requireDocker(t))) return;
  const ts = await startTestServer();
  const tmp = await fs.mkdtemp(path.join(tmpdir(), "dind-e2e-"));
  const client = new DaytonaClient({ apiUrl: ts.server.apiUrl, apiKey: ts.server.token, target: "local" });
  const project = `dinde2e${process.pid}`;
  t.after(async () => {
    await client.dispose();
    await ts.stop();
    await fs.rm(tmp, { recursive: true, force: true });
    await sh(`docker rm -f $(docker ps -aq --filter label=com.docker.compose.project=${project}) $(docker ps -aq --filter label=com.docker.compose.project=${project}bad) 2>/dev/null`);
  });
  const logs: string[] = [];
  const log = (l: string) => logs.push(l);

  const plan = await planOf(
    // The folder names the project (compose v1 refuses a top-level name:).
    path.join(tmp, project),
    `services:
  web:
    image: daytona-local/busybox
    command: httpd -f -p 8080
  sleeper:
    image: daytona-local/busybox
    command: sleep 3600
  withenv:
    image: daytona-local/busybox
    command: sleep 3600
    environment:
      GREETING: "hello $$(not run) 'q'"
`,
  );
  const t0 = performance.now();
  const up = await bringUp(client, plan, { log, syncCacheDir: path.join(tmp, "cache") });
  t.diagnostic(`bring-up ${(performance.now() - t0).toFixed(0)} ms with compose ${up.composeVersion}`);
  assert.deepEqual(up.services.map((s) => s.name), ["web", "sleeper", "withenv"]);
  assert.equal(up.project, project);
  assert.ok(logs.some((l) => l.includes("compose") && l.includes(" up")), logs.join("\n"));

  const sandbox = await SandboxTarget.create(await client.toolbox(up.sandboxId), up.sandboxId);
  assert.deepEqual((await discoverServices(sandbox, project)).map((s) => [s.name, s.state]), [["sleeper", "running"], ["web", "running"], ["withenv", "running"]]);

  for (const name of ["web", "sleeper", "withenv"]) {
    const svc = new ServiceTarget(sandbox, project, name);
    assert.equal(svc.key, `${up.sandboxId}+${name}`);
    assert.equal(await svc.container(), up.services.find((s) => s.name === name)!.containerId);
    assert.deepEqual(await svc.exec(["echo", name]), { exitCode: 0, output: `${name}\n` });
    const file = `/tmp/it's ${name} $(x)`;
    await svc.write(file, Buffer.from(`from ${name}\n\u0000\u00ff`));
    assert.equal(Buffer.from(await svc.read(file)).toString("latin1"), Buffer.from(`from ${name}\n\u0000\u00ff`).toString("latin1"));
    assert.ok((await svc.list("/tmp")).some(([n]) => n === path.posix.basename(file)));
  }
  const withenv = new ServiceTarget(sandbox, project, "withenv");
  assert.equal((await withenv.exec(["sh", "-c", 'echo "$GREETING"'])).output, "hello $(not run) 'q'\n");
  const web = new ServiceTarget(sandbox, project, "web");
  assert.equal((await web.exec(["sh", "-c", "pidof httpd >/dev/null && echo serving"])).output, "serving\n");

  await t.test("a bring-up whose service exits deletes its sandbox and reports compose's output", async () => {
    const bad = await planOf(
      path.join(tmp, `${project}bad`),
      `services:
  ok:
    image: daytona-local/busybox
    command: sleep 3600
  broken:
    image: daytona-local/busybox
    command: sh -c "echo broken-service-says-boom; exit 1"
`,
    );
    const before = (await client.listSandboxes()).map((s) => s.id);
    const failLogs: string[] = [];
    await assert.rejects(
      bringUp(client, bad, { log: (l) => failLogs.push(l) }),
      (e: unknown) => e instanceof DindError && /broken/.test(e.message) && /broken-service-says-boom/.test(e.output ?? e.message) && /deleted/.test(e.message),
    );
    assert.ok(failLogs.some((l) => l.startsWith("Bring-up failed; deleting sandbox")), failLogs.join("\n"));
    const id = /deleting sandbox (\S+)/.exec(failLogs.join("\n"))?.[1];
    assert.ok(id && !before.includes(id));
    // Deleted, or on its way (the server may keep a destroyed record for a moment).
    const left = (await client.listSandboxes()).find((s) => s.id === id);
    assert.ok(!left || left.state === "destroyed" || left.state === "destroying", `sandbox ${id} is ${left?.state}`);
    assert.equal(await hostContainers(`${project}bad`), "");
  });

  await t.test("teardown leaves no containers and no sandbox", async () => {
    await teardown(client, up.sandboxId, project, { log, compose: { projectDir: up.projectDir, file: up.file } });
    assert.equal(await hostContainers(project), "");
    const left = await client.getSandbox(up.sandboxId).catch(() => undefined);
    assert.ok(!left || left.state === "destroyed" || left.state === "destroying", `sandbox is ${left?.state}`);
  });
});
