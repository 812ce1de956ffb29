// Faults inside the real extension host, against a local server of the test's own (a child process
// signed in to as a self-hosted Daytona, so its faults do not touch other suites): a restart in the
// middle of an edit (the failed save keeps the editor dirty, the next save succeeds), every request
// failing with 5xx (the same), WebSockets dropped under a terminal (it reconnects to the same shell),
// and the Sandboxes view recovering by itself after the server came back.
import * as assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as readline from "node:readline";
import * as vscode from "vscode";
import type { Services } from "../../../src/services";
import { RemotePseudoterminal } from "../../../src/terminal/remotePseudoterminal";
import { services, sh, waitFor } from "../support";
import { freePort } from "../../support/freePort";

const serverJs = path.resolve(__dirname, "../../../dist/local-server.js");


describe("faults: restarts, 5xx and dropped WebSockets under the editor, terminals and the tree", function () {
  this.timeout(180_000);
  const token = `dtn_faults_${randomBytes(12).toString("hex")}`;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "daytona-faults-"));
  let port: number;
  let child: ChildProcess | undefined;
  let s: Services;
  let id: string;
  let home: string;

  async function startServer(faults?: string): Promise<void> {
    const args = [serverJs, "--port", String(port), "--data", dataDir, "--token", token, ...(faults ? ["--faults", faults] : [])];
    const c = spawn(process.execPath, args, { env: { ...process.env, ELECTRON_RUN_AS_NODE: "1" }, stdio: ["ignore", "pipe", "ignore"] });
    child = c;
    const line = await new Promise<string>((resolve, reject) => {
      readline.createInterface({ input: c.stdout! }).once("line", resolve);
      c.once("exit", (code) => reject(new Error(`local server exited with ${code}`)));
    });
    assert.match(line, /"apiUrl"/);
  }

  async function stopServer(): Promise<void> {
    const c = child;
    child = undefined;
    if (!c || c.exitCode !== null) return;
    const exited = new Promise((r) => c.once("exit", r));
    c.kill("SIGTERM");
    await exited;
  }

  before(async () => {
    port = await freePort();
    await startServer();
    s = await services();
    await vscode.workspace.getConfiguration("daytona").update("refresh.pollIntervalSeconds", 1, vscode.ConfigurationTarget.Global);
    const ok = await vscode.commands.executeCommand<boolean>("daytona.signIn", { kind: "selfHosted", apiUrl: `http://127.0.0.1:${port}/api`, apiKey: token });
    assert.equal(ok, true, "signed in to the test's own server");
    id = (await s.connection.client().createSandbox({ name: "faulty" })).id;
    home = await (await s.targets.get(id)).homeDir();
  });

  after(async () => {
    await vscode.workspace.getConfiguration("daytona").update("refresh.pollIntervalSeconds", undefined, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand("workbench.action.closeAllEditors");
    await vscode.commands.executeCommand("daytona.signOut");
    await stopServer();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  async function editAndFailToSave(doc: vscode.TextDocument, text: string): Promise<void> {
    const edit = new vscode.WorkspaceEdit();
    edit.insert(doc.uri, new vscode.Position(doc.lineCount - 1, 0), text);
    await vscode.workspace.applyEdit(edit);
    s.fileSystem.cache.clear();
    const saved = await doc.save().then((ok) => ok, () => false);
    assert.equal(saved, false, "the save failed");
    assert.equal(doc.isDirty, true, "the editor is still dirty");
    assert.ok(doc.getText().includes(text), "the edit is still there");
  }

  it("a server restart in the middle of an edit: the failed save keeps the edit, the next save succeeds", async () => {
    const uri = vscode.Uri.parse(`daytona://${id}${home}/notes.txt`);
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode("one\n"));
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);
    await stopServer();
    await editAndFailToSave(doc, "two\n");
    await startServer();
    await waitFor(async () => (await doc.save().then((ok) => ok, () => false)) && !doc.isDirty, "the next save succeeds", 30_000);
    assert.equal((await sh(s, id, `cat ${home}/notes.txt`)).result, "one\ntwo\n");
  });

  it("every request answered 503: the save fails clearly and nothing is lost; without the fault it succeeds", async () => {
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.parse(`daytona://${id}${home}/notes.txt`));
    await stopServer();
    await startServer("5xx=1,seed=1");
    await editAndFailToSave(doc, "three\n");
    await stopServer();
    await startServer();
    await waitFor(async () => (await doc.save().then((ok) => ok, () => false)) && !doc.isDirty, "the save after the fault succeeds", 30_000);
    assert.equal((await sh(s, id, `cat ${home}/notes.txt`)).result, "one\ntwo\nthree\n");
  });

  it("a terminal whose shell is gone while it was disconnected opens a new shell at once and says so", async () => {
    const pty = new RemotePseudoterminal(await s.targets.get(id), { log: s.log });
    let out = "";
    let closed: number | void | undefined;
    pty.onDidWrite((d) => (out += d));
    pty.onDidClose((code) => (closed = code ?? 0));
    await pty.open({ columns: 80, rows: 24 });
    // Dropped, and the PTY ended meanwhile (as when the sandbox stops or its server restarts): the
    // reconnect's answer is PROCESS_NOT_FOUND, which no retry can change; a new shell under the same
    // terminal is opened instead, and the terminal says so.
    await pty.dropConnection();
    const sdk = await s.connection.client().toolbox(id);
    await sdk.process.killPtySession(pty.id);
    const dropped = Date.now();
    await waitFor(() => /previous shell had ended/.test(out) || closed !== undefined, `a new shell was opened (output: ${JSON.stringify(out.slice(-300))})`, 20_000);
    // Retrying would take the whole back-off (about 16 s) before giving up.
    assert.ok(Date.now() - dropped < 5000, `reopened ${Date.now() - dropped} ms after the drop`);
    assert.equal(closed, undefined, `the terminal stays open (output: ${JSON.stringify(out.slice(-300))})`);
    assert.match(out, /\[reconnected; the previous shell had ended, this is a new one\]/);
    assert.doesNotMatch(out, /could not reconnect|is gone/);
    pty.handleInput("echo fresh=$((40+2))\r");
    await waitFor(() => /fresh=42/.test(out), `the new shell answers (output: ${JSON.stringify(out.slice(-300))})`, 20_000);
    pty.close();
  });

  it("dropped WebSockets under a terminal: it reconnects to the same shell by itself", async () => {
    await stopServer();
    await startServer("drop-ws-after=1500");
    const pty = new RemotePseudoterminal(await s.targets.get(id), { log: s.log });
    let out = "";
    pty.onDidWrite((d) => (out += d));
    await pty.open({ columns: 80, rows: 24 });
    pty.handleInput("export MARK=kept-$((20+22))\r");
    await waitFor(() => /reconnected/.test(out), "a dropped connection was reconnected", 20_000);
    await new Promise((r) => setTimeout(r, 200));
    pty.handleInput("echo mark=$MARK\r");
    await waitFor(() => /mark=kept-42/.test(out), `the same shell answers (output: ${JSON.stringify(out.slice(-300))})`, 20_000);
    pty.close();
    await stopServer();
    await startServer();
  });

  it("the Sandboxes view recovers by itself after the server was down", async () => {
    await vscode.commands.executeCommand("workbench.view.extension.daytona");
    await waitFor(() => s.sandboxes.store.get(id) !== undefined, "listed before the outage", 20_000);
    await stopServer();
    s.sandboxes.refresh(); // the view tries while the server is down: the list fails, the tree keeps what it had
    await new Promise((r) => setTimeout(r, 1500));
    await startServer();
    await s.connection.client().stop(id);
    await waitFor(() => s.sandboxes.store.get(id)?.state === "stopped", "a change after the outage reaches the tree without any action", 30_000);
  });
});
