// The Docker-in-Docker rules that need no Docker engine: which images mark a DinD sandbox, how the mark
// travels (snapshot from an image, Dockerfile FROM, fork, snapshot of a sandbox), how create calls are
// rewritten, and where the socket goes in the bubblewrap command line.
import { test } from "node:test";
import assert from "node:assert/strict";
import type { Sandbox } from "@daytonaio/sdk";
import { isDindImage } from "../../../src/local/docker/image";
import { rewriteCreate } from "../../../src/local/docker/rewrite";
import { SANDBOX_LABEL } from "../../../src/local/docker/services";
import { bwrapArgs } from "../../../src/local/runtime/bwrapArgs";
import { sandboxLayout } from "../../../src/local/runtime/layout";
import { startTestServer } from "./helpers";

test("which image names are Docker-in-Docker", () => {
  for (const yes of ["docker:28.3.3-dind", "docker:dind", "docker:dind-rootless", "library/docker:27-dind", "docker.io/library/docker:28.3.3-dind-alpine3.22", "docker:28.3.3-dind@sha256:abc"]) {
    assert.equal(isDindImage(yes), true, yes);
  }
  for (const no of ["docker:28.3.3", "docker", "docker:cli", "python:3.12", "someone/docker:dind", "dind", "ubuntu:dind", "registry:5000/docker", "myregistry.example/library/docker:dind"]) {
    assert.equal(isDindImage(no), false, no);
  }
});

test("create calls are labelled and bind sources translated", () => {
  const seen: string[] = [];
  const translate = (p: string, access: "read" | "write"): string => {
    seen.push(`${access} ${p}`);
    if (p.startsWith("/etc") && access === "write") throw new Error(`path ${p} is outside the sandbox's writable directories`);
    return `/host/sb1${p}`;
  };
  const body: Record<string, unknown> = {
    Image: "x",
    Labels: { "com.docker.compose.project": "p" },
    HostConfig: {
      Binds: ["/home/daytona/app/site:/www:ro", "/home/daytona/app/data:/data:rw,z", "named:/v", "/tmp/x:/x"],
      Mounts: [{ Type: "bind", Source: "/workspace/a", Target: "/a" }, { Type: "volume", Source: "vol", Target: "/b" }],
    },
  };
  rewriteCreate("containers", body, "sb1", translate);
  assert.deepEqual(body.Labels, { "com.docker.compose.project": "p", [SANDBOX_LABEL]: "sb1" });
  const hc = body.HostConfig as { Binds: string[]; Mounts: { Source: string }[] };
  assert.deepEqual(hc.Binds, ["/host/sb1/home/daytona/app/site:/www:ro", "/host/sb1/home/daytona/app/data:/data:rw,z", "named:/v", "/host/sb1/tmp/x:/x"]);
  assert.deepEqual(hc.Mounts.map((m) => m.Source), ["/host/sb1/workspace/a", "vol"]);
  assert.deepEqual(seen, ["read /home/daytona/app/site", "write /home/daytona/app/data", "write /tmp/x", "write /workspace/a"]);
  assert.throws(() => rewriteCreate("containers", { HostConfig: { Binds: ["/etc:/etc"] } }, "sb1", translate), /outside the sandbox's writable/);
  const net: Record<string, unknown> = { Name: "p_default" };
  rewriteCreate("networks", net, "sb1", translate);
  assert.deepEqual(net.Labels, { [SANDBOX_LABEL]: "sb1" });
  // A client cannot claim another sandbox's label.
  const vol: Record<string, unknown> = { Name: "v", Labels: { [SANDBOX_LABEL]: "other" } };
  rewriteCreate("volumes", vol, "sb1", translate);
  assert.deepEqual(vol.Labels, { [SANDBOX_LABEL]: "sb1" });
});

test("the docker socket is bound at /run/docker.sock only when given", () => {
  const base = { layout: sandboxLayout("/d/sandboxes", "s1", "daytona"), hostRoot: [{ name: "var", kind: "dir" as const }], dataDirReal: "/d", networkBlockAll: false, cwd: "/home/daytona", newSession: true };
  assert.doesNotMatch(bwrapArgs(base).join(" "), /docker\.sock/);
  const s = bwrapArgs({ ...base, dockerSocket: "/d/docker/s1.sock" }).join(" ");
  assert.match(s, /--tmpfs \/run --bind \/d\/docker\/s1\.sock \/run\/docker\.sock/);
  const d = bwrapArgs({ ...base, dockerSocket: "/d/docker/s1.sock", varRunIsDir: true }).join(" ");
  assert.match(d, /--tmpfs \/var\/run .*--bind \/d\/docker\/s1\.sock \/var\/run\/docker\.sock/);
});

/** True when the sandbox's commands see a docker socket of their own (bwrap: /run/docker.sock; plain: DOCKER_HOST). */
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
