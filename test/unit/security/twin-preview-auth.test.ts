// Issue 18 findings 1 and 2: the preview proxy reaches only the sandbox's own ports (never a service
// on the host's loopback), and a preview token authenticates preview URLs only, never toolbox calls.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as net from "node:net";
import * as http from "node:http";
import { marker, sleep } from "./attack";
import { removeSandboxObjects } from "../../../src/local/docker/services";
import { startTestServer } from "../local/helpers";
import { docker, requireDocker, SERVICE_IMAGE } from "../local/dockerEnv";

test("finding 1: a public sandbox's preview URL does not reach a service on the host's loopback", async (t) => {
  const ts = await startTestServer();
  t.after(() => ts.stop());
  const secret = marker("host-only");
  const host = http.createServer((_req, res) => res.end(secret));
  await new Promise<void>((r) => host.listen(0, "127.0.0.1", r));
  t.after(() => host.close());
  const port = (host.address() as net.AddressInfo).port;
  const sb = await ts.daytona.create({ name: "pub", public: true });
  const link = await sb.getPreviewLink(port);
  const anonymous = await fetch(`${link.url}x`);
  const body = await anonymous.text();
  assert.ok(!body.includes(secret), `unauthenticated preview reached the host's 127.0.0.1:${port}`);
  assert.equal(anonymous.status, 502);
  const withToken = await fetch(`${link.url}x`, { headers: { "x-daytona-preview-token": link.token } });
  assert.ok(!(await withToken.text()).includes(secret));
  // The sandbox's own port still works, publicly.
  const own = 20000 + Math.floor(Math.random() * 20000);
  await sb.fs.uploadFile(Buffer.from("own port\n"), "/home/daytona/index.html");
  await sb.process.createSession("web");
  await sb.process.executeSessionCommand("web", { command: `cd /home/daytona && exec python3 -m http.server ${own} --bind 127.0.0.1`, runAsync: true });
  const ownLink = await sb.getPreviewLink(own);
  let res: Response | undefined;
  for (let i = 0; i < 100; i++) {
    res = await fetch(`${ownLink.url}index.html`);
    if (res.status === 200) break;
    await sleep(50);
  }
  assert.equal(res?.status, 200);
  assert.equal(await res?.text(), "own port\n");
});

test("finding 2: a preview token never authenticates toolbox calls (REST or WebSocket)", async (t) => {
  const ts = await startTestServer();
  t.after(() => ts.stop());
  const sb = await ts.daytona.create({ name: "scoped" });
  const { token } = await sb.getPreviewLink(3000);
  const origin = `http://127.0.0.1:${ts.server.port}`;
  const exec = await fetch(`${origin}/toolbox/${sb.id}/process/execute?DAYTONA_SANDBOX_AUTH_KEY=${token}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ command: "echo ran" }),
  });
  assert.equal(exec.status, 401, "a preview token ran a command");
  const header = await fetch(`${origin}/toolbox/${sb.id}/user-home-dir`, { headers: { "x-daytona-preview-token": token } });
  assert.equal(header.status, 401);
  const { WebSocket } = await import("ws");
  const status = await new Promise<number>((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${ts.server.port}/toolbox/${sb.id}/process/pty/create-connect?id=x&cols=80&rows=24&DAYTONA_SANDBOX_AUTH_KEY=${token}`);
    ws.on("unexpected-response", (_req, res) => resolve(res.statusCode ?? 0));
    ws.on("open", () => {
      ws.close();
      resolve(101);
    });
    ws.on("error", () => undefined);
  });
  assert.equal(status, 401, "a preview token opened a PTY");
  // The API key still works for the toolbox.
  assert.equal((await sb.process.executeCommand("echo ok")).result.trim(), "ok");
});

test("finding 1: a DinD sandbox's preview reaches a port its own container publishes, not another's", async (t) => {
  if (!(await requireDocker(t))) return;
  const ts = await startTestServer();
  t.after(() => ts.stop());
  await ts.daytona.snapshot.create({ name: "sec-dind-1cpu-1gb-0gpu", image: "docker:28.3.3-dind", resources: { cpu: 1, memory: 1 } });
  const sb = await ts.daytona.create({ snapshot: "sec-dind-1cpu-1gb-0gpu", public: true });
  t.after(() => removeSandboxObjects(docker, sb.id).catch(() => undefined));
  const port = 20000 + Math.floor(Math.random() * 20000);
  const compose = [
    "services:",
    "  web:",
    `    image: ${SERVICE_IMAGE}`,
    `    command: ["sh", "-c", "mkdir -p /w && echo served-by-service > /w/index.html && exec httpd -f -p 8080 -h /w"]`,
    "    ports:",
    `      - "127.0.0.1:${port}:8080"`,
  ].join("\n");
  await sb.fs.uploadFile(Buffer.from(compose), "/home/daytona/app/docker-compose.yml");
  const up = await sb.process.executeCommand(`docker-compose -p sec${process.pid}x${port} up -d 2>&1`, "/home/daytona/app", undefined, 180);
  assert.equal(up.exitCode, 0, up.result);
  const link = await sb.getPreviewLink(port);
  let res: Response | undefined;
  for (let i = 0; i < 100; i++) {
    res = await fetch(`${link.url}index.html`).catch(() => undefined);
    if (res?.status === 200) break;
    await sleep(100);
  }
  assert.equal(res?.status, 200);
  assert.equal(await res?.text(), "served-by-service\n");
  // Another (plain) sandbox cannot use that port through its own preview URL.
  const other = await ts.daytona.create({ name: "other", public: true });
  const otherLink = await other.getPreviewLink(port);
  assert.equal((await fetch(`${otherLink.url}index.html`)).status, 502);
});
