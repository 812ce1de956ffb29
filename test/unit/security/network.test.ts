// Issue 13, network: a sandbox must not reach a service on the host's 127.0.0.1, nor another
// sandbox's loopback service, and its 0.0.0.0 listener must not be reachable from the host's own
// external address. Host services listen on 127.0.0.1 ephemeral ports and are closed after; every
// address used is loopback or one of this machine's own.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as net from "node:net";
import * as os from "node:os";
import type { Sandbox } from "@daytonaio/sdk";
import { marker, py, sleep, startLab } from "./attack";

// Connect to host:port and print what the other side says first (or why not).
const CONNECT = `
import socket, sys
try:
    s = socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=3)
    s.settimeout(3)
    print("GOT", s.recv(200).decode(errors="replace"))
except Exception as e:
    print("FAILED", type(e).__name__, e)
`;

// Listen on addr:port and greet every connection with the given text, for 120 s at most.
const LISTEN = `
import socket, sys, time
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind((sys.argv[1], int(sys.argv[2]))); s.listen(8); s.settimeout(1)
end = time.time() + 120
while time.time() < end:
    try:
        c, _ = s.accept(); c.sendall(sys.argv[3].encode()); c.close()
    except socket.timeout:
        pass
`;

async function listenIn(sb: Sandbox, addr: string, greeting: string): Promise<number> {
  const port = 20000 + Math.floor(Math.random() * 20000);
  await sb.fs.uploadFile(Buffer.from(LISTEN), "/tmp/listen.py");
  const session = `listen-${port}`;
  await sb.process.createSession(session);
  await sb.process.executeSessionCommand(session, { command: `exec python3 /tmp/listen.py ${addr} ${port} ${greeting}`, runAsync: true });
  // The listener must be up as seen from inside its own sandbox, or the test proves nothing.
  for (let i = 0; i < 50; i++) {
    if ((await py(sb, CONNECT, ["127.0.0.1", String(port)])).out.includes(greeting)) return port;
    await sleep(100);
  }
  throw new Error(`listener on ${addr}:${port} in ${sb.name} never answered`);
}

function externalAddress(): string | undefined {
  for (const list of Object.values(os.networkInterfaces())) for (const a of list ?? []) if (a.family === "IPv4" && !a.internal) return a.address;
  return undefined;
}

test("issue 13: sandbox network isolation", async (t) => {
  const lab = await startLab(t);
  const a = await lab.ts.daytona.create({ name: "sec-net-a" });
  const b = await lab.ts.daytona.create({ name: "sec-net-b" });

  await t.test("a service on the host's 127.0.0.1 is unreachable", async () => {
    const secret = marker("host-service");
    const server = net.createServer((c) => c.end(secret));
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    t.after(() => server.close());
    const port = (server.address() as net.AddressInfo).port;
    const r = await py(a, CONNECT, ["127.0.0.1", String(port)]);
    assert.ok(!r.out.includes(secret), `sandbox reached the host's loopback service: ${r.out}`);
    assert.match(r.out, /FAILED/);
  });

  await t.test("another sandbox's loopback service is unreachable", async () => {
    const secret = marker("b-loopback");
    const port = await listenIn(b, "127.0.0.1", secret);
    const r = await py(a, CONNECT, ["127.0.0.1", String(port)]);
    assert.ok(!r.out.includes(secret), `sandbox A reached B's loopback service: ${r.out}`);
  });

  await t.test("a sandbox's 0.0.0.0 listener is not reachable on the host's external address", async () => {
    const ext = externalAddress();
    if (!ext) return; // no external interface: nothing to reach it through
    const secret = marker("b-any");
    const port = await listenIn(b, "0.0.0.0", secret);
    const got = await new Promise<string>((resolve) => {
      const c = net.connect({ host: ext, port, timeout: 3000 });
      let text = "";
      c.on("data", (d) => (text += d.toString()));
      c.on("end", () => resolve(text));
      c.on("timeout", () => c.destroy());
      c.on("error", (e) => resolve(`error ${e.message}`));
      c.on("close", () => resolve(text));
    });
    assert.ok(!got.includes(secret), `the host's ${ext}:${port} reached sandbox B's listener`);
  });
});
