// Security inside a real extension host: sign in to a self-hosted server (a second local server started
// here with a known key) through the "Sign in with an API key" command's non-interactive argument, use
// the extension (list, open a file, a failing read, a refused sign-in with a wrong key), then search
// every place the extension writes for the key: its log files, every settings.json of the user data
// folder, its global and workspace storage, and the error messages it produced. The local server's
// own guarantees are tested elsewhere: requests without the token are refused
// (test/unit/local/preview-auth.test.ts), the path-confinement corpus (test/unit/local/sandbox-isolation.test.ts);
// here: it listens on loopback only.
import * as assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import * as vscode from "vscode";
import type { Services } from "../../../src/services";
import { services, startExtraLocalServer, waitFor, type ExtraLocalServer } from "../support";

/** Every file under `root` (following no links), skipping binary databases larger than `maxBytes`. */
function filesUnder(root: string, maxBytes = 64 * 1024 * 1024): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile() && fs.statSync(p).size <= maxBytes) out.push(p);
    }
  };
  walk(root);
  return out;
}

function containing(files: string[], needle: string): string[] {
  return files.filter((f) => {
    try {
      const b = fs.readFileSync(f);
      return b.includes(needle) || b.includes(Buffer.from(needle, "utf16le"));
    } catch {
      return false;
    }
  });
}

describe("security: the API key stays secret; the local server is loopback only", function () {
  this.timeout(180_000);
  const KEY = `dtn_it_${randomBytes(20).toString("hex")}`;
  let s: Services;
  let server: ExtraLocalServer | undefined;
  let apiUrl: string;
  const errors: string[] = [];

  before(async () => {
    s = await services();
    server = await startExtraLocalServer(KEY);
    assert.equal(server.token, KEY);
    apiUrl = server.apiUrl;
  });

  after(async () => {
    await server?.stop(s);
  });

  it("binds 127.0.0.1 only: the port does not answer on this machine's other addresses", async function () {
    const url = new URL(apiUrl);
    assert.equal(url.hostname, "127.0.0.1");
    const others = Object.values(os.networkInterfaces())
      .flat()
      .filter((a): a is os.NetworkInterfaceInfo => !!a && !a.internal)
      .map((a) => a.address);
    if (others.length === 0) {
      this.test!.title += " [this machine has no non-loopback address: only the bound address was checked]";
      return;
    }
    for (const addr of others) {
      const outcome = await new Promise<string>((resolve) => {
        const sock = net.connect({ host: addr, port: Number(url.port), timeout: 3000 });
        sock.once("connect", () => (sock.destroy(), resolve("connected")));
        sock.once("timeout", () => (sock.destroy(), resolve("timeout")));
        sock.once("error", (e: NodeJS.ErrnoException) => resolve(e.code ?? "error"));
      });
      assert.notEqual(outcome, "connected", `the local server answered on ${addr}:${url.port}`);
    }
    this.test!.title += ` [refused on ${others.join(", ")}]`;
    // The same port on loopback does answer, so the refusals above are about the address.
    const ok = await fetch(`${apiUrl}/sandbox`, { headers: { authorization: `Bearer ${KEY}` } });
    assert.equal(ok.status, 200);
  });

  it("signs in with the key, lists, opens a file, fails a read and a wrong-key sign-in", async () => {
    assert.equal(await vscode.commands.executeCommand<boolean>("daytona.signIn", { kind: "selfHosted", apiUrl, apiKey: KEY }), true);
    assert.equal(s.connection.state.kind, "connected");
    const client = s.connection.client();
    const sb = await client.createSandbox({ name: `it-sec-${Date.now().toString(36)}`, labels: { created_by: "it" } });
    await vscode.commands.executeCommand("daytona.refresh");
    await waitFor(async () => (await client.listSandboxes()).some((r) => r.id === sb.id), "the sandbox is listed");
    const target = await s.targets.get(sb.id);
    const home = await target.homeDir();
    await target.write(`${home}/hello.txt`, new TextEncoder().encode("hello"));
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.parse(`daytona://${sb.id}${home}/hello.txt`));
    await vscode.window.showTextDocument(doc);
    assert.equal(doc.getText(), "hello");
    await vscode.workspace.fs.readFile(vscode.Uri.parse(`daytona://${sb.id}${home}/missing.txt`)).then(
      () => assert.fail("reading a missing file succeeded"),
      (e: Error) => errors.push(e.message),
    );
    await client.getSandbox("no-such-sandbox").then(
      () => assert.fail("found a missing sandbox"),
      (e: Error) => errors.push(e.message),
    );
    // A refused key that contains the real one: if it leaked anywhere, the search below finds KEY in it.
    assert.equal(await vscode.commands.executeCommand<boolean>("daytona.signIn", { kind: "selfHosted", apiUrl, apiKey: `${KEY}-wrong` }), false);
    const failed = s.connection.state as import("../../../src/connection/connectionManager").ConnectionState;
    if (failed.kind === "failed") errors.push(failed.error.message, String(failed.error.stack));
    assert.equal(await vscode.commands.executeCommand<boolean>("daytona.signIn", { kind: "selfHosted", apiUrl, apiKey: KEY }), true);
    await vscode.commands.executeCommand("workbench.action.closeActiveEditor");
    await client.delete(sb.id).catch(() => undefined);
  });

  it("the key appears in no log file, settings.json, storage folder or error message", async function () {
    const ctx = s.context;
    // Give the log channel and storage a moment to reach the disk.
    await new Promise((r) => setTimeout(r, 1500));
    const logRoot = path.dirname(path.dirname(ctx.logUri.fsPath));
    const logs = filesUnder(logRoot);
    assert.ok(containing(logs, apiUrl).length > 0, `the extension's log (under ${logRoot}) records the connection, so the search looked at it`);
    const userDir = path.dirname(path.dirname(ctx.globalStorageUri.fsPath)); // <user data>/User
    const settings = filesUnder(userDir).filter((f) => path.basename(f) === "settings.json");
    const storage = [ctx.globalStorageUri.fsPath, ctx.storageUri?.fsPath, ctx.logUri.fsPath].filter((p): p is string => !!p).flatMap((p) => filesUnder(p));
    const searched = [...new Set([...logs, ...settings, ...storage])];
    this.test!.title += ` [searched ${searched.length} files: ${logs.length} logs, ${settings.length} settings.json, ${storage.length} in storage; ${errors.length} error messages]`;
    assert.deepEqual(containing(searched, KEY), [], "files holding the API key");
    assert.ok(errors.length >= 3, `errors were produced: ${errors.join(" | ")}`);
    for (const m of errors) assert.ok(!m.includes(KEY), `an error message holds the key: ${m}`);
  });
});
