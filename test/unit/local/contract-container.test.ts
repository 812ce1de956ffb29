// Daytona's contract where it depends on the sandbox being a container of Daytona's image: commands
// run as the user daytona (uid 1000) with zsh as the resolved shell, and files can be given to that
// user. These state the production behaviour; they pass on the container runtime (issue 13,
// daytona-local/sandbox), not on the bubblewrap runtime, which runs commands as the server's user on
// the host's root file system (no user daytona, no zsh).
import { test } from "node:test";
import assert from "node:assert/strict";
import { startTestServer } from "./helpers";

test("contract (container runtime): the user daytona, zsh, file ownership", async (t) => {
  const ts = await startTestServer();
  t.after(() => ts.stop());
  const sb = await ts.daytona.create();

  await t.test("commands run as daytona, uid 1000, in /home/daytona", async () => {
    assert.equal((await sb.process.executeCommand("id -un; id -u; echo $HOME")).result, "daytona\n1000\n/home/daytona\n");
  });

  await t.test("the image's resolved shell is zsh", async () => {
    assert.equal((await sb.process.executeCommand("readlink /proc/$$/exe")).result, "/usr/bin/zsh\n");
  });

  await t.test("uploads belong to daytona; setFilePermissions gives a file to daytona:daytona", async () => {
    await sb.fs.uploadFile(Buffer.from("x"), "owned.txt");
    const uploaded = await sb.fs.getFileDetails("owned.txt");
    assert.deepEqual([uploaded.owner, uploaded.group], ["daytona", "daytona"]);
    await sb.process.executeCommand("sudo chown root:root /home/daytona/owned.txt");
    await sb.fs.setFilePermissions("owned.txt", { mode: "644", owner: "daytona", group: "daytona" });
    const after = await sb.fs.getFileDetails("owned.txt");
    assert.deepEqual([after.owner, after.group, after.permissions], ["daytona", "daytona", "0644"]);
  });
});
