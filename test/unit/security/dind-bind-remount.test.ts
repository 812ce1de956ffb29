// A DinD sandbox's bind mounts of its own folders must never become host mounts. The engine mounts a
// bind source again at every start and every copy in or out (following symbolic links on the host), so
// after a first checked start the sandbox swaps the folder for a link to / and asks the engine to mount
// it again: by restart, by a restart policy, by --volumes-from, by docker cp, by a --mount bind that the
// start did not check, and by calls that race the frozen check (unpause, a second start). Each is refused
// or serialized, also when sent as an HTTP upgrade. (Found by trying: before the fix, `docker restart`, `--volumes-from` and `--mount
// type=bind` each showed the host's / inside a service container.)
import { test } from "node:test";
import assert from "node:assert/strict";
import type Docker from "dockerode";
import { createGuard } from "../../../src/local/docker/guard";
import { removeSandboxObjects } from "../../../src/local/docker/services";
import { docker, requireDocker, SERVICE_IMAGE } from "../local/dockerEnv";
import { sh, sleep, startLab } from "./attack";

const BOX = "daytona-local/busybox";

test("DinD: a bind of the sandbox's folder cannot be re-mounted after swapping it for a link to the host's /", async (t) => {
  if (!(await requireDocker(t))) return;
  const { ts } = await startLab(t);
  await ts.daytona.snapshot.create({ name: "test-dind-1cpu-1gb-0gpu", image: "docker:28.3.3-dind", resources: { cpu: 1, memory: 1 } });
  const sb = await ts.daytona.create({ snapshot: "test-dind-1cpu-1gb-0gpu" });
  t.after(() => removeSandboxObjects(docker, sb.id).catch(() => undefined));
  const run = async (command: string) => {
    const r = await sh(sb, `${command} 2>&1`, 90);
    return { ...r, out: r.out.trim() };
  };
  const setup = await run(
    [
      "mkdir -p ~/w/site ~/w/m && echo sandbox-file > ~/w/site/f && echo m-file > ~/w/m/f",
      `docker run -d --name aa -v /home/daytona/w/site:/x ${BOX} sleep 1000 >/dev/null`,
      // A checked restart of a container with binds works (through the same frozen check as a start).
      "docker restart aa >/dev/null && docker exec aa cat /x/f",
      `docker create --name bb --mount type=bind,src=/home/daytona/w/m,dst=/x ${BOX} sleep 1000 >/dev/null`,
      "mv ~/w/site ~/w/site.real && ln -s / ~/w/site && mv ~/w/m ~/w/m.real && ln -s / ~/w/m && echo swapped",
    ].join(" && "),
  );
  assert.equal(setup.exitCode, 0, setup.out);
  assert.equal(setup.out, "sandbox-file\nswapped");

  const attacks: [string, RegExp][] = [
    ["docker restart aa", /\/home\/daytona\/w\/site is a symbolic link/],
    [`docker run --rm --volumes-from aa ${BOX} ls /x/etc/hostname`, /volumes-from aa is not available/],
    ["docker start bb", /\/home\/daytona\/w\/m is a symbolic link/],
    ["docker cp aa:/x/etc/hostname -", /copying files in or out of a container with bind mounts/],
    ["echo owned > /tmp/o && docker cp /tmp/o aa:/x/tmp/o", /no such directory|copying files in or out/],
    ["docker export -o /tmp/bb.tar bb", /copying files in or out/],
    [`docker run -d --restart always -v /home/daytona/w/site.real:/x ${BOX} true`, /restart policy always is not available/],
    ["docker update --restart unless-stopped aa", /restart policy unless-stopped is not available/],
  ];
  for (const [command, message] of attacks) {
    const r = await run(command);
    assert.notEqual(r.exitCode, 0, `${command}: ${r.out}`);
    assert.match(r.out, message, `${command}: ${r.out}`);
  }
  // The same calls sent with Upgrade headers (as the hijacking attach and exec start are): a tunnel
  // would pass the client's bytes on as they are, skipping the frozen check and the body rewrites.
  const upgrade = "curl -s -i -m 20 --unix-socket ${DOCKER_HOST#unix://} -H 'Connection: Upgrade' -H 'Upgrade: tcp' -H 'Content-Type: application/json' -X POST";
  const smuggled = [
    `${upgrade} http://docker/v1.41/containers/bb/start`,
    `${upgrade} http://docker/v1.41/containers/aa/restart`,
    `${upgrade} -d '{"Image":"${BOX}","Cmd":["true"],"HostConfig":{"Privileged":true,"Binds":["/:/host"]}}' 'http://docker/v1.41/containers/create?name=smuggled'`,
    `${upgrade} -d '{"Cmd":["true"],"Privileged":true}' http://docker/v1.41/containers/bb/exec`,
    `${upgrade} -d '{"Name":"smuggled-root","DriverOpts":{"type":"none","o":"bind","device":"/"}}' http://docker/v1.41/volumes/create`,
  ];
  for (const command of smuggled) assert.match((await run(command)).out, /^HTTP\/1\.1 400 .*\r?\n[\s\S]*cannot be upgraded/, command);
  await assert.rejects(docker.getContainer("smuggled").inspect(), (e: { statusCode?: number }) => e.statusCode === 404);
  await assert.rejects(docker.getVolume("smuggled-root").inspect(), (e: { statusCode?: number }) => e.statusCode === 404);
  // Neither container runs with anything mounted (the refused restart stopped aa; bb never started).
  const states = await run("docker inspect -f '{{.State.Running}}' aa bb");
  assert.equal(states.out, "false\nfalse");
  // Without binds, a restart policy is the person's choice.
  assert.equal((await run(`docker run -d --restart on-failure ${BOX} true >/dev/null && echo ok`)).out, "ok");
  await sb.delete(60, true);
});

interface Event {
  what: string;
  at: number;
}

test("DinD: starts with binds run one at a time, and an unpause waits for them (no thaw inside the frozen check)", async (t) => {
  if (!(await requireDocker(t))) return;
  const tag = `dtl-gate-${process.pid}`;
  const testLabel = { "io.daytona.local.test": "dind-bind-remount" };
  const made: Docker.Container[] = [];
  t.after(async () => {
    for (const c of made) await c.remove({ force: true }).catch(() => undefined);
  });
  // A stand-in for the sandbox's container (the guard pauses it and reads its file system).
  const sandbox = await docker.createContainer({ Image: SERVICE_IMAGE, name: `${tag}-sandbox`, Cmd: ["sleep", "600"], Labels: testLabel });
  made.push(sandbox);
  await sandbox.start();
  const sandboxId = `gate-${process.pid}`;
  const labels = { ...testLabel, "io.daytona.local.dind.sandbox": sandboxId, "io.daytona.local.instance": "gate-test" };
  const guard = createGuard(docker, { sandboxId, instance: "gate-test", sandboxContainer: `${tag}-sandbox` });

  async function boundContainer(name: string): Promise<string> {
    const d = await guard.check("POST", "/v1.41/containers/create", Buffer.from(JSON.stringify({ Image: SERVICE_IMAGE, Cmd: ["sleep", "600"], HostConfig: { Binds: ["/tmp:/x"], NetworkMode: "none" } })));
    const spec = JSON.parse(String(d.body)) as Docker.ContainerCreateOptions;
    const c = await docker.createContainer({ ...spec, name: `${tag}-${name}`, Labels: { ...spec.Labels, ...testLabel } });
    made.push(c);
    return c.id;
  }
  const pausedC = await docker.createContainer({ Image: SERVICE_IMAGE, name: `${tag}-paused`, Cmd: ["sleep", "600"], Labels: labels, HostConfig: { NetworkMode: "none" } });
  made.push(pausedC);
  await pausedC.start();
  await pausedC.pause();

  const first = await boundContainer("one");
  const second = await boundContainer("two");
  const events: Event[] = [];
  const t0 = Date.now();
  const mark = (what: string) => events.push({ what, at: Date.now() - t0 });
  const started = async (id: string, name: string) => {
    const d = await guard.check("POST", `/v1.41/containers/${id}/start`);
    assert.ok(d.around, "a start with binds goes through the frozen check");
    await d.around(async () => {
      mark(`${name}-begin`);
      // The sandbox is frozen while the start goes through.
      assert.equal((await sandbox.inspect()).State.Paused, true);
      await sleep(400);
      await docker.getContainer(id).start();
      mark(`${name}-end`);
    });
  };
  const unpause = async () => {
    const d = await guard.check("POST", `/v1.41/containers/${pausedC.id}/unpause`);
    assert.ok(d.around);
    await d.around(async () => {
      mark("unpause");
      await pausedC.unpause();
    });
  };
  const a = started(first, "one");
  await sleep(100);
  const b = started(second, "two");
  await sleep(100);
  const u = unpause();
  await Promise.all([a, b, u]);
  const order = events.map((e) => e.what);
  assert.deepEqual(order.slice(0, 2), ["one-begin", "one-end"], JSON.stringify(events));
  assert.ok(order.indexOf("unpause") > order.indexOf("one-end"), JSON.stringify(events));
  assert.ok(order.indexOf("two-begin") > order.indexOf("one-end"), JSON.stringify(events));
  assert.equal((await sandbox.inspect()).State.Paused, false);
  assert.equal((await pausedC.inspect()).State.Paused, false);
  assert.equal((await docker.getContainer(second).inspect()).State.Running, true);
});
