// Hostile names through the config planner and the Docker-in-Docker command builders: values arrive
// exactly as written (or are refused with a clear error), and a real `sh -c` splits every built
// command back into exactly its argv; the canary file that any injection would create never appears.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { planFromPath, type FileAccess } from "../../../src/core/config";
import { sandboxName } from "../../../src/core/create/openWorkspace";
import { shellJoin } from "../../../src/core/shell/quote";
import * as c from "../../../src/core/dind/commands";
import * as s from "../../../src/core/dind/serviceCommands";
import type { ComposeCli } from "../../../src/core/dind/parse";
import { hostileSet, newCanary } from "./hostile";

const CANARY = newCanary();
const HOSTILE = hostileSet(CANARY);
const CID = "59ae41dae45456009a24f375ec2cb77571b989a24946b12e9ffb94c748bc63e1";
const SHELLS = ["/bin/sh", "/bin/bash", "/usr/bin/busybox"].filter(existsSync);

function memory(files: Record<string, string>): FileAccess {
  return {
    readFile: async (p) => {
      if (!(p in files)) throw new Error(`ENOENT: ${p}`);
      return files[p];
    },
    stat: async (p) => (p in files ? "file" : Object.keys(files).some((k) => k.startsWith(`${p}/`)) ? "directory" : undefined),
  };
}

/** Compose-quote a value: YAML double quotes, and $$ for a literal $ (Compose interpolation). */
const yq = (v: string) => JSON.stringify(v.replace(/\$/g, "$$$$"));

test("planner: hostile folder names, environment values and label values arrive exactly, in a plan", async () => {
  for (const h of HOSTILE) {
    const folder = `/ws/${h.replace(/\//g, "_")}`;
    const compose = [
      "x-daytona:",
      "  labels:",
      `    team: ${yq(h)}`,
      "services:",
      "  app:",
      "    image: alpine",
      "    environment:",
      `      HOSTILE: ${yq(h)}`,
      "    labels:",
      `      note: ${yq(h)}`,
      "",
    ].join("\n");
    const res = await planFromPath(folder, { files: memory({ [`${folder}/compose.yaml`]: compose }), labels: { caller: h } });
    assert.deepEqual(res.diagnostics.filter((d) => d.severity === "error"), [], JSON.stringify(h));
    assert.ok(res.plan && res.plan.kind !== "compose-dind", JSON.stringify(h));
    assert.equal(res.plan.folder, folder);
    assert.equal(res.plan.sandbox.envVars.HOSTILE, h);
    assert.equal(res.plan.sandbox.labels.team, h);
    assert.equal(res.plan.sandbox.labels.caller, h);
    const name = sandboxName(folder);
    assert.match(name, /^[a-z0-9][a-z0-9._-]*-[0-9a-f]{4}$/, `sandbox name from ${JSON.stringify(h.slice(0, 40))}: ${name}`);
    assert.ok(name.length <= 45);
  }
  assert.equal(existsSync(CANARY), false);
});

test("planner: a Dockerfile in a real folder with a hostile name plans without running anything", async (t) => {
  const tmp = await mkdtemp(path.join(tmpdir(), "daytona-hostile-"));
  t.after(() => rm(tmp, { recursive: true, force: true }));
  for (const h of HOSTILE.filter((x) => Buffer.byteLength(x) < 200)) {
    const dir = path.join(tmp, h.replace(/\//g, "_"));
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(dir, "Dockerfile"), `FROM alpine\nRUN echo ${h.replace(/\n/g, " ")}\n`);
    const res = await planFromPath(dir);
    assert.equal(res.plan?.kind, "dockerfile", JSON.stringify(res.diagnostics));
    assert.equal(res.plan.folder, dir);
  }
  assert.equal(existsSync(CANARY), false);
});

test("planner: hostile service names are refused with a clear, positioned error", async () => {
  // "-rf" is a valid Compose service name (^[a-zA-Z0-9._-]+$); it never reaches a shell unquoted.
  for (const h of HOSTILE.filter((x) => !/^[a-zA-Z0-9._-]+$/.test(x))) {
    const file = "/ws/compose.yaml";
    const res = await planFromPath(file, { files: memory({ [file]: `services:\n  ${JSON.stringify(h)}:\n    image: alpine\n` }) });
    assert.equal(res.plan, undefined, JSON.stringify(h));
    const err = res.diagnostics.find((d) => d.severity === "error");
    assert.ok(err, JSON.stringify(h));
    assert.equal(err.line, 2);
    assert.match(err.message, /is not a valid service name|must be at most 1024 chars/);
  }
});

/** What a real shell makes of shellJoin(argv): each word printed NUL-terminated. */
function splitBy(shell: string, argv: string[]): string[] {
  const pre = shell.endsWith("busybox") ? ["sh", "-c"] : ["-c"];
  const r = spawnSync(shell, [...pre, `printf '%s\\0' ${shellJoin(argv)}`], { encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.split("\0").slice(0, -1);
}

test("dind builders: argv -> shellJoin -> sh -c gives back exactly argv for every hostile value", () => {
  assert.ok(SHELLS.length > 0, "no POSIX shell found");
  const V2: ComposeCli = { argv: ["docker", "compose"], v2: true, version: "v2.39.1" };
  const V1: ComposeCli = { argv: ["docker-compose"], v2: false, version: "1.29.2" };
  let checked = 0;
  for (const h of HOSTILE) {
    const argvs: string[][] = [];
    for (const cli of [V1, V2]) {
      const p = { cli, project: "proj-1", projectDir: `/home/daytona/${h}`, file: `/home/daytona/${h}/compose.yaml`, env: { TAG: h, B: "1" } };
      argvs.push(c.composeBuild(p, ["web"]).argv, c.composeUp(p, ["web", "db"]).argv, c.composeDown(p).argv, c.composeLogs(p, ["web"]).argv);
      if (cli.v2) argvs.push(c.composePsJson(p).argv);
    }
    argvs.push(
      s.dockerExecArgv(CID, [h, "--", h], { user: h, workdir: h, env: { X: h }, interactive: true, tty: true }),
      s.statPath(CID, h).argv,
      s.listDir(CID, h).argv,
      s.readFile(CID, h, `/tmp/${h}`).argv,
      s.writeFile(CID, h, `/tmp/${h}`).argv,
      s.makeDir(CID, h).argv,
      s.removePath(CID, h, true).argv,
      s.movePath(CID, h, `${h}.2`).argv,
      s.copyPath(CID, h, `${h}.2`).argv,
      s.ptyShellArgv(CID, { workdir: h, env: { X: h } }),
    );
    for (const argv of argvs) {
      assert.ok(argv.some((a) => a.includes(h)), `the hostile value reaches the argv: ${JSON.stringify(argv).slice(0, 200)}`);
      for (const shell of SHELLS) assert.deepEqual(splitBy(shell, argv), argv, `${shell}: ${JSON.stringify(argv).slice(0, 300)}`);
      checked++;
    }
  }
  assert.equal(checked, HOSTILE.length * 19);
  assert.equal(existsSync(CANARY), false, `${CANARY} was created: a command was injected`);
});

test("dind builders: hostile project and service names are refused before any shell sees them", () => {
  const V2: ComposeCli = { argv: ["docker", "compose"], v2: true, version: "v2" };
  for (const h of HOSTILE) {
    const p = { cli: V2, project: h, projectDir: "/app", file: "/app/compose.yaml", env: {} };
    assert.throws(() => c.composeUp(p, ["web"]), /invalid compose project name/);
    assert.throws(() => c.composeUp({ ...p, project: "ok" }, [h]), /invalid compose service name/);
    assert.throws(() => c.containersByLabel("ok", h), /invalid compose service name/);
    assert.throws(() => s.findContainer(h, "web"), /invalid compose project name/);
    assert.throws(() => s.dockerExecArgv(h, ["true"]), /invalid container id/);
    assert.throws(() => s.dockerExecArgv(CID, ["true"], { env: { [h]: "1" } }), /invalid environment variable name/);
  }
});

test(
  "planner: a DinD plan with a service name the DinD commands refuse (leading - . _) is reported before anything is created",
  async () => {
    const file = "/ws/compose.yaml";
    const res = await planFromPath(file, { files: memory({ [file]: "services:\n  -rf:\n    image: alpine\n  db:\n    image: alpine\n" }) });
    assert.equal(res.plan, undefined);
    assert.ok(res.diagnostics.some((d) => d.severity === "error" && d.line === 2));
  },
);
