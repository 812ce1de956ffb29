// Remote tests end to end against the local server: a node project with passing, failing and skipped
// tests runs in its sandbox and the Test Explorer items carry the right states, durations, messages
// and failure lines; re-running failed tests runs only those; cancel kills the remote process (no
// marker file, no process left on this machine); a fan-out to three forks reports three result sets
// and deletes the forks.
import * as assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as vscode from "vscode";
import type { OpenResult } from "../../../src/core/create/openWorkspace";
import type { Services } from "../../../src/services";
import type { RunSummary } from "../../../src/testing/remoteTests";
import { connectLocal, services, sh, waitFor } from "../support";

const fixture = path.resolve(__dirname, "../../../test/fixtures/tests-node");

function statuses(r: RunSummary, fork = 0): Record<string, string> {
  return Object.fromEntries(r.runs[fork].results.map((x) => [x.name, x.status]));
}

/** Processes on this machine whose command line matches (local sandboxes are processes here). */
function hostProcesses(pattern: string): string {
  try {
    return execFileSync("pgrep", ["-af", pattern], { encoding: "utf8" }).trim();
  } catch {
    return "";
  }
}

describe("remote tests in the Test Explorer", function () {
  this.timeout(240_000);
  let s: Services;
  let dir: string;
  let opened: OpenResult;

  before(async () => {
    s = await services();
    await connectLocal(s);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "daytona-tests-node-"));
    fs.cpSync(fixture, dir, { recursive: true });
    const r = await vscode.commands.executeCommand<OpenResult | undefined>("daytona.openInSandbox", vscode.Uri.file(dir), undefined, { quiet: true });
    assert.ok(r, "opened the fixture in a sandbox");
    opened = r;
  });

  after(async () => {
    if (opened) await s.connection.client().delete(opened.sandbox.id).catch(() => undefined);
  });

  it("runs the tests in the sandbox: statuses, durations, messages and failure lines in the local files", async () => {
    const r = await vscode.commands.executeCommand<RunSummary>("daytona.tests.run", vscode.Uri.file(dir));
    assert.ok(r, "ran");
    assert.equal(r.sandboxId, opened.sandbox.id);
    assert.deepEqual(statuses(r), {
      adds: "passed",
      "adds wrongly on purpose": "failed",
      "is skipped": "skipped",
      "upper-cases": "passed",
      "compares objects": "failed",
      slow: "skipped",
    });
    const root = s.testing?.tree.root(dir);
    assert.ok(root, "the folder has a root in the Test Explorer");
    const math = root.children.get(`${root.id} \u203a suite:math`);
    assert.ok(math, "the describe block is an item");
    const wrong = [...iter(math.children)].find((i) => i.label === "adds wrongly on purpose");
    assert.ok(wrong?.uri, "the failed test has the local file");
    assert.equal(wrong.uri.fsPath, path.join(dir, "math.test.mjs"));
    assert.equal(wrong.range?.start.line, 11, "at line 12 (0-based 11), where the assertion failed");
    const failed = r.runs[0].results.find((x) => x.name === "compares objects");
    assert.match(failed?.message ?? "", /deep-equal/);
    assert.equal(failed?.location?.line, 10);
    const upper = r.runs[0].results.find((x) => x.name === "upper-cases");
    assert.ok((upper?.durationMs ?? 0) >= 25, `duration reported: ${upper?.durationMs}`);
    assert.deepEqual([...(s.testing?.failures(dir) ?? [])].map((t) => t.name).sort(), ["adds wrongly on purpose", "compares objects"]);
  });

  it("re-runs only the failed tests, and runs the current file alone", async () => {
    const again = await vscode.commands.executeCommand<RunSummary>("daytona.tests.rerunFailed", vscode.Uri.file(dir));
    assert.ok(again);
    assert.match(again.command, /--test-name-pattern/);
    const ran = again.runs[0].results.filter((x) => x.status !== "skipped").map((x) => x.name).sort();
    assert.deepEqual(ran, ["adds wrongly on purpose", "compares objects"]);
    const one = await vscode.commands.executeCommand<RunSummary>("daytona.tests.runCurrentFile", vscode.Uri.file(path.join(dir, "strings.test.mjs")));
    assert.ok(one);
    assert.deepEqual(statuses(one), { "upper-cases": "passed", "compares objects": "failed" });
  });

  it("cancel kills the remote process: no marker file, no process left", async () => {
    const marker = `cancel-marker-${Date.now().toString(36)}`;
    fs.writeFileSync(path.join(dir, "slow.enabled"), marker);
    const source = new vscode.CancellationTokenSource();
    const running = vscode.commands.executeCommand<RunSummary>("daytona.tests.runCurrentFile", vscode.Uri.file(path.join(dir, "slow.test.mjs")), undefined, { token: source.token });
    const pattern = `[c]ancel-marker-${marker.slice("cancel-marker-".length)}`;
    await waitFor(() => hostProcesses(pattern) !== "", "the slow test's sleep runs in the sandbox", 30_000);
    source.cancel();
    const r = await running;
    assert.ok(r?.cancelled, "the run reports it was cancelled");
    await waitFor(() => hostProcesses(pattern) === "", "no process of the run is left", 10_000);
    await new Promise((res) => setTimeout(res, 9_000)); // longer than the test's sleep
    const check = await sh(s, opened.sandbox.id, `test -e ${opened.remoteDir}/${marker} && echo present || echo absent`);
    assert.equal(check.result.trim(), "absent", "the marker was never written");
    assert.equal(hostProcesses(pattern), "");
    fs.rmSync(path.join(dir, "slow.enabled"));
  });

  it("fans out to three forks, reports each fork's results under its own item, then deletes the forks", async () => {
    const r = await vscode.commands.executeCommand<RunSummary>("daytona.tests.run", vscode.Uri.file(dir), undefined, { forks: 3 });
    assert.ok(r);
    assert.equal(r.forks.length, 3);
    assert.equal(r.runs.length, 3);
    for (let i = 0; i < 3; i++) {
      assert.ok(r.runs[i].fork, "each run names its fork");
      assert.equal(statuses(r, i)["adds wrongly on purpose"], "failed");
      assert.equal(statuses(r, i).adds, "passed");
    }
    const root = s.testing?.tree.root(dir);
    const forkItems = [...iter(root!.children)].filter((i) => i.label.startsWith("fork "));
    assert.deepEqual(forkItems.map((i) => i.label).sort(), r.forks.map((f) => `fork ${f.name}`).sort());
    for (const f of forkItems) assert.ok(f.children.size > 0, `${f.label} has results`);
    const gone = async () => {
      const left = await s.connection.client().listSandboxes();
      return r.forks.every((f) => !left.some((x) => x.id === f.id && !["destroyed", "destroying"].includes(x.state)));
    };
    await waitFor(gone, "the three forks are deleted", 30_000);
    const left = await s.connection.client().listSandboxes();
    assert.ok(left.some((x) => x.id === opened.sandbox.id), "the folder's sandbox stays");
  });
});

function iter(c: vscode.TestItemCollection): vscode.TestItem[] {
  const out: vscode.TestItem[] = [];
  c.forEach((i) => out.push(i));
  return out;
}
