// The local twin's SSH gateway driven by Debian's real OpenSSH client (ssh, sftp, ssh -L) through
// the config files the extension writes: a token from the real SDK's createSshAccess is the ssh
// user; expired, revoked and other servers' tokens and stopped sandboxes are refused.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import * as path from "node:path";
import type { Sandbox } from "@daytonaio/sdk";
import { Client, type ClientChannel } from "ssh2";
import { hostAlias } from "../../../src/core/ssh/hostAlias";
import { addUserInclude, saveEntry, sshPaths, type SshPaths } from "../../../src/core/ssh/sshConfigFiles";
import { parseSshCommand } from "../../../src/core/ssh/sshTarget";
import { openssh } from "../../support/openssh";
import { startTestServer, sleep } from "./helpers";
import { freePort } from "../../support/freePort";

async function writeHost(paths: SshPaths, profileId: string, sb: Sandbox, minutes: number): Promise<{ alias: string; token: string }> {
  const access = await sb.createSshAccess(minutes);
  const target = parseSshCommand(access.sshCommand, access.token);
  const alias = hostAlias(profileId, { id: sb.id, name: sb.name });
  await saveEntry(paths, { alias, profileId, sandboxId: sb.id, expiresAt: new Date(access.expiresAt).toISOString(), hostName: target.host, port: target.port, user: target.user, knownHostsFile: paths.knownHosts });
  return { alias, token: access.token };
}

/** `p`, or a failure naming `what` once `ms` have passed. */
function within<T>(ms: number, what: string, p: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms);
  });
  return Promise.race([p, late]).finally(() => clearTimeout(timer));
}


test("SSH gateway with the real OpenSSH client", async (t) => {
  const a = await startTestServer();
  const b = await startTestServer();
  const home = await mkdtemp(path.join(tmpdir(), "daytona-ssh-home-"));
  t.after(async () => {
    await a.stop();
    await b.stop();
    await rm(home, { recursive: true, force: true });
  });
  const paths = sshPaths(home);
  assert.equal(await addUserInclude(paths), true);
  const sb = await a.daytona.create({ name: "SSH_box.1" });
  const { alias, token } = await writeHost(paths, "local", sb, 10);

  await t.test("ssh <host> id prints the sandbox user, in its home", async () => {
    const r = await openssh("ssh", paths.userConfig, [alias, "id; echo $USER; pwd; echo $HOME"]);
    assert.equal(r.code, 0, r.stderr);
    const [id, ...rest] = r.stdout.trim().split("\n");
    assert.deepEqual(rest, ["daytona", "/home/daytona", "/home/daytona"]);
    // Daytona's sandbox user, uid 1000 "daytona" in the container, the same OS identity the toolbox's
    // commands get.
    assert.match(id, /^uid=1000\(daytona\) gid=1000\(daytona\)/);
    assert.equal(id, (await sb.process.executeCommand("id")).result.trim());
  });

  await t.test("exit codes, stdin and stderr pass through", async () => {
    const r = await openssh("ssh", paths.userConfig, [alias, "cat; echo oops >&2; exit 3"], "from stdin\n");
    assert.equal(r.code, 3);
    assert.equal(r.stdout, "from stdin\n");
    assert.match(r.stderr, /oops/);
  });

  await t.test("a PTY: ssh -tt gets a terminal with a size", async () => {
    const r = await openssh("ssh", paths.userConfig, ["-tt", alias, "tty >/dev/null && echo tty-ok; stty size"]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /tty-ok\r?\n\d+ \d+/);
  });

  await t.test("window-change resizes the PTY; remote forwarding (ssh -R) is refused", async () => {
    const conn = new Client();
    await new Promise<void>((resolve, reject) => {
      conn.once("ready", () => resolve()).once("error", reject);
      conn.connect({ host: "127.0.0.1", port: a.server.sshPort, username: token, tryKeyboard: false, readyTimeout: 10_000 });
    });
    t.after(() => conn.end());
    const stream = await within(
      15_000,
      "shell",
      new Promise<ClientChannel>((resolve, reject) => conn.shell({ term: "xterm", cols: 90, rows: 30 }, (err, ch) => (err ? reject(err) : resolve(ch)))),
    );
    let out = "";
    stream.on("data", (d: Buffer) => (out += d.toString()));
    const expect = async (re: RegExp) => {
      for (let i = 0; i < 100 && !re.test(out); i++) await sleep(50);
      assert.match(out, re);
    };
    stream.write("stty size\n");
    await expect(/30 90/);
    stream.setWindow(40, 120, 0, 0);
    await sleep(100);
    stream.write("stty size\n");
    await expect(/40 120/);
    stream.end("exit\n");
    const refused = await within(10_000, "tcpip-forward", new Promise<Error | undefined>((resolve) => conn.forwardIn("127.0.0.1", 0, (err) => resolve(err))));
    assert.ok(refused, "tcpip-forward must be refused");
  });

  await t.test("sftp puts and gets a file", async () => {
    const local = path.join(home, "up.txt");
    const back = path.join(home, "down.txt");
    await writeFile(local, "through sftp\n");
    const r = await openssh("sftp", paths.userConfig, ["-b", "-", alias], `put ${local} /home/daytona/up.txt\nget /home/daytona/up.txt ${back}\nls -l /home/daytona\n`);
    assert.equal(r.code, 0, r.stderr + r.stdout);
    assert.equal(await readFile(back, "utf8"), "through sftp\n");
    assert.equal((await sb.fs.downloadFile("/home/daytona/up.txt")).toString(), "through sftp\n");
  });

  await t.test("ssh -L reaches a server listening inside the sandbox", async () => {
    const inPort = 20000 + Math.floor(Math.random() * 20000);
    await sb.fs.uploadFile(Buffer.from("hello from inside\n"), "/home/daytona/index.txt");
    const localPort = await freePort();
    // The server runs in the sandbox for as long as this ssh session, which also forwards to it.
    const fwd = spawn(
      "ssh",
      ["-F", paths.userConfig, "-o", "BatchMode=yes", "-o", "ExitOnForwardFailure=yes", "-L", `127.0.0.1:${localPort}:localhost:${inPort}`, alias, `cd /home/daytona && exec python3 -m http.server ${inPort} --bind 127.0.0.1`],
      { stdio: "ignore" },
    );
    t.after(() => fwd.kill());
    let body = "";
    for (let i = 0; i < 50 && !body; i++) {
      await sleep(200);
      try {
        const res = await fetch(`http://127.0.0.1:${localPort}/index.txt`, { signal: AbortSignal.timeout(5000) });
        body = await res.text();
      } catch {
        // Not up yet (the server or the forward).
      }
    }
    assert.equal(body, "hello from inside\n");
  });

  await t.test("a closed port inside the sandbox fails the forward, not the session", async () => {
    const r = await openssh("ssh", paths.userConfig, ["-W", "localhost:1", alias]);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /open failed|connect failed|administratively prohibited/i);
  });

  await t.test("validateSshAccess answers for the token", async () => {
    const v = await sb.validateSshAccess(token);
    assert.deepEqual({ valid: v.valid, sandboxId: v.sandboxId }, { valid: true, sandboxId: sb.id });
    assert.equal((await sb.validateSshAccess("not-a-token")).valid, false);
  });

  await t.test("a revoked token is refused", async () => {
    // Another profile id, so this entry does not replace the main one (one entry per sandbox and profile).
    const other = await writeHost(paths, "revoke", sb, 10);
    assert.equal((await openssh("ssh", paths.userConfig, [other.alias, "true"])).code, 0);
    await sb.revokeSshAccess(other.token);
    const r = await openssh("ssh", paths.userConfig, [other.alias, "true"]);
    assert.equal(r.code, 255);
    assert.match(r.stderr, /Permission denied/);
    assert.equal((await sb.validateSshAccess(other.token)).valid, false);
  });

  await t.test("an expired token is refused", async () => {
    // 0.02 minutes = 1.2 s.
    const short = await writeHost(paths, "expire", sb, 0.02);
    await sleep(1500);
    const r = await openssh("ssh", paths.userConfig, [short.alias, "true"]);
    assert.equal(r.code, 255);
    assert.match(r.stderr, /Permission denied/);
  });

  await t.test("another profile's token cannot reach this sandbox", async () => {
    const sbB = await b.daytona.create({ name: "other-box" });
    const accessB = await sbB.createSshAccess(10);
    // B's token, sent to A's gateway: unknown there.
    const r = await openssh("ssh", paths.userConfig, ["-p", String(a.server.sshPort), "-o", `UserKnownHostsFile=${paths.knownHosts}`, "-o", "StrictHostKeyChecking=no", `${accessB.token}@127.0.0.1`, "true"]);
    assert.equal(r.code, 255);
    assert.match(r.stderr, /Permission denied/);
    // And B's own host entry reaches B's sandbox, not A's.
    const hb = await writeHost(paths, "other", sbB, 10);
    const ok = await openssh("ssh", paths.userConfig, [hb.alias, "echo $DAYTONA_SANDBOX_ID"]);
    assert.equal(ok.stdout.trim(), sbB.id, ok.stderr);
  });

  await t.test("a stopped sandbox is refused, and a started one is reachable again", async () => {
    await sb.stop();
    const r = await openssh("ssh", paths.userConfig, [alias, "true"]);
    assert.equal(r.code, 255);
    assert.match(r.stderr, /Permission denied/);
    await sb.start();
    const again = await openssh("ssh", paths.userConfig, [alias, "true"]);
    assert.equal(again.code, 0, again.stderr);
  });

  await t.test("revoking every access of a sandbox refuses them all", async () => {
    await sb.revokeSshAccess(undefined as unknown as string);
    assert.equal((await openssh("ssh", paths.userConfig, [alias, "true"])).code, 255);
  });

});

test("an access, the host key and the gateway's port survive a restart of the local server", async (t) => {
  const first = await startTestServer();
  const home = await mkdtemp(path.join(tmpdir(), "daytona-ssh-home-"));
  t.after(() => rm(home, { recursive: true, force: true }));
  const paths = sshPaths(home);
  await addUserInclude(paths);
  const sb = await first.daytona.create({ name: "restart-box" });
  const { alias } = await writeHost(paths, "local", sb, 10);
  assert.equal((await openssh("ssh", paths.userConfig, [alias, "true"])).code, 0);
  const port = first.server.sshPort;
  await first.stopServer();
  const second = await startTestServer({ dataDir: first.dataDir });
  t.after(async () => {
    await second.stop();
    await first.stop();
    await rm(first.dataDir, { recursive: true, force: true });
  });
  assert.equal(second.server.sshPort, port);
  // The same entry (port, token) and the key pinned in known_hosts at the first connection still work.
  const r = await openssh("ssh", paths.userConfig, ["-o", "StrictHostKeyChecking=yes", alias, "echo $DAYTONA_SANDBOX_ID"]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout.trim(), sb.id);
});
