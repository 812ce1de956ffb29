// The Docker-in-Docker rules: which images mark a DinD sandbox, how the mark travels (snapshot from an
// image, Dockerfile FROM, fork, snapshot of a sandbox), and the guard's rules for create calls (pure:
// every refusal of what would reach the host, the labels, the network and port rewrites).
import { test } from "node:test";
import assert from "node:assert/strict";
import type { Sandbox } from "@daytonaio/sdk";
import { isDindImage } from "../../../src/local/docker/image";
import { DIND_INSTANCE_LABEL, DIND_LABEL } from "../../../src/local/docker/guard";
import { BINDS_LABEL, checkContainerCreate, checkExecCreate, checkNetworkCreate, checkVolumeCreate, GuardRefusal, type CreateChecks } from "../../../src/local/docker/guardRules";
import { startTestServer } from "./helpers";

test("which image names are Docker-in-Docker", () => {
  for (const yes of ["docker:28.3.3-dind", "docker:dind", "docker:dind-rootless", "library/docker:27-dind", "docker.io/library/docker:28.3.3-dind-alpine3.22", "docker:28.3.3-dind@sha256:abc"]) {
    assert.equal(isDindImage(yes), true, yes);
  }
  for (const no of ["docker:28.3.3", "docker", "docker:cli", "python:3.12", "someone/docker:dind", "dind", "ubuntu:dind", "registry:5000/docker", "myregistry.example/library/docker:dind"]) {
    assert.equal(isDindImage(no), false, no);
  }
});

/** What the guard's rules may look up: these names are the sandbox's own. */
function fakeChecks(): CreateChecks & { ensured: number } {
  const own = new Set(["p_default", "p_data", "mine", "bound"]);
  const owned = (what: string) => async (name: string) => {
    if (!own.has(name)) throw new GuardRefusal(403, `${what} ${name} is not this sandbox's`);
    return `id-of-${name}`;
  };
  const c = {
    labels: { [DIND_LABEL]: "sb1", [DIND_INSTANCE_LABEL]: "i1" },
    ownNetwork: "daytona-i1-sb1-net",
    ensured: 0,
    ensureOwnNetwork: async () => void c.ensured++,
    ownedContainer: owned("container"),
    hasBinds: async (id: string) => id === "id-of-bound",
    ownedNetwork: async (name: string) => void (await owned("network")(name)),
    ownedVolume: async (name: string) => void (await owned("volume")(name)),
    // The sandbox's own paths map onto its file system on the host; a link on the way is refused.
    translateBind: async (inside: string) => {
      if (inside.includes("link")) throw new GuardRefusal(403, `local Daytona sandbox: bind source ${inside}: it is a symbolic link`);
      return `/merged${inside}`;
    },
  };
  return c;
}

test("container creates: labelled, own network, loopback-only ports; everything reaching the host refused", async () => {
  const checks = fakeChecks();
  const ok: Record<string, unknown> = {
    Image: "x",
    Labels: { "com.docker.compose.project": "p", [DIND_LABEL]: "other-sandbox" },
    HostConfig: { Binds: ["p_data:/data:rw", "/home/daytona/app/site:/www:ro"], Mounts: [{ Type: "tmpfs", Target: "/t" }, { Type: "bind", Source: "/home/daytona/app/conf", Target: "/conf" }], PortBindings: { "80/tcp": [{ HostIp: "0.0.0.0", HostPort: "8080" }] }, SecurityOpt: ["no-new-privileges"], LogConfig: { Type: "json-file", Config: { "max-size": "1m" } }, MaskedPaths: null },
  };
  await checkContainerCreate(ok, checks);
  assert.deepEqual(ok.Labels, { "com.docker.compose.project": "p", [DIND_LABEL]: "sb1", [DIND_INSTANCE_LABEL]: "i1", [BINDS_LABEL]: "1" });
  const hc = ok.HostConfig as { NetworkMode: string; PortBindings: Record<string, { HostIp: string }[]>; Binds: string[]; Mounts: { Source?: string }[] };
  // Binds of the sandbox's own paths point at its file system on the host, and mark the container.
  assert.deepEqual(hc.Binds, ["p_data:/data:rw", "/merged/home/daytona/app/site:/www:ro"]);
  assert.equal(hc.Mounts[1].Source, "/merged/home/daytona/app/conf");
  assert.equal((ok.Labels as Record<string, string>)[BINDS_LABEL], "1");
  assert.equal(hc.NetworkMode, "daytona-i1-sb1-net");
  assert.equal(checks.ensured, 1);
  assert.equal(hc.PortBindings["80/tcp"][0].HostIp, "127.0.0.1");
  const compose: Record<string, unknown> = { HostConfig: { NetworkMode: "p_default" }, NetworkingConfig: { EndpointsConfig: { p_default: {} } } };
  await checkContainerCreate(compose, checks);
  assert.equal((compose.HostConfig as { NetworkMode: string }).NetworkMode, "p_default");
  // Containers named in a create are the sandbox's own and forwarded by id (no name re-pointed in between).
  const sharing: Record<string, unknown> = { HostConfig: { NetworkMode: "container:mine", PidMode: "container:mine", IpcMode: "container:mine", VolumesFrom: ["mine:ro"] } };
  await checkContainerCreate(sharing, checks);
  assert.deepEqual(sharing.HostConfig, { NetworkMode: "container:id-of-mine", PidMode: "container:id-of-mine", IpcMode: "container:id-of-mine", VolumesFrom: ["id-of-mine:ro"] });

  const refused: [string, Record<string, unknown>, RegExp][] = [
    ["privileged", { Privileged: true }, /privileged/],
    ["bind through a link", { Binds: ["/home/daytona/rootlink:/x"] }, /symbolic link/],
    ["bind mount through a link", { Mounts: [{ Type: "bind", Source: "/home/daytona/link/x", Target: "/h" }] }, /symbolic link/],
    ["relative bind", { Binds: ["./data:/x"] }, /must be an absolute path/],
    ["shared propagation", { Mounts: [{ Type: "bind", Source: "/home/daytona/x", Target: "/h", BindOptions: { Propagation: "rshared" } }] }, /propagation/],
    ["npipe mount", { Mounts: [{ Type: "npipe", Source: "x", Target: "/h" }] }, /npipe mounts are not available/],
    ["other volume", { Binds: ["someone_else:/x"] }, /volume someone_else is not this sandbox's/],
    ["volume driver options", { Mounts: [{ Type: "volume", Source: "mine", Target: "/v", VolumeOptions: { DriverConfig: { Name: "local", Options: { o: "bind" } } } }] }, /driver options/],
    ["host network", { NetworkMode: "host" }, /host network/],
    ["other network", { NetworkMode: "someone_net" }, /network someone_net is not this sandbox's/],
    ["other container's network", { NetworkMode: "container:theirs" }, /container theirs is not this sandbox's/],
    ["host pid", { PidMode: "host" }, /PidMode=host/],
    ["host ipc", { IpcMode: "host" }, /IpcMode=host/],
    ["host uts", { UTSMode: "host" }, /UTSMode=host/],
    ["host userns", { UsernsMode: "host" }, /UsernsMode=host/],
    ["host cgroupns", { CgroupnsMode: "host" }, /CgroupnsMode=host/],
    ["devices", { Devices: [{ PathOnHost: "/dev/sda", PathInContainer: "/dev/sda", CgroupPermissions: "rwm" }] }, /devices/],
    ["gpus", { DeviceRequests: [{ Count: -1 }] }, /devices/],
    ["cap-add", { CapAdd: ["SYS_ADMIN"] }, /capabilities/],
    ["seccomp unconfined", { SecurityOpt: ["seccomp=unconfined"] }, /security option/],
    ["apparmor unconfined", { SecurityOpt: ["apparmor=unconfined"] }, /security option/],
    ["sysctls", { Sysctls: { "net.ipv4.ip_forward": "1" } }, /sysctls/],
    ["cgroup parent", { CgroupParent: "/" }, /CgroupParent/],
    ["runtime", { Runtime: "runsc" }, /runtime runsc/],
    ["volumes-from", { VolumesFrom: ["theirs"] }, /container theirs/],
    ["publish all", { PublishAllPorts: true }, /PublishAllPorts/],
    ["systempaths=unconfined", { MaskedPaths: [], ReadonlyPaths: [] }, /systempaths=unconfined/],
    ["readonly paths only", { ReadonlyPaths: ["/proc/bus"] }, /ReadonlyPaths/],
    ["syslog log driver", { LogConfig: { Type: "syslog", Config: { "syslog-address": "tcp://127.0.0.1:514" } } }, /log driver syslog/],
    ["gelf log driver", { LogConfig: { Type: "gelf", Config: { "gelf-address": "udp://127.0.0.1:12201" } } }, /log driver gelf/],
    ["volume driver", { VolumeDriver: "convoy" }, /volume driver convoy/],
    ["cgroup", { Cgroup: "container:theirs" }, /Cgroup is not available/],
    ["negative oom score", { OomScoreAdj: -1000 }, /OomScoreAdj/],
    ["realtime cpu", { CpuRealtimeRuntime: 950000 }, /realtime/],
    ["blkio device", { BlkioDeviceWriteBps: [{ Path: "/dev/sda", Rate: 1 }] }, /host devices/],
    ["volumes-from a container with binds", { VolumesFrom: ["bound"] }, /volumes-from bound is not available/],
    ["restart policy with binds", { Binds: ["/home/daytona/app:/app"], RestartPolicy: { Name: "always" } }, /restart policy always/],
    ["restart policy with a bind mount", { Mounts: [{ Type: "bind", Source: "/home/daytona/app", Target: "/app" }], RestartPolicy: { Name: "unless-stopped" } }, /restart policy unless-stopped/],
  ];
  for (const [what, hostConfig, message] of refused) {
    await assert.rejects(checkContainerCreate({ Image: "x", HostConfig: hostConfig }, fakeChecks()), (e: GuardRefusal) => e.status === 403 && message.test(e.message), what);
  }
  await assert.rejects(checkContainerCreate({ Image: "x", NetworkingConfig: { EndpointsConfig: { someone_net: {} } } }, fakeChecks()), /network someone_net/);
  assert.throws(() => checkExecCreate({ Privileged: true }), /privileged exec/);
});

test("network and volume creates: labelled; host-reaching drivers and options refused", () => {
  const labels = { [DIND_LABEL]: "sb1" };
  const net: Record<string, unknown> = { Name: "p_default", Labels: { [DIND_LABEL]: "other" } };
  checkNetworkCreate(net, labels);
  assert.deepEqual(net.Labels, labels);
  assert.throws(() => checkNetworkCreate({ Name: "n", Driver: "macvlan" }, labels), /driver macvlan/);
  assert.throws(() => checkNetworkCreate({ Name: "n", Driver: "host" }, labels), /driver host/);
  assert.throws(() => checkNetworkCreate({ Name: "n", Options: { "com.docker.network.bridge.name": "docker0" } }, labels), /bridge\.name/);
  assert.throws(() => checkNetworkCreate({ Name: "n", IPAM: { Driver: "default", Config: [{ Subnet: "192.168.1.0/24", Gateway: "192.168.1.1" }] } }, labels), /custom subnets/);
  assert.throws(() => checkNetworkCreate({ Name: "n", IPAM: { Config: [{ Gateway: "10.0.0.1" }] } }, labels), /custom subnets/);
  assert.throws(() => checkNetworkCreate({ Name: "n", IPAM: { Driver: "other" } }, labels), /IPAM driver/);
  checkNetworkCreate({ Name: "n", IPAM: { Driver: "default", Config: [], Options: {} } }, labels);
  const vol: Record<string, unknown> = { Name: "v", Labels: { [DIND_LABEL]: "other" } };
  checkVolumeCreate(vol, labels);
  assert.deepEqual(vol.Labels, labels);
  assert.throws(() => checkVolumeCreate({ Name: "v", DriverOpts: { type: "none", o: "bind", device: "/" } }, labels), /driver options/);
  assert.throws(() => checkVolumeCreate({ Name: "v", Driver: "nfs" }, labels), /driver nfs/);
});

/** True when the sandbox's commands see a docker socket of their own (DOCKER_HOST names it). */
async function hasDockerSocket(sb: Sandbox): Promise<boolean> {
  const r = await sb.process.executeCommand(`if [ -n "$DOCKER_HOST" ]; then test -S "\${DOCKER_HOST#unix://}"; else test -S /run/docker.sock; fi && echo socket`);
  return r.result.trim() === "socket";
}

test("the DinD mark travels: SDK snapshot from docker:*-dind, Dockerfile FROM, fork, snapshot of a sandbox", async (t) => {
  const ts = await startTestServer();
  t.after(() => ts.stop());
  const { daytona } = ts;
  const snap = await daytona.snapshot.create({ name: "ext-dind-3cpu-4gb-0gpu", image: "docker:28.3.3-dind", resources: { cpu: 3, memory: 4 } });
  assert.equal(snap.state, "active");
  const fromSnap = await daytona.create({ snapshot: snap.name });
  assert.equal(fromSnap.cpu, 3);
  assert.equal(fromSnap.memory, 4);
  assert.equal(await hasDockerSocket(fromSnap), true);

  const fromImage = await daytona.create({ image: "docker:28.3.3-dind" });
  assert.equal(await hasDockerSocket(fromImage), true);

  const fork = await fromSnap.fork();
  assert.equal(await hasDockerSocket(fork), true);
  await fromSnap.createSnapshot("dind-copy");
  assert.equal(await hasDockerSocket(await daytona.create({ snapshot: "dind-copy" })), true);

  const plainSnap = await daytona.snapshot.create({ name: "plain-docker-cli", image: "docker:28.3.3" });
  assert.equal(await hasDockerSocket(await daytona.create({ snapshot: plainSnap.name })), false);
  assert.equal(await hasDockerSocket(await daytona.create()), false);
  for (const sb of [fromSnap, fromImage, fork]) await sb.delete(30, true);
});
