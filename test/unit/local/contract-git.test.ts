// Daytona's git routes driven by the real SDK against repositories inside the sandbox (no network):
// init, clone from a path and a file:// URL, status, branches, checkout, add, commit, push/pull to a
// bare repository, history, remotes, reset/restore, config, and the typed GIT_* errors.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  DaytonaGitBranchExistsError,
  DaytonaGitBranchNotFoundError,
  DaytonaGitDirtyWorktreeError,
  DaytonaGitPushRejectedError,
  DaytonaGitRepoNotFoundError,
} from "@daytonaio/sdk";
import { rejection, startTestServer } from "./helpers";


test("contract: git", async (t) => {
  const ts = await startTestServer();
  t.after(() => ts.stop());
  const sb = await ts.daytona.create();
  const g = sb.git;
  const sh = async (cmd: string, cwd?: string) => {
    const r = await sb.process.executeCommand(cmd, cwd);
    assert.equal(r.exitCode, 0, `${cmd}: ${r.result}`);
    return r.result;
  };

  await t.test("init a bare origin and a seed repository, commit, push with upstream", async () => {
    await g.init("origin.git", true, "main");
    assert.equal((await sh("git rev-parse --is-bare-repository", "/home/daytona/origin.git")).trim(), "true");
    await g.init("seed", false, "main");
    await sb.fs.uploadFile(Buffer.from("one\n"), "seed/a.txt");
    await g.add("seed", ["a.txt"]);
    const c = await g.commit("seed", "first", "Seed Author", "seed@example.com");
    assert.match(c.sha, /^[0-9a-f]{40}$/);
    await g.remoteAdd("seed", "origin", "/home/daytona/origin.git");
    assert.deepEqual(await g.remotes("seed"), { remotes: [{ name: "origin", url: "/home/daytona/origin.git" }] });
    await g.push("seed", undefined, undefined, "main", "origin", true);
    const st = await g.status("seed");
    assert.deepEqual([st.currentBranch, st.upstream, st.branchPublished, st.ahead, st.behind, st.fileStatus], ["main", "origin/main", true, 0, 0, []]);
  });

  await t.test("clone from a file:// URL and from a path; status and branches", async () => {
    await g.clone("file:///home/daytona/origin.git", "work");
    const st = await g.status("work");
    assert.equal(st.currentBranch, "main");
    assert.equal(st.detached, false);
    assert.deepEqual(await g.branches("work"), { branches: ["main"], current: "main" });
    await g.clone("/home/daytona/origin.git", "/home/daytona/by-path");
    assert.equal((await sb.fs.downloadFile("by-path/a.txt")).toString(), "one\n");
  });

  await t.test("file status words for untracked, added, modified, deleted, renamed", async () => {
    await sb.fs.uploadFile(Buffer.from("new\n"), "work/new.txt");
    await sb.fs.uploadFile(Buffer.from("staged\n"), "work/staged.txt");
    await g.add("work", ["staged.txt"]);
    await sb.fs.uploadFile(Buffer.from("two\n"), "work/a.txt");
    const st = await g.status("work");
    const by = Object.fromEntries(st.fileStatus.map((f) => [f.name, [f.staging, f.worktree]]));
    assert.deepEqual(by, { "a.txt": ["Unmodified", "Modified"], "staged.txt": ["Added", "Unmodified"], "new.txt": ["Untracked", "Untracked"] });
    await g.restore("work", ["a.txt"]);
    await g.reset("work", undefined, undefined, ["staged.txt"]);
    await sh("rm staged.txt new.txt && git mv a.txt b.txt", "/home/daytona/work");
    const renamed = (await g.status("work")).fileStatus;
    assert.deepEqual(renamed, [{ name: "b.txt", staging: "Renamed", worktree: "Unmodified", extra: "a.txt" }]);
    await g.reset("work", "hard");
    assert.deepEqual((await g.status("work")).fileStatus, []);
  });

  await t.test("create (and switch to), check out and delete branches; typed errors", async () => {
    await g.createBranch("work", "feature");
    assert.equal((await g.status("work")).currentBranch, "feature");
    assert.deepEqual((await g.branches("work")).branches, ["feature", "main"]);
    assert.ok((await rejection(g.createBranch("work", "feature"))) instanceof DaytonaGitBranchExistsError);
    await g.checkoutBranch("work", "main");
    assert.equal((await g.status("work")).currentBranch, "main");
    assert.ok((await rejection(g.checkoutBranch("work", "no-such-branch"))) instanceof DaytonaGitBranchNotFoundError);
    await g.deleteBranch("work", "feature");
    assert.deepEqual((await g.branches("work")).branches, ["main"]);
    assert.ok((await rejection(g.deleteBranch("work", "feature"))) instanceof DaytonaGitBranchNotFoundError);
  });

  await t.test("a dirty worktree blocks a checkout that would overwrite it", async () => {
    await g.createBranch("work", "other");
    await sb.fs.uploadFile(Buffer.from("other\n"), "work/a.txt");
    await g.add("work", ["a.txt"]);
    await g.commit("work", "on other", "W", "w@example.com");
    await g.checkoutBranch("work", "main");
    await sb.fs.uploadFile(Buffer.from("local edit\n"), "work/a.txt");
    assert.ok((await rejection(g.checkoutBranch("work", "other"))) instanceof DaytonaGitDirtyWorktreeError);
    await g.reset("work", "hard");
  });

  await t.test("commit, push, pull into another clone; history", async () => {
    await sb.fs.uploadFile(Buffer.from("from work\n"), "work/w.txt");
    await g.add("work", ["."]);
    const c = await g.commit("work", "from work\n\nbody line", "Work Author", "work@example.com");
    await g.push("work");
    await g.pull("seed");
    assert.equal((await sb.fs.downloadFile("seed/w.txt")).toString(), "from work\n");
    const log = (await sb.process.executeCommand("git log -1 --format='%H %an <%ae> %s'", "/home/daytona/seed")).result;
    assert.equal(log, `${c.sha} Work Author <work@example.com> from work\n`);
    const r = await fetch(`${sb.toolboxProxyUrl}/${sb.id}/git/history?path=seed`, { headers: { authorization: `Bearer ${ts.server.token}` } });
    const hist = (await r.json()) as { hash: string; author: string; email: string; message: string; timestamp: string }[];
    assert.deepEqual(
      hist.map((h) => [h.hash, h.author, h.email, h.message]),
      [
        [c.sha, "Work Author", "work@example.com", "from work\n\nbody line"],
        [hist[1].hash, "Seed Author", "seed@example.com", "first"],
      ],
    );
    assert.ok(!Number.isNaN(Date.parse(hist[0].timestamp)));
  });

  await t.test("a non-fast-forward push is GIT_PUSH_REJECTED", async () => {
    await sb.fs.uploadFile(Buffer.from("seed side\n"), "seed/s.txt");
    await g.add("seed", ["s.txt"]);
    await g.commit("seed", "seed side", "S", "s@example.com");
    await g.push("seed");
    await sb.fs.uploadFile(Buffer.from("work side\n"), "work/x.txt");
    await g.add("work", ["x.txt"]);
    await g.commit("work", "work side", "W", "w@example.com");
    assert.ok((await rejection(g.push("work"))) instanceof DaytonaGitPushRejectedError);
  });

  await t.test("clone a branch; a missing repository or a folder that is not one is GIT_REPO_NOT_FOUND", async () => {
    await g.clone("file:///home/daytona/origin.git", "branch-clone", "main");
    assert.equal((await g.status("branch-clone")).currentBranch, "main");
    assert.ok((await rejection(g.clone("file:///home/daytona/nothing-here.git", "nothing"))) instanceof DaytonaGitRepoNotFoundError);
    await sb.fs.createFolder("plain", "755");
    assert.ok((await rejection(g.status("plain"))) instanceof DaytonaGitRepoNotFoundError);
    assert.ok((await rejection(g.status("no-such-folder"))) instanceof DaytonaGitRepoNotFoundError);
  });

  await t.test("config and user, global and per repository", async () => {
    await g.configureUser("Global Name", "global@example.com");
    assert.equal(await g.getConfig("user.name"), "Global Name");
    await g.setConfig("user.email", "local@example.com", "local", "work");
    assert.equal(await g.getConfig("user.email", "local", "work"), "local@example.com");
    assert.equal(await g.getConfig("user.email"), "global@example.com");
    assert.equal(await g.getConfig("no.such-key"), undefined);
    assert.match(await sh("cat ~/.gitconfig"), /Global Name/);
  });

  await t.test("empty commits need allow_empty", async () => {
    await assert.rejects(g.commit("work", "empty", "W", "w@example.com"));
    assert.match((await g.commit("work", "empty", "W", "w@example.com", true)).sha, /^[0-9a-f]{40}$/);
  });
});
