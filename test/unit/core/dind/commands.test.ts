// Command descriptions as data: exact argv, names refused before they reach a shell, and hostile
// values that a real `sh -c` splits back into exactly the same argv.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { shellJoin } from "../../../../src/core/shell/quote";
import { checkName, withEnv } from "../../../../src/core/dind/command";
import * as c from "../../../../src/core/dind/commands";
import * as s from "../../../../src/core/dind/serviceCommands";
import type { ComposeCli } from "../../../../src/core/dind/parse";

const V2: ComposeCli = { argv: ["docker", "compose"], v2: true, version: "v2.39.1" };
const V1: ComposeCli = { argv: ["docker-compose"], v2: false, version: "1.29.2" };
const CID = "59ae41dae45456009a24f375ec2cb77571b989a24946b12e9ffb94c748bc63e1";
const HOSTILE = ["sp ace", "it's", 'dq"x', "$(touch /tmp/pwned-dind)", "`id`", "new\nline", "semi;colon", "-dash", "", "*", "tab\tx", "back\\slash", "ünï"];
const SHELLS = ["/bin/sh", "/bin/bash", "/usr/bin/busybox"].filter(existsSync);

/** What a real shell makes of shellJoin(argv): each word printed NUL-terminated. */
function splitBy(shell: string, argv: string[]): string[] {
  const args = shell.endsWith("busybox") ? ["sh", "-c"] : ["-c"];
  const r = spawnSync(shell, [...args, `printf '%s\\0' ${shellJoin(argv)}`], { encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.split("\0").slice(0, -1);
}

function roundTrip(argv: string[]) {
  for (const shell of SHELLS) assert.deepEqual(splitBy(shell, argv), argv, `${shell}: ${JSON.stringify(argv)}`);
}

const project = { cli: V2, project: "my_app-1", projectDir: "/home/daytona/my app", file: "/home/daytona/my app/compose.yaml", env: { TAG: "$(id) 'q'\nx", A: "1" } };

test("daemon commands are fixed text", () => {
  assert.deepEqual(c.dockerInfo.argv, ["docker", "info", "--format", "{{.ServerVersion}}"]);
  assert.deepEqual(c.startDaemon.argv, ["sh", "-c", "dockerd-entrypoint.sh dockerd > /var/log/dockerd.log 2>&1 &"]);
  assert.deepEqual(c.daemonLogTail(20).argv, ["tail", "-n", "20", "/var/log/dockerd.log"]);
  assert.deepEqual(c.daemonLogTail().okExit, [0, 1]);
});

test("detectCompose runs as one script and says which compose answered (run here for real)", () => {
  assert.equal(c.detectCompose.argv.length, 3);
  const r = spawnSync("sh", ["-c", c.detectCompose.argv[2]], { encoding: "utf8" });
  if (r.status === 127) {
    assert.throws(() => c.detectCompose.parse!(r.stdout + r.stderr, 127), /Neither `docker compose` nor `docker-compose`/);
    return;
  }
  const cli = c.detectCompose.parse!(r.stdout + r.stderr, r.status ?? 0);
  assert.ok(["docker compose", "docker-compose"].includes(cli.argv.join(" ")));
  assert.match(cli.version, /^v?\d+\.\d+/);
});

test("compose calls: -p, --project-directory, -f, env through argv; v1 and v2 up", () => {
  const base = ["env", "A=1", "TAG=$(id) 'q'\nx", "docker", "compose", "-p", "my_app-1", "--project-directory", "/home/daytona/my app", "-f", "/home/daytona/my app/compose.yaml"];
  assert.deepEqual(c.composeBuild(project, ["web", "api.v2"]).argv, [...base, "build", "web", "api.v2"]);
  assert.deepEqual(c.composeUp(project, ["web", "db"]).argv, [...base, "up", "--detach", "--wait", "web", "db"]);
  const v1 = { ...project, cli: V1, env: {} };
  assert.deepEqual(c.composeUp(v1, ["web"]).argv, ["docker-compose", "-p", "my_app-1", "--project-directory", "/home/daytona/my app", "-f", "/home/daytona/my app/compose.yaml", "up", "-d", "web"]);
  assert.deepEqual(c.composeDown(project).argv, [...base, "down", "--remove-orphans"]);
  assert.deepEqual(c.composeLogs(project, ["web"], 10).argv, [...base, "logs", "--no-color", "--tail=10", "web"]);
  assert.deepEqual(c.composePsJson(project).argv, [...base, "ps", "--all", "--format", "json"]);
  assert.throws(() => c.composePsJson(v1), /needs compose v2/);
  assert.deepEqual(c.composeDownByName(V2, "p1").argv, ["docker", "compose", "-p", "p1", "down", "--remove-orphans"]);
  assert.throws(() => c.composeDownByName(V1, "p1"), /v1 needs the compose file/);
  roundTrip(c.composeUp(project, ["web"]).argv);
});

test("env values reach the command unchanged through a real shell; bad names are refused", () => {
  const argv = withEnv({ X: HOSTILE.join("|"), Y: "" }, ["sh", "-c", 'printf "%s|%s" "$X" "$Y"']);
  const r = spawnSync("sh", ["-c", shellJoin(argv)], { encoding: "utf8" });
  assert.equal(r.stdout, `${HOSTILE.join("|")}|`);
  assert.equal(existsSync("/tmp/pwned-dind"), false);
  for (const bad of ["A B", "1X", "X=Y", "-e", "$(id)", ""]) assert.throws(() => withEnv({ [bad]: "v" }, ["true"]), /invalid environment variable name/);
});

test("project and service names outside compose's alphabet never reach a command", () => {
  for (const bad of [...HOSTILE, "Upper", "_lead", "a b"]) {
    assert.throws(() => c.containersByLabel(bad), /invalid compose project name/);
    assert.throws(() => checkName("project", bad));
  }
  for (const bad of HOSTILE.filter((h) => h !== "ünï")) {
    assert.throws(() => c.composeBuild(project, [bad]), /invalid compose service name/);
    assert.throws(() => s.findContainer("p", bad), /invalid compose service name/);
  }
  assert.throws(() => c.composeUp(project, ["ünï"]), /invalid compose service name/);
  assert.throws(() => s.dockerExecArgv("abc; rm -rf /", ["true"]), /invalid container id/);
});

test("containers are found by compose labels (v1 and v2 both set them)", () => {
  assert.deepEqual(c.containersByLabel("p1").argv, ["docker", "ps", "--all", "--no-trunc", "--filter", "label=com.docker.compose.project=p1", "--format", c.PS_FORMAT]);
  assert.deepEqual(c.containersByLabel("p1", "web").argv.slice(4, 8), ["--filter", "label=com.docker.compose.project=p1", "--filter", "label=com.docker.compose.service=web"]);
  assert.deepEqual(s.findContainer("p1", "web").argv, ["docker", "ps", "--quiet", "--no-trunc", "--filter", "label=com.docker.compose.project=p1", "--filter", "label=com.docker.compose.service=web"]);
  assert.equal(s.findContainer("p1", "web").parse!(`WARNING: x\n${CID}\n`, 0), CID);
  assert.equal(s.findContainer("p1", "web").parse!("", 0), undefined);
  const sweep = c.removeByLabel("p1").argv;
  assert.deepEqual([sweep[0], sweep[1], sweep[3], sweep[4]], ["sh", "-c", "sh", "p1"]);
});

test("docker exec: options, then the container, then argv untouched; hostile values round-trip", () => {
  const env = { K: HOSTILE[3], Z: "a b" };
  const argv = s.dockerExecArgv(CID, ["sh", "-c", 'echo "$1"', "sh", ...HOSTILE], { user: "it's me", workdir: "/w d/$(x)", env, interactive: true });
  assert.deepEqual(argv, ["docker", "exec", "-i", "-u", "it's me", "-w", "/w d/$(x)", "-e", `K=${HOSTILE[3]}`, "-e", "Z=a b", CID, "sh", "-c", 'echo "$1"', "sh", ...HOSTILE]);
  roundTrip(argv);
  assert.deepEqual(s.dockerExecArgv(CID, ["pwd"]), ["docker", "exec", CID, "pwd"]);
  assert.throws(() => s.dockerExecArgv(CID, []), /empty command/);
  assert.throws(() => s.dockerExecArgv(CID, ["x"], { env: { "A B": "1" } }), /invalid environment variable name/);
  const pty = s.ptyShellArgv(CID, { workdir: "/app", env: { TERM: "xterm-256color" } });
  assert.deepEqual(pty, ["docker", "exec", "-i", "-t", "-w", "/app", "-e", "TERM=xterm-256color", CID, "sh", "-c", "command -v bash >/dev/null && exec bash -l || exec sh -l"]);
});

test("file operations pass paths only as positional arguments", () => {
  for (const p of HOSTILE.map((h) => `/d/${h}`)) {
    const cmds = [s.statPath(CID, p), s.listDir(CID, p), s.readFile(CID, p, "/tmp/t 1"), s.writeFile(CID, p, "/tmp/t 1"), s.makeDir(CID, p), s.removePath(CID, p, true), s.movePath(CID, p, `${p}2`), s.copyPath(CID, p, `${p}2`)];
    for (const cmd of cmds) {
      assert.ok(cmd.argv.includes(p), `${cmd.what} carries the path as one argument`);
      const scripts = cmd.argv.filter((_, i) => cmd.argv[i - 1] === "-c");
      for (const script of scripts) assert.ok(!script.includes(p), `${cmd.what}: the path is not pasted into the script`);
      roundTrip(cmd.argv);
    }
  }
  const w = s.writeFile(CID, "/x", "/tmp/t").argv;
  // The outer script runs `docker exec -i "$@" < "$f"`: after the temp file come the container and argv.
  assert.match(w[2], /docker exec -i "\$@" < "\$f"/);
  assert.deepEqual(w.slice(3), ["sh", "/tmp/t", CID, "sh", "-c", w[8], "sh", "/x"]);
  assert.deepEqual(s.makeDir(CID, "/a").argv, ["docker", "exec", CID, "mkdir", "--", "/a"]);
  assert.deepEqual(s.removePath(CID, "/a", false).argv.slice(-2), ["single", "/a"]);
});
