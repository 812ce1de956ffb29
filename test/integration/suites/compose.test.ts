// A three-service compose file opened in a sandbox (Docker-in-Docker on the local server's Docker
// engine): each service is listed under its sandbox and reachable (exec, files, terminal), opening it
// again reuses the sandbox, and deleting the sandbox leaves no container behind.
import * as assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as vscode from "vscode";
import type { ComposeOpenResult } from "../../../src/core/create/openCompose";
import type { Services } from "../../../src/services";
import type { RemotePseudoterminal } from "../../../src/terminal/remotePseudoterminal";
import { connectLocal, services, waitFor } from "../support";

function dockerAvailable(): boolean {
  try {
    execFileSync("docker", ["info"], { stdio: "ignore", timeout: 10_000 });
    return true;
  } catch {
    return false;
  }
}

function hostContainers(project: string): string[] {
  return execFileSync("docker", ["ps", "-aq", "--filter", `label=com.docker.compose.project=${project}`], { encoding: "utf8" }).split("\n").filter(Boolean);
}

describe("compose: three services in one Docker-in-Docker sandbox", function () {
  this.timeout(300_000);
  let s: Services;
  let opened: ComposeOpenResult | undefined;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "daytona-compose-"));
  const project = () => opened!.project;

  before(async function () {
    if (!dockerAvailable()) {
      const msg = "!!! DOCKER UNAVAILABLE: the compose integration tests need a Docker engine (bash scripts/setup-docker.sh)";
      if (process.env.CI === "true") throw new Error(msg);
      console.warn(msg);
      this.skip();
    }
    s = await services();
    await connectLocal(s);
    await vscode.commands.executeCommand("workbench.view.extension.daytona");
    const folder = path.join(dir, `c3${Date.now().toString(36)}`);
    fs.cpSync(path.resolve(__dirname, "../../../test/fixtures/open/compose-three"), folder, { recursive: true });
    opened = await vscode.commands.executeCommand<ComposeOpenResult>("daytona.openInSandbox", vscode.Uri.file(path.join(folder, "compose.yaml")), undefined, { quiet: true });
  });

  after(async () => {
    if (opened) await s.connection.client().delete(opened.sandbox.id).catch(() => undefined);
  });

  it("brings up all three services and lists them under the sandbox", async () => {
    assert.ok(opened, "opened");
    assert.deepEqual(opened.services.map((x) => x.name).sort(), ["cache", "web", "worker"]);
    assert.equal(opened.defaultService, "worker", "x-default wins");
    // Issue 19, item 5: named after its folder like a folder's sandbox, not only by its id.
    assert.match(opened.sandbox.name, /^c3[0-9a-z]+-[0-9a-f]{4}$/, "<folder>-<hash>");
    await waitFor(() => {
      const node = s.sandboxes.provider.nodeFor(opened!.sandbox.id);
      return node?.kind === "sandbox" && node.children.filter((c) => c.kind === "service").length === 3;
    }, "three service nodes under the sandbox");
    assert.equal(hostContainers(project()).length, 3, "three real containers");
  });

  it("runs commands and reads and writes files in each service", async () => {
    for (const name of ["web", "worker", "cache"]) {
      const t = await s.targets.get(`${opened!.sandbox.id}+${name}`);
      assert.equal((await t.exec(["sh", "-c", "echo $ROLE"])).output.trim(), name);
      const uri = vscode.Uri.parse(`daytona://${opened!.sandbox.id}+${name}/tmp/from-vscode.txt`);
      await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(`hello ${name}`));
      assert.equal(new TextDecoder().decode(await vscode.workspace.fs.readFile(uri)), `hello ${name}`);
      assert.equal((await t.exec(["cat", "/tmp/from-vscode.txt"])).output.trim(), `hello ${name}`, "the write landed in that container");
    }
    const worker = await s.targets.get(`${opened!.sandbox.id}+worker`);
    assert.match((await worker.exec(["wget", "-qO-", "http://web:8080/"])).output, /hello from web/, "services reach each other by name");
  });

  it("opens a terminal in a service", async () => {
    const node = s.sandboxes.provider.nodeFor(opened!.sandbox.id)!.children.find((c) => c.kind === "service" && c.name === "cache");
    const r = await vscode.commands.executeCommand<{ terminal: vscode.Terminal; pty: RemotePseudoterminal }>("daytona.sandbox.openTerminal", node);
    assert.ok(r, "a terminal opened");
    let out = "";
    r.pty.onDidWrite((d) => (out += d));
    await waitFor(() => out.length > 0, "the service's shell printed something");
    r.pty.handleInput("echo role=$ROLE-$((2+3))\r");
    await waitFor(() => /role=cache-5/.test(out), `the command ran in the cache service (output: ${JSON.stringify(out.slice(-200))})`);
    r.terminal.dispose();
  });

  it("opening the compose file again reuses the sandbox", async () => {
    const again = await vscode.commands.executeCommand<ComposeOpenResult>("daytona.openInSandbox", vscode.Uri.file(path.join(dir, fs.readdirSync(dir)[0], "compose.yaml")), undefined, { quiet: true });
    assert.ok(again);
    assert.equal(again.sandbox.id, opened!.sandbox.id);
    assert.equal(again.reused, true);
    assert.equal(again.services.length, 3);
  });

  it("deleting the sandbox leaves no container behind", async () => {
    const node = s.sandboxes.provider.nodeFor(opened!.sandbox.id);
    await vscode.commands.executeCommand("daytona.sandbox.delete", node, [node], { confirmed: true });
    await waitFor(() => hostContainers(project()).length === 0, "no containers of the project on the engine", 60_000);
    opened = undefined;
  });
});
