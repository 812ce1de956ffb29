// Fixture runs in the extension host against the local server: two fixture snapshots of a small git
// project whose test fails; the working tree's fix turns it green on both, side by side; a change on a
// commit the fixtures lack is reported as not applying; fixture sandboxes are gone afterwards unless
// kept on failure.
import * as assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { create as tarCreate } from "tar";
import * as vscode from "vscode";
import { FIXTURE_LABEL } from "../../../src/core/fixture/prepareFixture";
import type { Services } from "../../../src/services";
import type { FixtureOutcome } from "../../../src/testing/fixtureRuns";
import { connectLocal, services, waitFor } from "../support";

const git = (cwd: string, ...args: string[]) => execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@e", ...args], { cwd, encoding: "utf8" });

describe("fixture runs: test changes on snapshots", function () {
  this.timeout(180_000);
  let s: Services;
  let repo: string;
  const stamp = Date.now().toString(36);
  const fixtures = [`calc-fixture-a-${stamp}`, `calc-fixture-b-${stamp}`];
  const fixtureSandboxes = async () => (await s.connection.client().listSandboxes()).filter((r) => r.labels[FIXTURE_LABEL] !== undefined);

  before(async () => {
    s = await services();
    await connectLocal(s);
    repo = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "daytona-fixture-")), "calc");
    fs.mkdirSync(path.join(repo, "test"), { recursive: true });
    fs.writeFileSync(path.join(repo, "package.json"), JSON.stringify({ name: "calc", scripts: { test: "node --test" } }));
    fs.writeFileSync(path.join(repo, "math.js"), "exports.add = (a, b) => a - b;\n");
    fs.writeFileSync(path.join(repo, "test", "math.test.js"), "const t = require('node:test');\nconst assert = require('node:assert');\nt.test('adds', () => assert.equal(require('../math').add(2, 2), 4));\nt.test('is a function', () => assert.equal(typeof require('../math').add, 'function'));\n");
    git(repo, "init", "-q", "-b", "main");
    git(repo, "add", "-A");
    git(repo, "commit", "-q", "-m", "fixture state");
    const client = s.connection.client();
    const src = await client.createSandbox({ name: `calc-src-${stamp}` });
    const sdk = await client.toolbox(src.id);
    const tarFile = path.join(path.dirname(repo), "calc.tar");
    await tarCreate({ file: tarFile, cwd: path.dirname(repo) }, ["calc"]);
    await sdk.fs.uploadFile(tarFile, "/tmp/calc.tar");
    await sdk.process.executeCommand("tar -xf /tmp/calc.tar -C ~");
    for (const name of fixtures) await sdk.createSnapshot(name);
    await client.delete(src.id);
  });

  after(async () => {
    for (const name of fixtures) await s.connection.client().deleteSnapshot(name).catch(() => undefined);
    for (const r of await fixtureSandboxes()) await s.connection.client().delete(r.id).catch(() => undefined);
  });

  it("a fix turns the failing test green on two fixtures at once, and their sandboxes are deleted", async () => {
    fs.writeFileSync(path.join(repo, "math.js"), "exports.add = (a, b) => a + b;\n");
    const outcomes = await vscode.commands.executeCommand<FixtureOutcome[]>("daytona.tests.changesOnSnapshot", vscode.Uri.file(repo), fixtures);
    assert.equal(outcomes.length, 2);
    for (const o of outcomes) {
      assert.equal(o.status, "ran", JSON.stringify(o));
      assert.deepEqual(o.results.map((r) => `${r.name}:${r.status}`).sort(), ["adds:passed", "is a function:passed"], o.snapshot);
      assert.equal(o.kept, false);
    }
    await waitFor(async () => (await fixtureSandboxes()).length === 0, "no fixture sandbox left (deletes finish)", 30_000);
  });

  it("without the fix the fixture reports the failure; keepOnFailure keeps its sandbox", async () => {
    git(repo, "checkout", "-q", "--", "math.js");
    await vscode.workspace.getConfiguration("daytona.fixtures").update("keepOnFailure", true, vscode.ConfigurationTarget.Global);
    try {
      const [o] = await vscode.commands.executeCommand<FixtureOutcome[]>("daytona.tests.changesOnSnapshot", vscode.Uri.file(repo), [fixtures[0]]);
      assert.equal(o.status, "ran");
      assert.equal(o.results.find((r) => r.name === "adds")?.status, "failed");
      assert.equal(o.kept, true);
      assert.ok((await fixtureSandboxes()).some((r) => r.id === o.sandboxId), "the failed run's sandbox is kept");
      await s.connection.client().delete(o.sandboxId);
    } finally {
      await vscode.workspace.getConfiguration("daytona.fixtures").update("keepOnFailure", undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it("a change on a commit the fixture lacks is reported as not applying, with the rejected hunk", async () => {
    fs.writeFileSync(path.join(repo, "math.js"), "exports.add = (a, b) => a + b; // committed later\n");
    git(repo, "commit", "-qam", "not in the fixture");
    fs.writeFileSync(path.join(repo, "math.js"), "exports.add = (a, b) => b + a;\n");
    const [o] = await vscode.commands.executeCommand<FixtureOutcome[]>("daytona.tests.changesOnSnapshot", vscode.Uri.file(repo), [fixtures[1]]);
    assert.equal(o.status, "rejected");
    assert.equal(o.results.length, 0, "not run as a test failure");
    assert.ok(o.rejects.some((r) => r.file === "math.js" && /committed later/.test(r.hunks)), JSON.stringify(o.rejects));
    await waitFor(async () => (await fixtureSandboxes()).length === 0, "its sandbox was deleted", 30_000);
  });
});
