// The sidebar against the real local server, inside the extension host: connect, list, lifecycle
// through the commands, pushed updates with no polling, no requests while hidden, sign-out.
import * as assert from "node:assert/strict";
import * as vscode from "vscode";
import { secretKeyFor } from "../../../src/core/daytona/profiles";
import type { Services } from "../../../src/services";
import { localStats, resetLocalStats, services, waitFor } from "../support";

describe("Daytona sidebar on the local server", function () {
  this.timeout(120_000);
  let s: Services;
  const name = `it-sidebar-${Date.now().toString(36)}`;
  let id: string | undefined;

  before(async () => {
    s = await services();
    await vscode.workspace.getConfiguration("daytona").update("refresh.pollIntervalSeconds", 1, vscode.ConfigurationTarget.Global);
  });

  after(async () => {
    await vscode.workspace.getConfiguration("daytona").update("refresh.pollIntervalSeconds", undefined, vscode.ConfigurationTarget.Global);
  });

  it("connects to local sandboxes with a token kept in secret storage", async () => {
    const ok = await vscode.commands.executeCommand<boolean>("daytona.useLocal");
    assert.equal(ok, true);
    const state = s.connection.state;
    assert.equal(state.kind, "connected");
    assert.equal(state.kind === "connected" && state.profile.kind, "local");
    assert.ok(await s.context.secrets.get(secretKeyFor("local")), "the local token is in SecretStorage");
    const settings = JSON.stringify(vscode.workspace.getConfiguration("daytona"));
    assert.ok(state.kind === "connected" && !settings.includes(state.token), "the token is not in settings");
  });

  it("lists a sandbox created through the command once the view is shown", async () => {
    await vscode.commands.executeCommand("workbench.view.extension.daytona");
    id = await vscode.commands.executeCommand<string>("daytona.sandbox.create", "", name);
    assert.ok(id, "create returned the new sandbox id");
    await waitFor(() => s.sandboxes.store.get(id!)?.state === "started", "the new sandbox shows as started");
    const node = s.sandboxes.provider.nodeFor(id!);
    assert.ok(node, "the tree has a node for it");
    const item = s.sandboxes.provider.getTreeItem(node);
    assert.match(String(item.contextValue), /^sandbox\+started\+stoppable/);
    assert.match(String(item.description), /CPU/);
    const created = (s.sandboxes.store.get(id!)?.labels ?? {}).created_by;
    assert.equal(created, "daytona-vscode");
  });

  it("stop arrives by push: the tree updates with no list request", async () => {
    const node = s.sandboxes.provider.nodeFor(id!);
    // Count only once push is up and the fetches already asked for (the view just became visible,
    // the event stream just connected) are done.
    await waitFor(() => s.sandboxes.pushConnected, "pushed events are flowing");
    await Promise.all([s.sandboxes.refreshNow(), s.snapshots.refreshNow()]);
    await resetLocalStats(s);
    await vscode.commands.executeCommand("daytona.sandbox.stop", node, [node]);
    await waitFor(() => s.sandboxes.store.get(id!)?.state === "stopped", "the sandbox shows as stopped");
    await new Promise((r) => setTimeout(r, 2500)); // the poll interval is 1 s: polling would show here
    const stats = await localStats(s);
    const routes = Object.keys(stats.byRoute);
    assert.ok(routes.some((r) => /^POST (\/api)?\/sandbox\/[^/]+\/stop$/.test(r)), `the stop reached the server: ${routes.join(", ")}`);
    const lists = routes.filter((r) => /^GET (\/api)?\/sandbox$/.test(r)).reduce((n, r) => n + stats.byRoute[r], 0);
    assert.equal(lists, 0, `no list request while push is up: ${JSON.stringify(stats.byRoute)}`);
  });

  it("start and delete through the commands", async () => {
    await vscode.commands.executeCommand("daytona.sandbox.start", s.sandboxes.provider.nodeFor(id!));
    await waitFor(() => s.sandboxes.store.get(id!)?.state === "started", "started again");
    const node = s.sandboxes.provider.nodeFor(id!);
    await vscode.commands.executeCommand("daytona.sandbox.delete", node, [node], { confirmed: true });
    await waitFor(() => s.sandboxes.store.get(id!) === undefined, "the deleted sandbox leaves the tree");
    await assert.rejects(s.connection.client().getSandbox(id!), /not found|404/i);
  });

  it("makes no request at all while the Daytona views are hidden", async () => {
    await vscode.commands.executeCommand("workbench.view.explorer");
    await waitFor(() => !s.sandboxes.treeView.visible && !s.snapshots.treeView.visible, "views hidden");
    await new Promise((r) => setTimeout(r, 500));
    await resetLocalStats(s);
    await new Promise((r) => setTimeout(r, 3500)); // poll interval is 1 s: three polls would have happened
    const stats = await localStats(s);
    assert.equal(stats.requests, 0, `requests while hidden: ${JSON.stringify(stats.byRoute)}`);
    await vscode.commands.executeCommand("workbench.view.extension.daytona");
  });

  it("sign-out deletes the stored token and disconnects", async () => {
    await vscode.commands.executeCommand("daytona.signOut");
    assert.equal(s.connection.state.kind, "disconnected");
    assert.equal(await s.context.secrets.get(secretKeyFor("local")), undefined);
  });
});
