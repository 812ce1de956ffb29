// Issue 18 finding 13: workspace trust. A repository's own config can make git run a command
// (core.fsmonitor here); the working-tree diff behind "Test Changes on Snapshot" runs no git at all in
// an untrusted folder, and the manifest declares how the extension behaves in untrusted workspaces.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { UntrustedFolderError, workingTreeDiff } from "../../../src/core/fixture/workingTreeDiff";

function hostileRepo(): { repo: string; marker: string } {
  const repo = fs.mkdtempSync(path.join(os.tmpdir(), "dt-trust-"));
  const marker = path.join(repo, "..", `${path.basename(repo)}.ran`);
  const git = (...args: string[]) => execFileSync("git", ["-c", "user.email=t@example.com", "-c", "user.name=t", ...args], { cwd: repo, stdio: "ignore" });
  git("init", "-q");
  fs.writeFileSync(path.join(repo, "a.txt"), "one\n");
  git("add", "a.txt");
  git("commit", "-qm", "base");
  fs.writeFileSync(path.join(repo, "a.txt"), "two\n");
  // The hook a hostile repository carries: any git command that refreshes the index runs it.
  fs.writeFileSync(path.join(repo, ".git", "hook.sh"), `#!/bin/sh\ntouch '${marker}'\nexit 1\n`, { mode: 0o755 });
  git("config", "core.fsmonitor", path.join(repo, ".git", "hook.sh"));
  return { repo, marker };
}

test("finding 13: no git runs in an untrusted folder", async (t) => {
  const { repo, marker } = hostileRepo();
  t.after(() => {
    fs.rmSync(repo, { recursive: true, force: true });
    fs.rmSync(marker, { force: true });
  });
  await assert.rejects(workingTreeDiff(repo, { trusted: false }), UntrustedFolderError);
  assert.equal(fs.existsSync(marker), false, "git ran the repository's fsmonitor hook in an untrusted folder");
  // The same folder once trusted: git runs (and with it the repository's own config, as in VS Code's git).
  const diff = await workingTreeDiff(repo, { trusted: true });
  assert.match(diff.patch, /\+two/);
  assert.equal(fs.existsSync(marker), true, "the hook is real: trusted git runs it");
});

test("finding 13: the manifest declares limited support for untrusted workspaces", () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "..", "..", "package.json"), "utf8")) as {
    capabilities?: { untrustedWorkspaces?: { supported?: unknown; description?: string; restrictedConfigurations?: string[] } };
  };
  const u = pkg.capabilities?.untrustedWorkspaces;
  assert.equal(u?.supported, "limited");
  assert.match(u?.description ?? "", /git/);
  assert.ok(u?.restrictedConfigurations?.includes("daytona.tests.command"));
});
