// Issue 19, item 3 (and item 5's stopped-sandbox terminal): a local server that dies is noticed at
// once, shown as not connected, restarted with backoff on the same address, and a terminal open in
// a sandbox carries on in a shell of the same sandbox; stopping the sandbox says so in the terminal.
import * as assert from "node:assert/strict";
import * as vscode from "vscode";
import type { Services } from "../../../src/services";
import { RemotePseudoterminal } from "../../../src/terminal/remotePseudoterminal";
import { terminalOptions } from "../../../src/terminal/terminalOptions";
import { connectLocal, services, waitFor } from "../support";

function drive(pty: RemotePseudoterminal) {
  let out = "";
  pty.onDidWrite((d) => (out += d));
  return {
    get out() {
      return out;
    },
    type: (text: string) => pty.handleInput(text),
    expect: (re: RegExp, what: string, ms = 20_000) => waitFor(() => re.test(out), `${what} (output so far: ${JSON.stringify(out.slice(-300))})`, ms),
  };
}

describe("local server supervision", function () {
  this.timeout(180_000);
  let s: Services;
  let id: string;

  before(async () => {
    s = await services();
    await connectLocal(s);
    id = (await s.connection.client().createSandbox({ name: `it-sup-${Date.now().toString(36)}`, labels: { created_by: "it" } })).id;
  });

  after(async () => {
    if (s.connection.state.kind === "connected") await s.connection.client().delete(id).catch(() => undefined);
  });

  it("notices a killed server at once, restarts it on the same address, and the terminal carries on", async () => {
    const pty = new RemotePseudoterminal(await s.targets.get(id), terminalOptions(s, id, { log: s.log }));
    const t = drive(pty);
    await pty.open({ columns: 80, rows: 24 });
    t.type("echo before-$((20+1))\r");
    await t.expect(/before-21/, "the shell runs before the kill");

    const before = s.connection.state;
    assert.equal(before.kind, "connected");
    const pid = s.connection.localServer.pid;
    assert.ok(pid, "the local server runs");
    const states: string[] = [];
    const sub = s.connection.onDidChange((st) => states.push(st.kind));
    const killedAt = Date.now();
    process.kill(pid, "SIGKILL");
    await waitFor(() => s.connection.state.kind !== "connected", "the connection shows the server is gone", 2000);
    const noticedMs = Date.now() - killedAt;
    assert.ok(noticedMs < 1000, `noticed within a second (${noticedMs} ms)`);
    const failed = s.connection.state;
    assert.equal(failed.kind, "failed");
    assert.match(failed.kind === "failed" ? failed.error.message : "", /local server stopped \(SIGKILL\)/);

    await waitFor(() => s.connection.state.kind === "connected", "the server was restarted and the connection is back", 60_000);
    sub.dispose();
    const after = s.connection.state;
    assert.ok(after.kind === "connected" && before.kind === "connected" && after.apiUrl === before.apiUrl, "the same address as before");
    assert.notEqual(s.connection.localServer.pid, pid, "a new server process");
    assert.deepEqual(states.slice(0, 2), ["failed", "connecting"]);

    await s.sandboxes.refreshNow();
    assert.ok(s.sandboxes.store.all().some((r) => r.id === id), "the sandbox is listed again after the restart");
    await t.expect(/reconnected/, "the terminal reconnects by itself", 60_000);
    t.type("echo after-$((40+2))\r");
    await t.expect(/after-42/, "the terminal runs commands in the sandbox again");
  });

  it("says in the terminal that the sandbox was stopped, and a key closes it", async () => {
    const pty = new RemotePseudoterminal(await s.targets.get(id), terminalOptions(s, id, { log: s.log }));
    const t = drive(pty);
    let closed = false;
    pty.onDidClose(() => (closed = true));
    await pty.open({ columns: 80, rows: 24 });
    t.type("echo up\r");
    await t.expect(/up/, "the shell runs");
    await vscode.commands.executeCommand("daytona.sandbox.stop", s.sandboxes.provider.nodeFor(id) ?? { kind: "sandbox", id: `sandbox:${id}`, record: await s.connection.client().getSandbox(id), children: [], tags: [] });
    await t.expect(/sandbox it-sup-\S+ was stopped\. Press any key to close this terminal/, "the terminal says the sandbox was stopped", 60_000);
    assert.equal(closed, false, "the terminal stays until a key is pressed");
    t.type("x");
    await waitFor(() => closed, "a key closes it");
  });
});
