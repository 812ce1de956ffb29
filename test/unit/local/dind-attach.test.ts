// The docker CLI's streaming calls through a DinD sandbox's proxy, driven by the real SDK against the
// local server and a real engine: attached `docker run` (attach hijack + wait, whose headers must reach
// the CLI before it starts the container), stdin with half-close, `docker run -d` with a bind mount,
// exec (another hijack), `logs -f`, `start -a`, a TTY; and none of them reaches a container that is not
// the sandbox's own (another sandbox's, or an unlabelled host container).
import { test } from "node:test";
import assert from "node:assert/strict";
import { Writable } from "node:stream";
import type { Sandbox } from "@daytonaio/sdk";
import type Docker from "dockerode";
import { createGuard, GuardRefusal } from "../../../src/local/docker/guard";
import { removeSandboxObjects } from "../../../src/local/docker/services";
import { startTestServer } from "./helpers";
import { docker, requireDocker, SERVICE_IMAGE } from "./dockerEnv";

const BOX = "daytona-local/busybox";
const SOCK = "${DOCKER_HOST#unix://}";

/** Runs in the sandbox under `timeout`, so a call that hangs in the proxy fails the test instead of stalling it. */
async function sh(sb: Sandbox, command: string, seconds = 60): Promise<{ exitCode: number; out: string }> {
  const quoted = `'${command.replace(/'/g, `'\\''`)}'`;
  const r = await sb.process.executeCommand(`timeout ${seconds} bash -c ${quoted} 2>&1`, undefined, undefined, seconds + 30);
  return { exitCode: r.exitCode, out: r.result.replace(/\n$/, "") };
}

async function ok(sb: Sandbox, command: string): Promise<string> {
  const r = await sh(sb, command);
  assert.equal(r.exitCode, 0, `${command} exited ${r.exitCode} (124: it hung): ${r.out}`);
  return r.out;
}

test("DinD sandbox: attached runs, stdin, exec, logs -f and bind mounts through the proxy; never another's container", async (t) => {
  if (!(await requireDocker(t))) return;
  const ts = await startTestServer();
  t.after(() => ts.stop());
  const { daytona } = ts;
  await daytona.snapshot.create({ name: "test-dind-1cpu-1gb-0gpu", image: "docker:28.3.3-dind", resources: { cpu: 1, memory: 1 } });
  const a = await daytona.create({ snapshot: "test-dind-1cpu-1gb-0gpu" });
  t.after(() => removeSandboxObjects(docker, a.id).catch(() => undefined));

  // Attached run: the CLI attaches, asks to wait (condition=removed), then starts; output and exit code come back.
  assert.equal(await ok(a, `docker run --rm ${BOX} echo hi`), "hi");
  assert.equal((await sh(a, `docker run --rm ${BOX} sh -c 'echo out; echo err >&2; exit 3'`)).exitCode, 3);
  assert.equal(await ok(a, `docker run ${BOX} sh -c 'echo kept'`), "kept");
  // stdin without a TTY, closed by the client (half-close through the tunnel), small and large.
  assert.equal(await ok(a, `echo from-stdin | docker run --rm -i ${BOX} cat`), "from-stdin");
  assert.equal(await ok(a, `seq 1 200000 | docker run --rm -i ${BOX} wc -l`), "200000");
  // A TTY (what a terminal in the sandbox gives `docker run -it`).
  assert.match(await ok(a, `script -qec "docker run --rm -it ${BOX} tty" /dev/null`), /\/dev\/pts\/\d+/);

  // docker run -d with a bind mount of the sandbox's own folder (create, then a start with the sandbox frozen).
  await ok(a, "mkdir -p /home/daytona/d1 && echo bound-file > /home/daytona/d1/f");
  const svc = await ok(a, `docker run -d --name svc -v /home/daytona/d1:/mnt ${BOX} sh -c 'cat /mnt/f; i=0; while true; do echo tick$i; i=$((i+1)); sleep 0.2; done'`);
  assert.match(svc, /^[0-9a-f]{64}$/);
  assert.equal(await ok(a, "docker exec svc cat /mnt/f"), "bound-file");
  assert.equal(await ok(a, "echo into-exec | docker exec -i svc cat"), "into-exec");
  assert.equal((await sh(a, "docker exec svc sh -c 'exit 7'")).exitCode, 7);
  assert.equal(await ok(a, "docker logs -f svc 2>/dev/null | head -3"), "bound-file\ntick0\ntick1");
  assert.match(await ok(a, "timeout 5 docker attach --no-stdin svc 2>/dev/null | head -1"), /^tick\d+$/);
  assert.equal(await ok(a, `docker run -d -v /home/daytona/d1:/mnt:ro ${BOX} true >/dev/null && echo started`), "started");
  const created = await ok(a, `docker create ${BOX} echo via-start-a`);
  assert.equal(await ok(a, `docker start -a ${created}`), "via-start-a");
  assert.equal(await ok(a, `docker wait ${created}`), "0");
  // Objects made through the proxy are named by the engine's full id when forwarded; a network the sandbox joined can be removed.
  assert.equal(await ok(a, "docker network create n1 >/dev/null && docker network connect n1 svc && docker network disconnect n1 svc && docker network rm n1"), "n1");

  // Compose v1 (docker-py's own client): an attached `run`, stdin with -T, and `down` removing the network the sandbox joined.
  const project = `dtlatt${process.pid}`;
  await ok(a, `mkdir -p ~/p && printf 'services:\n  s:\n    image: ${BOX}\n    command: echo from-up\n' > ~/p/docker-compose.yml`);
  assert.match(await ok(a, `cd ~/p && docker-compose -p ${project} run --rm s echo run-hi`), /run-hi$/);
  assert.match(await ok(a, `cd ~/p && echo piped | docker-compose -p ${project} run --rm -T s cat`), /piped$/);
  assert.match(await ok(a, `cd ~/p && docker-compose -p ${project} up --abort-on-container-exit --no-color`), /from-up/);
  await ok(a, `cd ~/p && docker-compose -p ${project} down`);
  assert.deepEqual(await docker.listNetworks({ filters: { name: [`${project}_default`] } }), []);

  // Not its containers: another DinD sandbox's service, and a host container without the label.
  const b = await daytona.create({ snapshot: "test-dind-1cpu-1gb-0gpu" });
  t.after(() => removeSandboxObjects(docker, b.id).catch(() => undefined));
  const theirs = await ok(b, `docker run -d ${BOX} sleep 600`);
  const host = await docker.createContainer({ Image: SERVICE_IMAGE, Cmd: ["sleep", "600"], Labels: { "io.daytona.local.test": "dind-attach" } });
  t.after(() => host.remove({ force: true }).catch(() => undefined));
  await host.start();
  // An exec instance made on the host container by someone else: the sandbox must not be able to start it.
  const hostExec = await host.exec({ Cmd: ["touch", "/pwned"], AttachStdout: true });
  for (const target of [theirs, host.id, (await host.inspect()).Name.slice(1)]) {
    for (const command of [
      `docker attach ${target}`,
      `docker logs ${target}`,
      `docker logs -f ${target}`,
      `docker exec ${target} touch /pwned`,
      `echo x | docker exec -i ${target} sh -c 'cat > /pwned'`,
      `docker wait ${target}`,
      `docker start -a ${target}`,
      `docker kill ${target}`,
      `docker cp ${target}:/etc/hostname -`,
      `docker run --rm --volumes-from ${target} ${BOX} true`,
      `docker run --rm --pid container:${target} ${BOX} true`,
      `docker run --rm --net container:${target} ${BOX} true`,
    ]) {
      const r = await sh(a, command, 30);
      assert.notEqual(r.exitCode, 0, `${command}: ${r.out}`);
      assert.match(r.out, /No such container/, `${command}: ${r.out}`);
    }
    // The raw hijack the CLI does, by hand: refused before any tunnel opens.
    const raw = await ok(a, `curl -s -i --unix-socket ${SOCK} -X POST -H 'Connection: Upgrade' -H 'Upgrade: tcp' 'http://docker/v1.41/containers/${target}/attach?stream=1&stdout=1&stdin=1'; true`);
    assert.match(raw, /^HTTP\/1\.1 404/, raw);
  }
  const execStart = await ok(a, `curl -s -i --unix-socket ${SOCK} -X POST -H 'Content-Type: application/json' -H 'Connection: Upgrade' -H 'Upgrade: tcp' -d '{"Detach":false,"Tty":false}' http://docker/v1.41/exec/${hostExec.id}/start; true`);
  assert.match(execStart, /^HTTP\/1\.1 404/, execStart);
  await assert.rejects(host.getArchive({ path: "/pwned" }), (e: { statusCode?: number }) => e.statusCode === 404);
  // The engine's event stream shows only the sandbox's own containers.
  const events = await ok(a, "docker events --since 10m --until 0s --format '{{.Actor.ID}}' | sort -u");
  assert.match(events, new RegExp(svc), events);
  assert.doesNotMatch(events, new RegExp(`${host.id}|${theirs}`), events);
  assert.equal((await host.inspect()).State.Running, true);
  assert.equal((await docker.getContainer(theirs).inspect()).State.Running, true);

  await b.delete(60, true);
  await a.delete(60, true);
});

test("the DinD guard forwards container and network calls by full id, never by a name it checked", async (t) => {
  if (!(await requireDocker(t))) return;
  const sandboxId = `guard-test-${process.pid}`;
  const labels = { "io.daytona.local.dind.sandbox": sandboxId, "io.daytona.local.instance": "guard-test", "io.daytona.local.test": "dind-attach" };
  const own = await docker.createContainer({ Image: SERVICE_IMAGE, Cmd: ["true"], name: `dtl-guard-${process.pid}`, Labels: labels });
  t.after(() => own.remove({ force: true }).catch(() => undefined));
  const net = await docker.createNetwork({ Name: `dtl-guard-net-${process.pid}`, Labels: labels });
  t.after(() => net.remove().catch(() => undefined));
  const foreign = await docker.createContainer({ Image: SERVICE_IMAGE, Cmd: ["true"], Labels: { "io.daytona.local.test": "dind-attach" } });
  t.after(() => foreign.remove({ force: true }).catch(() => undefined));
  const guard = createGuard(docker, { sandboxId, instance: "guard-test", sandboxContainer: "none" });

  const name = `dtl-guard-${process.pid}`;
  for (const action of ["attach?stream=1&stdout=1", "wait?condition=next-exit", "logs?follow=1&stdout=1", "json", "resize?h=10&w=10"]) {
    const d = await guard.check(action.startsWith("json") ? "GET" : "POST", `/v1.41/containers/${name}/${action}`);
    assert.equal(d.path, `/v1.41/containers/${own.id}/${action}`);
  }
  const connect = await guard.check("POST", `/v1.41/networks/${net.id.slice(0, 8)}/connect`, Buffer.from(JSON.stringify({ Container: name })));
  assert.equal(connect.path, `/v1.41/networks/${net.id}/connect`);
  assert.equal(JSON.parse(String(connect.body)).Container, own.id);
  const commit = await guard.check("POST", `/v1.41/commit?container=${name}&repo=dtl-guard-img`);
  assert.equal(new URL(commit.path, "http://d").searchParams.get("container"), own.id);
  // A prefix of a foreign container's id is refused, as is its full id.
  for (const ref of [foreign.id, foreign.id.slice(0, 12)]) {
    await assert.rejects(guard.check("POST", `/v1.41/containers/${ref}/attach?stream=1`), (e: GuardRefusal) => e.status === 404);
  }
});

test("DinD: a build's RUN steps use the sandbox's own network, never the engine's default bridge", async (t) => {
  if (!(await requireDocker(t))) return;
  const ts = await startTestServer();
  t.after(() => ts.stop());
  // A host container on the default bridge (where containers that name no network land), serving a page.
  const host = await docker.createContainer({ Image: SERVICE_IMAGE, Cmd: ["sh", "-c", "mkdir -p /w && echo host-page > /w/index.html && httpd -f -p 8080 -h /w"], Labels: { "io.daytona.local.test": "dind-attach" } });
  t.after(() => host.remove({ force: true }).catch(() => undefined));
  await host.start();
  const ip = (await host.inspect()).NetworkSettings.Networks.bridge?.IPAddress ?? "";
  assert.match(ip, /^\d+\.\d+\.\d+\.\d+$/);
  await ts.daytona.snapshot.create({ name: "test-dind-1cpu-1gb-0gpu", image: "docker:28.3.3-dind", resources: { cpu: 1, memory: 1 } });
  const sb = await ts.daytona.create({ snapshot: "test-dind-1cpu-1gb-0gpu" });
  t.after(() => removeSandboxObjects(docker, sb.id).catch(() => undefined));
  // The same page from a container on the default bridge answers (so the probe itself works).
  const got: Buffer[] = [];
  const sink = new Writable({ write: (c: Buffer, _e, cb) => void (got.push(c), cb()) });
  const [probe, probeC] = (await docker.run(SERVICE_IMAGE, ["wget", "-qO-", `http://${ip}:8080/index.html`], sink, { Labels: { "io.daytona.local.test": "dind-attach" } })) as [{ StatusCode: number }, Docker.Container];
  await probeC.remove({ force: true });
  assert.equal(probe.StatusCode, 0);
  assert.match(Buffer.concat(got).toString(), /host-page/);
  await ok(sb, `mkdir -p ~/b && printf 'FROM ${BOX}\\nRUN (nc -w 3 ${ip} 8080 </dev/null && echo bridge-reachable || echo bridge-unreachable) > /probe\\n' > ~/b/Dockerfile`);
  await ok(sb, `cd ~/b && docker build -q -t dtl-probe-${process.pid} . >/dev/null`);
  assert.equal(await ok(sb, `docker run --rm dtl-probe-${process.pid} cat /probe`), "bridge-unreachable");
  await sb.delete(60, true);
});
