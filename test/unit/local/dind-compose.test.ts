// A Docker-in-Docker sandbox on the local server, driven by the real SDK against a real Docker engine:
// snapshot from docker:28.3.3-dind, compose (v1, what Debian ships) with four services inside the
// sandbox (one built from a Dockerfile), exec into a service, every host-reaching request refused by the
// proxy, stop/start/delete carrying the containers along.
import { test } from "node:test";
import assert from "node:assert/strict";
import type { Sandbox } from "@daytonaio/sdk";
import { removeSandboxObjects, SANDBOX_LABEL } from "../../../src/local/docker/services";
import { startTestServer } from "./helpers";
import { docker, requireDocker } from "./dockerEnv";

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

const projectFilter = (p: string) => ({ label: [`com.docker.compose.project=${p}`] });
const containersOf = async (p: string): Promise<Container[]> => (await docker.listContainers({ all: true, filters: projectFilter(p) })) as Container[];

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
  t.after(() => removeSandboxObjects(docker, sb.id).catch(() => undefined));
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
  // ./site is the sandbox's own folder (bound from its file system); services reach each other by
  // name, and the sandbox reaches them too (it joined the project's network).
  assert.equal(await run(sb, `docker-compose -p ${project} exec -T worker wget -qO- http://web:8080/index.html`, "/home/daytona/app"), "hello from the sandbox's files");
  assert.equal(await run(sb, "curl -s http://web:8080/index.html"), "hello from the sandbox's files");
  // build: the context went to the engine as a tarball; the image carries the sandbox's label.
  assert.equal(await run(sb, `docker-compose -p ${project} exec -T built cat /marker`, "/home/daytona/app"), "built-here");
  const builtImage = await docker.getImage(`${project}_built`).inspect();
  assert.equal(builtImage.Config.Labels[SANDBOX_LABEL], sb.id);
  assert.match(await run(sb, `docker ps --filter label=com.docker.compose.project=${project} --format '{{.Names}}'`), /web/);

  // Whatever would reach the host, another sandbox or the server's images is refused by the proxy.
  const other = await docker.createContainer({ Image: "daytona-local/busybox", Cmd: ["sleep", "600"], Labels: { "io.daytona.local.test": "dind-compose" } });
  t.after(() => other.remove({ force: true }).catch(() => undefined));
  const refusals: [string, RegExp][] = [
    ["docker run --rm -v /var/run/docker.sock:/s:ro daytona-local/busybox true", /\/var\/run is a symbolic link/],
    ["ln -sfn / /home/daytona/rootlink && docker run --rm -v /home/daytona/rootlink/etc:/x daytona-local/busybox true", /rootlink is a symbolic link/],
    ["docker run --rm -v /nonexistent-dir:/x daytona-local/busybox true", /does not exist in the sandbox/],
    ["docker run --rm --privileged daytona-local/busybox true", /privileged containers/],
    ["docker run --rm --pid host daytona-local/busybox true", /PidMode=host/],
    ["docker run --rm --net host daytona-local/busybox true", /host network/],
    ["docker run --rm --ipc host daytona-local/busybox true", /IpcMode=host/],
    ["docker run --rm --uts host daytona-local/busybox true", /UTSMode=host/],
    ["docker run --rm --userns host daytona-local/busybox true", /UsernsMode=host/],
    ["docker run --rm --cap-add SYS_ADMIN daytona-local/busybox true", /capabilities/],
    ["docker run --rm --device /dev/null:/dev/x daytona-local/busybox true", /devices/],
    ["docker run --rm --security-opt seccomp=unconfined daytona-local/busybox true", /security option/],
    ["docker run --rm --sysctl net.ipv4.ip_forward=1 daytona-local/busybox true", /sysctls/],
    // Would leave /proc/sys writable: root in the service could set the host's sysctls.
    ["docker run --rm --security-opt systempaths=unconfined daytona-local/busybox sh -c 'echo 1 > /proc/sys/vm/drop_caches'", /systempaths=unconfined/],
    // The engine would dial the host's loopback for the logs.
    ["docker run --rm --log-driver syslog --log-opt syslog-address=tcp://127.0.0.1:1 daytona-local/busybox true", /log driver syslog/],
    ["docker volume create -o type=none -o o=bind -o device=/ hostroot", /driver options/],
    // The subnet and gateway would become the host's own address and route.
    ["docker network create --subnet 10.231.77.0/24 --gateway 10.231.77.1 shadow", /custom subnets/],
    [`docker exec ${other.id} true`, /No such container/],
    [`docker stop ${other.id}`, /No such container/],
    ["docker tag daytona-local/busybox daytona-local/sandbox:latest", /daytona-local\/ are the local server's/],
    ["docker rmi daytona-local/busybox", /not this sandbox's/],
    ["docker container prune -f", /not available/],
    ["docker plugin ls", /not available/],
  ];
  for (const [command, message] of refusals) {
    const r = await sb.process.executeCommand(`${command} 2>&1`);
    assert.notEqual(r.exitCode, 0, command);
    assert.match(r.result, message, `${command}: ${r.result}`);
  }
  assert.equal((await other.inspect()).State.Running, false, "created, never started by the sandbox");
  // The sandbox's own container is not one of "its" containers (it cannot raise its own limits).
  const self = await sb.process.executeCommand(`docker update --memory 8g $(hostname) 2>&1; docker ps -a --format '{{.Names}}' | grep -c ${sb.id} || true`);
  assert.match(self.result, /No such container|0$/);
  // The sandbox sees only its own containers.
  assert.doesNotMatch(await run(sb, "docker ps -a --format '{{.ID}}'"), new RegExp(other.id.slice(0, 12)));

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
  assert.deepEqual(await docker.listNetworks({ filters: projectFilter(project) }), []);
  assert.deepEqual((await docker.listVolumes({ filters: projectFilter(project) })).Volumes ?? [], []);
  await assert.rejects(docker.getImage(`${project}_built`).inspect(), (e: { statusCode?: number }) => e.statusCode === 404);
});

test("a sandbox that is not DinD has no docker socket", async (t) => {
  if (!(await requireDocker(t))) return;
  const ts = await startTestServer();
  t.after(() => ts.stop());
  const sb = await ts.daytona.create();
  const r = await sb.process.executeCommand("ls /var/run/docker.sock /run/docker.sock 2>&1; docker info 2>&1");
  assert.notEqual(r.exitCode, 0);
  assert.match(r.result, /No such file or directory/);
  assert.match(r.result, /Cannot connect to the Docker daemon|permission denied|no such file/i);
  await sb.delete();
});
