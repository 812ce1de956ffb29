// Open in Daytona Sandbox end to end against the local server: a Dockerfile with COPY, ARG, ENV and
// RUN builds and its files are there; a one-service compose file gets its env, labels, resources
// and auto-stop; opening the same folder twice reuses one sandbox; a re-sync after one edit sends
// only that file; a broken compose file is refused with its line in the Problems panel.
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as vscode from "vscode";
import type { OpenResult } from "../../../src/core/create/openWorkspace";
import type { Services } from "../../../src/services";
import { connectLocal, localStats, resetLocalStats, services, sh, waitFor } from "../support";

const fixtures = path.resolve(__dirname, "../../../test/fixtures/open");

function copyFixture(name: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `daytona-open-${name}-`));
  fs.cpSync(path.join(fixtures, name), dir, { recursive: true });
  return dir;
}

describe("Open in Daytona Sandbox", function () {
  this.timeout(180_000);
  let s: Services;
  const made: string[] = [];
  const open = (target: string) => vscode.commands.executeCommand<OpenResult | undefined>("daytona.openInSandbox", vscode.Uri.file(target), undefined, { quiet: true });

  before(async () => {
    s = await services();
    await connectLocal(s);
  });

  after(async () => {
    for (const id of made) await s.connection.client().delete(id).catch(() => undefined);
  });

  it("builds a Dockerfile (COPY, ARG, ENV, RUN) and syncs the folder, ignoring what .gitignore ignores", async () => {
    const dir = copyFixture("dockerfile-app");
    const r = await open(path.join(dir, "Dockerfile"));
    assert.ok(r, "opened");
    made.push(r.sandbox.id);
    assert.equal(r.reused, false);
    assert.equal((await sh(s, r.sandbox.id, "cat ~/built/hello.txt")).result, "hello from the build context\n");
    assert.equal((await sh(s, r.sandbox.id, "cat ~/built/run.txt")).result, "built by RUN\n");
    assert.equal((await sh(s, r.sandbox.id, `sh ${r.remoteDir}/src/main.sh`)).result, "main says hello world\n");
    assert.equal((await sh(s, r.sandbox.id, `stat -c %a ${r.remoteDir}/src/main.sh`)).result.trim(), "755");
    assert.equal((await sh(s, r.sandbox.id, `test -e ${r.remoteDir}/debug.log; echo $?`)).result.trim(), "1", "ignored file not synced");
    assert.equal(r.sandbox.labels.created_by, "daytona-vscode");
  });

  it("gives a one-service compose sandbox its env, labels, resources and auto-stop", async () => {
    const dir = copyFixture("compose-one");
    const r = await open(path.join(dir, "compose.yaml"));
    assert.ok(r, "opened");
    made.push(r.sandbox.id);
    const rec = await s.connection.client().getSandbox(r.sandbox.id);
    assert.equal(rec.cpu, 2, "cpus 1.5 rounds up to 2");
    assert.equal(rec.memory, 2, "1536m rounds up to 2 GiB");
    assert.equal(rec.autoStopInterval, 30);
    assert.equal(rec.labels.team, "evals");
    assert.equal((await sh(s, r.sandbox.id, "echo $FOO-$MODE")).result, "bar-x-daytona\n");
    assert.equal((await sh(s, r.sandbox.id, "cat ~/app.txt")).result, "compose app file\n");
  });

  it("opening the same folder twice reuses one sandbox, and a re-sync after one edit sends only that file", async () => {
    const dir = copyFixture("dockerfile-app");
    for (let i = 0; i < 30; i++) fs.writeFileSync(path.join(dir, `data-${i}.txt`), "x".repeat(20_000));
    const first = await open(dir);
    assert.ok(first);
    made.push(first.sandbox.id);
    fs.writeFileSync(path.join(dir, "hello.txt"), "edited once\n");
    await resetLocalStats(s);
    const second = await open(dir);
    assert.ok(second);
    assert.equal(second.sandbox.id, first.sandbox.id, "the same sandbox");
    assert.equal(second.reused, true);
    assert.equal(second.sync.uploadedFiles, 1, "only the edited file");
    assert.ok(second.sync.roundTrips <= 2, `round trips: ${second.sync.roundTrips}`);
    const stats = (await localStats(s)) as unknown as { bytesIn: number };
    assert.ok(stats.bytesIn < 20_000, `bytes at the server ${stats.bytesIn} are well under one data file (20 kB)`);
    assert.equal((await sh(s, second.sandbox.id, `cat ${second.remoteDir}/hello.txt`)).result, "edited once\n");
  });

  it("refuses a broken compose file and shows the problem at its line", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "daytona-open-bad-"));
    const file = path.join(dir, "compose.yaml");
    fs.writeFileSync(file, "services:\n  app:\n    image: busybox\n    deploy:\n      resources:\n        limits:\n          cpus: many\n");
    const before = (await s.connection.client().listSandboxes()).length;
    const r = await open(file);
    assert.equal(r, undefined);
    await waitFor(() => vscode.languages.getDiagnostics(vscode.Uri.file(file)).length > 0, "a diagnostic on the compose file");
    const d = vscode.languages.getDiagnostics(vscode.Uri.file(file))[0];
    assert.equal(d.range.start.line, 6, "on the cpus line");
    assert.match(d.message, /cpus/);
    assert.equal((await s.connection.client().listSandboxes()).length, before, "nothing was created");
  });

  it("Preview Sandbox Plan shows the plan as JSON in a read-only virtual document", async () => {
    const dir = copyFixture("compose-one");
    const doc = await vscode.commands.executeCommand<vscode.TextDocument>("daytona.previewPlan", vscode.Uri.file(path.join(dir, "compose.yaml")));
    assert.ok(doc);
    assert.equal(doc.uri.scheme, "daytona-plan", "a virtual document, not an unsaved Untitled one");
    assert.equal(doc.isUntitled, false);
    assert.equal(doc.languageId, "json");
    const body = JSON.parse(doc.getText());
    assert.equal(body.ok, true);
    assert.equal(body.plan.kind, "compose-single");
    assert.equal(body.plan.sandbox.envVars.MODE, "x-daytona");
    await vscode.commands.executeCommand("workbench.action.closeAllEditors");
  });
});
