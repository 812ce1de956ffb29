// The ssh_config handling: the Include is added once and at the top, the user's own entries are
// never touched, entries are replaced and removed by sandbox, and hostile names cannot add
// directives. Real files in a temp home, and the real `ssh -G` reads what was written.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { chmod, mkdir, mkdtemp, readFile, rm, stat, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { hostAlias, slug } from "../../../../src/core/ssh/hostAlias";
import { hasInclude, withInclude } from "../../../../src/core/ssh/includeDirective";
import { checkEntry, forgetHostKey, parseOwnedConfig, renderEntry, renderOwnedConfig, type HostEntry } from "../../../../src/core/ssh/ownedConfig";
import { addUserInclude, dropEntries, readEntries, saveEntry, sshPaths, userConfigIncludes } from "../../../../src/core/ssh/sshConfigFiles";
import { isLoopback, parseSshCommand } from "../../../../src/core/ssh/sshTarget";

const entry = (over: Partial<HostEntry> = {}): HostEntry => ({
  alias: "daytona-local-web",
  profileId: "local",
  sandboxId: "sb-1",
  expiresAt: "2030-01-01T00:00:00.000Z",
  hostName: "127.0.0.1",
  port: 2222,
  user: "tok123",
  ...over,
});

async function tempHome(t: { after(fn: () => Promise<void>): void }): Promise<string> {
  const home = await mkdtemp(path.join(tmpdir(), "daytona-sshcfg-"));
  t.after(() => rm(home, { recursive: true, force: true }));
  return home;
}

/** What OpenSSH itself makes of the config for a host (ssh -G prints the resolved options). */
function sshG(configFile: string, host: string): Map<string, string> {
  const out = execFileSync("ssh", ["-G", "-F", configFile, host], { encoding: "utf8" });
  return new Map(out.split("\n").filter(Boolean).map((l) => [l.slice(0, l.indexOf(" ")), l.slice(l.indexOf(" ") + 1)]));
}

test("parseSshCommand reads Daytona's sshCommand and refuses anything odd", () => {
  assert.deepEqual(parseSshCommand("ssh -p 2222 abc123@ssh.app.daytona.io", "abc123"), { host: "ssh.app.daytona.io", port: 2222, user: "abc123" });
  assert.deepEqual(parseSshCommand("ssh abc@127.0.0.1"), { host: "127.0.0.1", port: 22, user: "abc" });
  assert.deepEqual(parseSshCommand("ssh -p2200 t@h"), { host: "h", port: 2200, user: "t" });
  for (const bad of ["scp a@b", "ssh -o ProxyCommand=x t@h", "ssh t@h extra", "ssh -p 0 t@h", "ssh t@h;rm", "ssh 't x'@h", "ssh"]) {
    assert.throws(() => parseSshCommand(bad), Error, bad);
  }
  assert.throws(() => parseSshCommand("ssh other@h", "tok"), /does not carry/);
  assert.ok(isLoopback("127.0.0.1") && isLoopback("localhost") && !isLoopback("ssh.app.daytona.io"));
});

test("host aliases: stable, [a-z0-9-] only, unique when the name had to change", () => {
  assert.equal(hostAlias("local", { id: "0f3a9c2e-1111", name: "web" }), "daytona-local-web");
  const hostile = hostAlias("local", { id: "0f3a9c2e-1111", name: "x\nHost *\n  ProxyCommand sh -c 'id'" });
  assert.match(hostile, /^daytona-local-[a-z0-9-]+$/);
  assert.notEqual(hostAlias("local", { id: "aaaaaaaa", name: "a b" }), hostAlias("local", { id: "bbbbbbbb", name: "a_b" }));
  assert.equal(hostAlias("My Cloud!", { id: "abc", name: "web" }), "daytona-my-cloud-web");
  assert.match(hostAlias("local", { id: "f00d", name: "***" }), /^daytona-local-f00d$/);
  assert.equal(slug("A".repeat(100)).length, 40);
});

test("hostile values are refused before anything is written", () => {
  for (const bad of [
    entry({ alias: "x\nHost *" }),
    entry({ alias: "a b" }),
    entry({ user: "tok\n  ProxyCommand touch /tmp/pwned" }),
    entry({ user: "tok ProxyCommand=x" }),
    entry({ hostName: "h\nMatch all" }),
    entry({ hostName: "h #c" }),
    entry({ profileId: "p sandbox=x" }),
    entry({ sandboxId: "id\n" }),
    entry({ port: 70000 }),
    entry({ expiresAt: "soon" }),
    entry({ knownHostsFile: "/tmp/%d/kh" }),
    entry({ knownHostsFile: 'relative"' }),
  ]) {
    assert.throws(() => checkEntry(bad), Error, JSON.stringify(bad));
  }
});

test("the owned file round-trips and OpenSSH reads exactly the entry", async (t) => {
  const home = await tempHome(t);
  const file = path.join(home, "daytona_config");
  const e = entry({ knownHostsFile: path.join(home, "known hosts") });
  await writeFile(file, renderOwnedConfig([e, entry({ alias: "daytona-local-db", sandboxId: "sb-2" })]));
  const back = parseOwnedConfig(await readFile(file, "utf8"));
  assert.deepEqual(back.find((x) => x.sandboxId === "sb-1"), e);
  const g = sshG(file, "daytona-local-web");
  assert.equal(g.get("hostname"), "127.0.0.1");
  assert.equal(g.get("port"), "2222");
  assert.equal(g.get("user"), "tok123");
  assert.equal(g.get("userknownhostsfile"), path.join(home, "known hosts"));
  assert.equal(g.get("passwordauthentication"), "no");
  assert.equal(g.get("forwardagent"), "no");
  // A host the file does not name gets none of it.
  assert.notEqual(sshG(file, "elsewhere").get("user"), "tok123");
});

test("Windows homes are written with forward slashes, which ssh_config takes", () => {
  const p = sshPaths("C:\\Users\\Ana Lee");
  assert.equal(p.ownedConfig, "C:/Users/Ana Lee/.ssh/daytona_config");
  assert.equal(renderEntry(entry({ knownHostsFile: p.knownHosts })).includes('UserKnownHostsFile "C:/Users/Ana Lee/.ssh/daytona_known_hosts"'), true);
  assert.match(withInclude("", p.ownedConfig, p.home).text, /^Include "C:\/Users\/Ana Lee\/\.ssh\/daytona_config"$/m);
  assert.throws(() => checkEntry(entry({ knownHostsFile: "C:\\Users\\x" })), Error);
});

test("a damaged block is dropped, not written back", () => {
  const text = renderOwnedConfig([entry()]).replace("User tok123", "User tok 123 ProxyCommand x");
  assert.deepEqual(parseOwnedConfig(text), []);
});

test("Include: added once at the top, recognised in every spelling, user entries untouched", async (t) => {
  const home = await tempHome(t);
  const paths = sshPaths(home);
  await mkdir(path.dirname(paths.userConfig), { recursive: true });
  const mine = "# my stuff\nHost work\n  HostName work.example\n  User me\n\nHost *\n  ServerAliveInterval 60\n";
  await writeFile(paths.userConfig, mine, { mode: 0o644 });
  await chmod(paths.userConfig, 0o644);
  assert.equal(await userConfigIncludes(paths), false);
  assert.equal(await addUserInclude(paths), true);
  assert.equal(await addUserInclude(paths), false);
  const after = await readFile(paths.userConfig, "utf8");
  assert.ok(after.endsWith(mine), "the user's own text is kept byte for byte, after the Include");
  assert.equal(after.match(/^Include /gm)?.length, 1);
  assert.equal((await stat(paths.userConfig)).mode & 0o777, 0o644, "the file keeps its mode");
  assert.equal(await userConfigIncludes(paths), true);
  // Other spellings of the same Include count as present; one inside a Host block does not.
  for (const form of ["Include ~/.ssh/daytona_config", "include daytona_config", 'Include "~/.ssh/daytona_config" other', `Include=${paths.ownedConfig}`]) {
    assert.equal(hasInclude(`${form}\n${mine}`, paths.ownedConfig, home), true, form);
  }
  assert.equal(hasInclude(`Host x\n  Include daytona_config\n`, paths.ownedConfig, home), false);
  assert.equal(withInclude("Host a\r\n  User b\r\n", paths.ownedConfig, home).text.includes("\r\nInclude "), true, "CRLF files stay CRLF");
});

test("Include goes through a symlinked ~/.ssh/config to its target, and makes a missing file", async (t) => {
  const home = await tempHome(t);
  const paths = sshPaths(home);
  await mkdir(path.join(home, ".ssh"), { recursive: true });
  await mkdir(path.join(home, "dotfiles"));
  await writeFile(path.join(home, "dotfiles", "ssh_config"), "Host a\n  User b\n");
  await symlink(path.join(home, "dotfiles", "ssh_config"), paths.userConfig);
  await addUserInclude(paths);
  assert.match(await readFile(path.join(home, "dotfiles", "ssh_config"), "utf8"), /^# Added by.*\nInclude .*daytona_config\n\nHost a\n/);
  const fresh = sshPaths(await tempHome(t));
  await addUserInclude(fresh);
  assert.equal((await stat(fresh.userConfig)).mode & 0o777, 0o600);
});

test("entries are replaced per sandbox and removed on delete and sign-out; OpenSSH follows", async (t) => {
  const home = await tempHome(t);
  const paths = sshPaths(home);
  await addUserInclude(paths);
  await saveEntry(paths, entry());
  await saveEntry(paths, entry({ alias: "daytona-local-db", sandboxId: "sb-2", user: "tokdb" }));
  await saveEntry(paths, entry({ alias: "daytona-cloud-web", profileId: "cloud", sandboxId: "sb-9", hostName: "ssh.example", port: 22, user: "tokcloud" }));
  await saveEntry(paths, entry({ user: "tok456" }));
  assert.equal((await stat(paths.ownedConfig)).mode & 0o777, 0o600);
  assert.equal(sshG(paths.userConfig, "daytona-local-web").get("user"), "tok456");
  assert.equal((await readEntries(paths)).length, 3);

  const deleted = await dropEntries(paths, (e) => e.profileId === "local" && e.sandboxId === "sb-2");
  assert.deepEqual(deleted.map((e) => e.user), ["tokdb"]);
  assert.notEqual(sshG(paths.userConfig, "daytona-local-db").get("user"), "tokdb");

  const signedOut = await dropEntries(paths, (e) => e.profileId === "cloud");
  assert.deepEqual(signedOut.map((e) => e.alias), ["daytona-cloud-web"]);
  assert.deepEqual((await readEntries(paths)).map((e) => e.alias), ["daytona-local-web"]);
  assert.match(await readFile(paths.userConfig, "utf8"), /Include/, "the Include stays");
});

test("a loopback gateway's old host key under the alias is forgotten when its entry is rewritten", async (t) => {
  const home = await tempHome(t);
  const paths = sshPaths(home);
  await mkdir(path.dirname(paths.knownHosts), { recursive: true });
  await writeFile(paths.knownHosts, "daytona-local-web ssh-ed25519 AAAAold\ndaytona-local-db ssh-ed25519 AAAAkeep\n");
  await saveEntry(paths, entry({ knownHostsFile: paths.knownHosts }));
  assert.equal(await readFile(paths.knownHosts, "utf8"), "daytona-local-db ssh-ed25519 AAAAkeep\n");
  assert.equal(forgetHostKey("a,daytona-x k v\nb k v", "daytona-x"), "b k v");
});

test("two writes at once both land", async (t) => {
  const paths = sshPaths(await tempHome(t));
  await Promise.all(Array.from({ length: 10 }, (_, i) => saveEntry(paths, entry({ alias: `daytona-local-s${i}`, sandboxId: `sb-${i}` }))));
  assert.equal((await readEntries(paths)).length, 10);
});
