// SSH hosts from the extension's own commands, used by Debian's real OpenSSH client against the
// local twin: Copy SSH Command writes the host entry, then `ssh <host> id`, sftp put/get and ssh -L
// work through the written config; Delete revokes the access and removes the entry; Sign Out does
// the same for every host of the profile. The files live in a temp home, never the real ~/.ssh.
import * as assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import * as path from "node:path";
import * as vscode from "vscode";
import type { Services } from "../../../src/services";
import { addUserInclude, readEntries } from "../../../src/core/ssh/sshConfigFiles";
import { SshHosts } from "../../../src/ssh/sshHosts";
import { openssh } from "../../support/openssh";
import { connectLocal, services, waitFor } from "../support";
import { freePort } from "../../support/freePort";


describe("SSH hosts and remote windows", function () {
  this.timeout(120_000);
  let s: Services;
  let home: string;
  let realSsh: SshHosts;
  let id: string;
  let alias: string;

  before(async () => {
    s = await services();
    await connectLocal(s);
    home = await mkdtemp(path.join(tmpdir(), "daytona-it-ssh-"));
    // The same SshHosts the extension builds, on a temp home (never the real ~/.ssh).
    realSsh = s.ssh;
    (s as { ssh: SshHosts }).ssh = new SshHosts(s.context.secrets, s.connection, s.sandboxes.store, s.log, home);
    id = (await s.connection.client().createSandbox({ name: `it-ssh-${Date.now().toString(36)}`, labels: { created_by: "it" } })).id;
    await s.sandboxes.refreshNow();
    await waitFor(() => s.sandboxes.provider.nodeFor(id) !== undefined, "the sandbox is in the tree");
  });

  after(async () => {
    s.ssh.dispose();
    (s as { ssh: SshHosts }).ssh = realSsh;
    await s.connection.client().delete(id).catch(() => undefined);
    await rm(home, { recursive: true, force: true });
  });

  it("Copy SSH Command without the Include copies Daytona's own command, which works", async () => {
    const command = await vscode.commands.executeCommand<string>("daytona.sandbox.copySshCommand", s.sandboxes.provider.nodeFor(id));
    assert.match(command, /^ssh -p \d+ [A-Za-z0-9]+@127\.0\.0\.1$/);
    assert.equal(await vscode.env.clipboard.readText(), command);
    const [, port, user] = /-p (\d+) (\S+)@/.exec(command)!;
    const r = await openssh("ssh", "/dev/null", ["-p", port, "-o", "StrictHostKeyChecking=no", "-o", `UserKnownHostsFile=${path.join(home, "kh")}`, `${user}@127.0.0.1`, "echo $USER"]);
    assert.equal(r.stdout.trim(), "daytona", r.stderr);
  });

  it("with the Include, Copy SSH Command gives `ssh <host>` and the host works for ssh, sftp and ssh -L", async () => {
    assert.equal(await addUserInclude(s.ssh.paths), true);
    const command = await vscode.commands.executeCommand<string>("daytona.sandbox.copySshCommand", s.sandboxes.provider.nodeFor(id));
    const m = /^ssh (daytona-local-[a-z0-9-]+)$/.exec(command);
    assert.ok(m, command);
    alias = m[1];
    const config = s.ssh.paths.userConfig;
    const id1 = await openssh("ssh", config, [alias, "id -un; echo $USER $HOME"]);
    assert.equal(id1.code, 0, id1.stderr);
    assert.match(id1.stdout, /daytona \/home\/daytona/);

    const up = path.join(home, "up.txt");
    const down = path.join(home, "down.txt");
    await writeFile(up, "via sftp from the extension host\n");
    const sftp = await openssh("sftp", config, ["-b", "-", alias], `put ${up} /home/daytona/it-up.txt\nget /home/daytona/it-up.txt ${down}\n`);
    assert.equal(sftp.code, 0, sftp.stderr);
    assert.equal(await readFile(down, "utf8"), "via sftp from the extension host\n");

    const inPort = 20000 + Math.floor(Math.random() * 20000);
    const localPort = await freePort();
    const fwd = spawn("ssh", ["-F", config, "-o", "BatchMode=yes", "-o", "ExitOnForwardFailure=yes", "-L", `127.0.0.1:${localPort}:localhost:${inPort}`, alias, `cd /home/daytona && exec python3 -m http.server ${inPort} --bind 127.0.0.1`], { stdio: "ignore" });
    try {
      let body = "";
      await waitFor(async () => {
        body = await fetch(`http://127.0.0.1:${localPort}/it-up.txt`).then((r) => r.text(), () => "");
        return body !== "";
      }, "the forwarded server answers");
      assert.equal(body, "via sftp from the extension host\n");
    } finally {
      fwd.kill();
    }
  });

  it("a second Copy reuses the access (one entry, same token)", async () => {
    const before = await readEntries(s.ssh.paths);
    await vscode.commands.executeCommand("daytona.sandbox.copySshCommand", s.sandboxes.provider.nodeFor(id));
    assert.deepEqual(await readEntries(s.ssh.paths), before);
  });

  it("Open in Remote Window (SSH) with no SSH remote extension installed offers one and opens nothing", async () => {
    const uri = await vscode.commands.executeCommand("daytona.sandbox.openRemoteSsh", s.sandboxes.provider.nodeFor(id));
    assert.equal(uri, undefined);
  });

  it("Open in Remote Window (SSH) on a stopped sandbox starts it first; its host then works", async () => {
    await s.connection.client().stop(id);
    await s.sandboxes.refreshNow();
    await waitFor(() => s.sandboxes.provider.nodeFor(id)?.kind === "sandbox" && s.sandboxes.store.get(id)?.state === "stopped", "the tree shows it stopped");
    await vscode.commands.executeCommand("daytona.sandbox.openRemoteSsh", s.sandboxes.provider.nodeFor(id));
    assert.equal((await s.connection.client().getSandbox(id)).state, "started");
    const r = await openssh("ssh", s.ssh.paths.userConfig, [alias, "echo $DAYTONA_SANDBOX_ID"]);
    assert.equal(r.stdout.trim(), id, r.stderr);
  });

  it("Delete revokes the access and removes the host entry", async () => {
    const other = (await s.connection.client().createSandbox({ name: `it-ssh-del-${Date.now().toString(36)}`, labels: { created_by: "it" } })).id;
    await s.sandboxes.refreshNow();
    await waitFor(() => s.sandboxes.provider.nodeFor(other) !== undefined, "the second sandbox is in the tree");
    await vscode.commands.executeCommand("daytona.sandbox.copySshCommand", s.sandboxes.provider.nodeFor(other));
    const entry = (await readEntries(s.ssh.paths)).find((e) => e.sandboxId === other)!;
    assert.ok(entry);
    const sdk = await s.connection.client().toolbox(other);
    assert.equal((await sdk.validateSshAccess(entry.user)).valid, true);
    const node = s.sandboxes.provider.nodeFor(other);
    await vscode.commands.executeCommand("daytona.sandbox.delete", node, [node], { confirmed: true });
    assert.equal((await readEntries(s.ssh.paths)).some((e) => e.sandboxId === other), false);
    assert.equal((await sdk.validateSshAccess(entry.user)).valid, false);
    assert.ok((await readEntries(s.ssh.paths)).some((e) => e.sandboxId === id), "the other sandbox's entry stays");
  });

  it("Sign Out revokes every access of the profile and removes its hosts; the Include stays", async () => {
    const entry = (await readEntries(s.ssh.paths)).find((e) => e.sandboxId === id)!;
    assert.equal((await openssh("ssh", s.ssh.paths.userConfig, [alias, "true"])).code, 0);
    await vscode.commands.executeCommand("daytona.signOut");
    assert.deepEqual(await readEntries(s.ssh.paths), []);
    assert.match(await readFile(s.ssh.paths.userConfig, "utf8"), /^Include /m);
    await connectLocal(s);
    const sdk = await s.connection.client().toolbox(id);
    assert.equal((await sdk.validateSshAccess(entry.user)).valid, false);
  });
});
