// Terminals in a local sandbox: typing and reading output, resize, Ctrl-C, a dropped connection that
// reconnects to the same shell, the exit code, and closing the terminal closing the remote PTY.
import * as assert from "node:assert/strict";
import * as vscode from "vscode";
import type { Services } from "../../../src/services";
import { RemotePseudoterminal } from "../../../src/terminal/remotePseudoterminal";
import { connectLocal, services, waitFor } from "../support";

/** Drives a RemotePseudoterminal the way VS Code does, keeping everything it writes. */
function drive(pty: RemotePseudoterminal) {
  let out = "";
  let closed: number | void | undefined;
  pty.onDidWrite((d) => (out += d));
  pty.onDidClose((c) => (closed = c ?? 0));
  return {
    get out() {
      return out;
    },
    get closed() {
      return closed;
    },
    type: (text: string) => pty.handleInput(text),
    expect: (re: RegExp, what: string) => waitFor(() => re.test(out), `${what} (output so far: ${JSON.stringify(out.slice(-300))})`),
  };
}

describe("sandbox terminals", function () {
  this.timeout(120_000);
  let s: Services;
  let id: string;

  before(async () => {
    s = await services();
    await connectLocal(s);
    id = (await s.connection.client().createSandbox({ name: `it-term-${Date.now().toString(36)}`, labels: { created_by: "it" } })).id;
  });

  after(async () => {
    await s.connection.client().delete(id).catch(() => undefined);
  });

  it("types, reads, resizes, interrupts, survives a dropped connection and reports the exit code", async () => {
    const target = await s.targets.get(id);
    const pty = new RemotePseudoterminal(target, { log: s.log });
    const t = drive(pty);
    await pty.open({ columns: 80, rows: 24 });
    t.type("echo sum-$((40+2))\r");
    await t.expect(/sum-42/, "the command's output");
    pty.setDimensions({ columns: 100, rows: 30 });
    await new Promise((r) => setTimeout(r, 300));
    t.type("stty size\r");
    await t.expect(/30 100/, "the new size inside the shell");
    t.type("sleep 30; echo not-interrupted-$((6*7))\r"); // the echoed line is not "...-42"
    await new Promise((r) => setTimeout(r, 500));
    t.type("\x03");
    t.type("echo after-ctrl-c\r");
    await t.expect(/after-ctrl-c/, "a prompt after Ctrl-C");
    assert.doesNotMatch(t.out, /not-interrupted-42/);

    t.type("export KEPT=still-here\r");
    await new Promise((r) => setTimeout(r, 300));
    await pty.dropConnection();
    await t.expect(/reconnected/, "the terminal reconnects by itself");
    t.type("echo value=$KEPT\r");
    await t.expect(/value=still-here/, "the same shell, its variables intact");

    t.type("exit 7\r");
    await waitFor(() => t.closed !== undefined, "the terminal closes when the shell exits");
    assert.equal(t.closed, 7);
    assert.match(t.out, /exited with code 7/);
  });

  it("opens from the tree and closing it closes the remote PTY", async () => {
    await vscode.commands.executeCommand("workbench.view.extension.daytona");
    await waitFor(() => s.sandboxes.provider.nodeFor(id) !== undefined, "the sandbox is in the tree");
    const opened = await vscode.commands.executeCommand<{ terminal: vscode.Terminal; pty: RemotePseudoterminal }>("daytona.sandbox.openTerminal", s.sandboxes.provider.nodeFor(id));
    assert.ok(opened, "a terminal was opened");
    assert.ok(vscode.window.terminals.includes(opened.terminal));
    const sdk = await s.connection.client().toolbox(id);
    await waitFor(async () => (await sdk.process.listPtySessions()).some((p) => p.id === opened.pty.id && p.active !== false), "the remote PTY exists");
    opened.terminal.dispose();
    await waitFor(async () => !(await sdk.process.listPtySessions()).some((p) => p.id === opened.pty.id && p.active !== false), "the remote PTY is gone");
  });
});
