// Volumes, signed previews, tooltip metrics and server-driven transitions in a real extension host:
// create a volume from the Volumes view's command, mount it in two sandboxes (one through the volume's
// "Create Sandbox with Volume", one through Create Sandbox), see a file written by one in the other,
// refuse to delete it while mounted, delete it after; a private sandbox's port preview is a signed
// link that opens without a token; a started sandbox's tooltip shows its usage on hover. Then, on a
// second local server with a 300 ms "minute", sandboxes stopped, archived and deleted by the server's
// interval timers show so in the tree by push, with no list request.
import * as assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import * as vscode from "vscode";
import type { Services } from "../../../src/services";
import { connectLocal, services, sh, startExtraLocalServer, waitFor, type ExtraLocalServer } from "../support";

describe("volumes, signed previews, usage in tooltips", function () {
  this.timeout(180_000);
  let s: Services;
  const tag = Date.now().toString(36);
  const volName = `it-vol-${tag}`;
  const made: string[] = [];

  before(async () => {
    s = await services();
    await connectLocal(s);
    await vscode.commands.executeCommand("workbench.view.extension.daytona");
    await vscode.commands.executeCommand("daytona.volumes.focus");
  });

  after(async () => {
    for (const id of made) await s.connection.client().delete(id).catch(() => undefined);
  });

  it("creates a volume, mounts it into two sandboxes, and deletes it once unmounted", async () => {
    const volumeId = await vscode.commands.executeCommand<string>("daytona.volume.create", volName);
    assert.ok(volumeId, "create returned the volume id");
    await waitFor(async () => {
      await s.volumes.refreshNow();
      return s.volumes.provider.all().some((v) => v.id === volumeId && v.state === "ready");
    }, "the volume shows as ready");
    const node = s.volumes.provider.all().find((v) => v.id === volumeId)!;
    const item = s.volumes.provider.getTreeItem(node);
    assert.match(String(item.contextValue), /^volume\+ready\+mountable\+deletable/);

    const a = await vscode.commands.executeCommand<string>("daytona.volume.createSandbox", node, [node], "/home/daytona/shared", `it-vol-a-${tag}`);
    assert.ok(a, "Create Sandbox with Volume made a sandbox");
    made.push(a);
    const b = await vscode.commands.executeCommand<string>("daytona.sandbox.create", "", `it-vol-b-${tag}`, [{ volumeId, mountPath: "/data" }]);
    assert.ok(b);
    made.push(b);
    const w = await sh(s, a, "echo from-a > /home/daytona/shared/note.txt");
    assert.equal(w.exitCode, 0, w.result);
    const r = await sh(s, b, "cat /data/note.txt");
    assert.equal(r.result.trim(), "from-a");

    assert.equal(await vscode.commands.executeCommand<number>("daytona.volume.delete", node, [node], true), 0, "a mounted volume is not deleted");
    for (const id of made.splice(0)) await s.connection.client().delete(id);
    await waitFor(async () => {
      await s.volumes.refreshNow();
      const v = s.volumes.provider.all().find((x) => x.id === volumeId);
      return v?.state === "ready";
    }, "the volume is ready again");
    // The server refuses while the deletes are still finishing; retry until they are done.
    await waitFor(async () => (await vscode.commands.executeCommand<number>("daytona.volume.delete", node, [node], true)) === 1, "the volume deletes once unmounted", 30_000);
    await waitFor(async () => {
      await s.volumes.refreshNow();
      return !s.volumes.provider.all().some((v) => v.id === volumeId);
    }, "the volume leaves the view");
  });

  it("Open Port Preview gives a private sandbox a signed link that needs no token", async () => {
    const id = await vscode.commands.executeCommand<string>("daytona.sandbox.create", "", `it-preview-${tag}`, []);
    assert.ok(id);
    made.push(id);
    await waitFor(() => s.sandboxes.store.get(id)?.state === "started", "the sandbox shows as started");
    const node = s.sandboxes.provider.nodeFor(id)!;
    const port = 3999;
    const url = await Promise.race([
      vscode.commands.executeCommand<string>("daytona.sandbox.openPreview", node, [node], port, 120),
      new Promise<undefined>((r) => setTimeout(() => r(undefined), 20_000)),
    ]);
    assert.ok(url, "the command returned the URL it opened");
    assert.match(url, new RegExp(`/preview-signed/${port}-[a-z0-9]+/$`));
    // Nothing listens on the port: the proxy answers 502, which means the link itself was accepted.
    assert.equal((await fetch(url)).status, 502);
    const plain = await s.connection.client().previewUrl(id, port);
    assert.equal((await fetch(plain.url)).status, 401, "the unsigned URL needs the token");
  });

  it("a started sandbox's tooltip shows CPU, memory and disk once resolved", async () => {
    const id = made[made.length - 1];
    const node = s.sandboxes.provider.nodeFor(id)!;
    const item = s.sandboxes.provider.getTreeItem(node);
    // Left open so that VS Code asks for it on hover (and only then fetches the usage).
    assert.equal(item.tooltip, undefined);
    const resolved = await s.sandboxes.provider.resolveTreeItem(item, node, new vscode.CancellationTokenSource().token);
    const text = (resolved.tooltip as vscode.MarkdownString).value;
    assert.match(text, /CPU: [\d.]+% of 1 vCPU/);
    assert.match(text, /memory: .* of 1\.0 GiB/);
    assert.match(text, /disk: .* of 3\.0 GiB/);
  });
});

describe("server-driven auto-stop, auto-archive and auto-delete reach the tree by push", function () {
  this.timeout(120_000);
  const KEY = `dtn_it_${randomBytes(12).toString("hex")}`;
  let s: Services;
  let server: ExtraLocalServer | undefined;
  let apiUrl: string;

  const stats = async (): Promise<Record<string, number>> => {
    const res = await fetch(`${apiUrl}/_local/stats`, { headers: { Authorization: `Bearer ${KEY}` } });
    return ((await res.json()) as { byRoute: Record<string, number> }).byRoute;
  };

  before(async () => {
    s = await services();
    server = await startExtraLocalServer(KEY, ["--minute-ms", "300", "--transition-ms", "50"]);
    apiUrl = server.apiUrl;
    assert.equal(await vscode.commands.executeCommand<boolean>("daytona.signIn", { kind: "selfHosted", apiUrl, apiKey: KEY }), true);
    await vscode.commands.executeCommand("workbench.view.extension.daytona");
    await vscode.commands.executeCommand("daytona.sandboxes.focus");
    await waitFor(() => s.sandboxes.pushConnected, "pushed events are flowing");
  });

  after(async () => {
    await server?.stop(s);
  });

  it("stopped, then archived, by the server's timers; deleted right after stopping with autoDeleteInterval 0", async () => {
    const client = s.connection.client();
    const kept = await client.createSandbox({ name: "it-auto-archive", autoStopInterval: 1, autoArchiveInterval: 1 });
    const gone = await client.createSandbox({ name: "it-auto-delete", autoStopInterval: 1, autoDeleteInterval: 0 });
    await s.sandboxes.refreshNow();
    const lists0 = (await stats())["GET /sandbox"] ?? 0;
    const seen = new Set<string>();
    const sub = s.sandboxes.store.onDidChange(() => {
      const r = s.sandboxes.store.get(kept.id);
      if (r) seen.add(r.state);
    });
    try {
      // Archiving writes the archive file: the engine exports the whole image first (about 10 s here).
      await waitFor(() => s.sandboxes.store.get(kept.id)?.state === "archived", "the first sandbox shows as archived", 60_000);
      await waitFor(() => s.sandboxes.store.get(gone.id) === undefined, "the second sandbox leaves the tree", 20_000);
    } finally {
      sub.dispose();
    }
    assert.ok(seen.has("stopped"), `the tree showed it stopped on the way (saw ${[...seen].join(", ")})`);
    const node = s.sandboxes.provider.nodeFor(kept.id)!;
    assert.match(String(s.sandboxes.provider.getTreeItem(node).contextValue), /^sandbox\+archived/);
    assert.equal((await stats())["GET /sandbox"] ?? 0, lists0, "no list request: the changes came by push");
  });
});
