// A Docker-in-Docker sandbox on the local server, driven by the real SDK against a real Docker engine:
// snapshot from docker:28.3.3-dind, compose (v1, what Debian ships) with four services inside the
// sandbox (one built from a Dockerfile), exec into a service, bind mounts translated, stop/start/delete carrying the containers along.
import { test } from "node:test";
import assert from "node:assert/strict";
import type { Sandbox } from "@daytonaio/sdk";
import { engineCall, engineRequest } from "../../../src/local/docker/engine";
import { removeSandboxObjects, SANDBOX_LABEL } from "../../../src/local/docker/services";
import { startTestServer } from "./helpers";
import { requireDocker } from "./dockerEnv";

const COMPOSE = `services:
  web:
    image: daytona-local/busybox
    command: httpd -f -p 8080 -h /www
    volumes:
      - ./site:/www:ro
  worker:
    image: daytona-local/busybox
    command: sleep 3600
  envsvc:
    image: daytona-local/busybox
    command: sleep 3600
    environment:
      FOO: bar-from-compose
    volumes:
      - data:/data
  built:
    build: ./built
    command: sleep 3600
volumes:
  data: {}
`;

interface Container {
  Id: string;
  State: string;
  Labels: Record<string, string>;
}

const projectFilter = (p: string): string => encodeURIComponent(JSON.stringify({ label: [`com.docker.compose.project=${p}`] }));
const containersOf = async (p: string): Promise<Container[]> => (await engineCall("GET", `/containers/json?all=1&filters=${projectFilter(p)}`)) as Container[];

/** The output as printed (Daytona keeps the trailing newline), less one trailing newline for short assertions. */
async function run(sb: Sandbox, command: string, cwd?: string): Promise<string> {
  const r = await sb.process.executeCommand(command, cwd, undefined, 120);
  assert.equal(r.exitCode, 0, `${command} exited ${r.exitCode}: ${r.result}`);
  return r.result.replace(/\n$/, "");
}

test("DinD sandbox: compose services on the host engine follow the sandbox's stop, start and delete", async (t) => {
  if (!(await requireDocker(t))) return;
  const ts = await startTestServer();
  t.after(() => ts.stop());
  const { daytona } = ts;
  const project = `dtl${process.pid}x${Date.now().toString(36)}`;

  await daytona.snapshot.create({ name: "test-dind-2cpu-2gb-0gpu", image: "docker:28.3.3-dind", resources: { cpu: 2, memory: 2 } });
  const sb = await daytona.create({ snapshot: "test-dind-2cpu-2gb-0gpu" });
  t.after(() => removeSandboxObjects(sb.id).catch(() => undefined));
  assert.equal(sb.cpu, 2);

  assert.match(await run(sb, "docker info --format '{{.ServerVersion}}'"), /^\d+\.\d+/);
  assert.equal(await run(sb, "echo $DAYTONA_SANDBOX_ID"), sb.id);
  assert.match(await run(sb, "docker-compose version --short"), /^1\./);

  await sb.fs.createFolder("/home/daytona/app/site", "755");
  await sb.fs.uploadFile(Buffer.from(COMPOSE), "/home/daytona/app/docker-compose.yml");
  await sb.fs.uploadFile(Buffer.from("hello from the sandbox's files\n"), "/home/daytona/app/site/index.html");
  await sb.fs.uploadFile(Buffer.from("FROM daytona-local/busybox\nRUN echo built-here > /marker\n"), "/home/daytona/app/built/Dockerfile");
  await run(sb, `docker-compose -p ${project} -f docker-compose.yml up -d 2>&1`, "/home/daytona/app");

  const up = await containersOf(project);
  assert.equal(up.length, 4);
  assert.deepEqual(up.map((c) => c.Labels["com.docker.compose.service"]).sort(), ["built", "envsvc", "web", "worker"]);
  for (const c of up) {
    assert.equal(c.State, "running");
    assert.equal(c.Labels[SANDBOX_LABEL], sb.id);
    assert.equal(c.Labels["com.docker.compose.project.working_dir"], "/home/daytona/app");
  }
  assert.equal(await run(sb, `docker-compose -p ${project} exec -T envsvc sh -c 'echo $FOO'`, "/home/daytona/app"), "bar-from-compose");
  // The bind mount ./site was translated to the sandbox's host directory; services reach each other by name.
  assert.equal(await run(sb, `docker-compose -p ${project} exec -T worker wget -qO- http://web:8080/index.html`, "/home/daytona/app"), "hello from the sandbox's files");
  // build: the context went to the engine as a tarball; the image carries the sandbox's label.
  assert.equal(await run(sb, `docker-compose -p ${project} exec -T built cat /marker`, "/home/daytona/app"), "built-here");
  const builtImage = (await engineCall("GET", `/images/${project}_built/json`)) as { Config: { Labels: Record<string, string> } };
  assert.equal(builtImage.Config.Labels[SANDBOX_LABEL], sb.id);
  assert.match(await run(sb, `docker ps --filter label=com.docker.compose.project=${project} --format '{{.Names}}'`), /web/);

  // Binds the sandbox may not write, or cannot see, are refused before the engine sees them.
  const denied = await sb.process.executeCommand("docker run --rm -v /var/run/docker.sock:/s:ro daytona-local/busybox true 2>&1");
  assert.notEqual(denied.exitCode, 0);
  assert.match(denied.result, /local Daytona sandbox: .*not visible in the sandbox/);
  const etcRw = await sb.process.executeCommand("docker run --rm -v /etc:/x daytona-local/busybox true 2>&1");
  assert.notEqual(etcRw.exitCode, 0);
  assert.match(etcRw.result, /outside the sandbox's writable directories/);

  await sb.stop();
  const stopped = await containersOf(project);
  assert.equal(stopped.length, 4);
  assert.ok(stopped.every((c) => c.State === "exited"), JSON.stringify(stopped.map((c) => c.State)));

  await sb.start();
  assert.ok((await containersOf(project)).every((c) => c.State === "running"));
  assert.equal(await run(sb, `docker-compose -p ${project} exec -T envsvc sh -c 'echo $FOO'`, "/home/daytona/app"), "bar-from-compose");

  await sb.delete(60, true);
  assert.equal(sb.state, "destroyed");
  assert.deepEqual(await containersOf(project), []);
  const networks = (await engineCall("GET", `/networks?filters=${projectFilter(project)}`)) as unknown[];
  assert.deepEqual(networks, []);
  const volumes = (await engineCall("GET", `/volumes?filters=${projectFilter(project)}`)) as { Volumes: unknown[] | null };
  assert.deepEqual(volumes.Volumes ?? [], []);
  assert.equal((await engineRequest("GET", `/images/${project}_built/json`)).status, 404);
});

test("a sandbox that is not DinD has no docker socket", async (t) => {
  if (!(await requireDocker(t))) return;
  const lines: string[] = [];
  const ts = await startTestServer({ log: (l) => lines.push(l) });
  t.after(() => ts.stop());
  // Without bubblewrap every sandbox sees the whole host, its docker socket included (documented).
  if (!lines.some((l) => l.includes("isolation bubblewrap"))) return t.skip("sandboxes are not isolated here (no bubblewrap)");
  const sb = await ts.daytona.create();
  const r = await sb.process.executeCommand("ls /var/run/docker.sock /run/docker.sock 2>&1; docker info 2>&1");
  assert.notEqual(r.exitCode, 0);
  assert.match(r.result, /No such file or directory/);
  assert.match(r.result, /Cannot connect to the Docker daemon|permission denied|no such file/i);
  await sb.delete();
});
