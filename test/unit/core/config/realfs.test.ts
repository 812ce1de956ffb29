// The default file access (node:fs) and the `npm run plan` script, on a real temporary folder.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { after, test } from "node:test";
import { folderHash, interpolate, planFromPath } from "../../../../src/core/config";

const dir = mkdtempSync(join(tmpdir(), "plan-test-"));
after(() => rmSync(dir, { recursive: true, force: true }));
const ROOT = resolve(__dirname, "../../../..");

function runPlan(target: string, env: Record<string, string> = {}) {
  return spawnSync(process.execPath, ["--import", "tsx", join(ROOT, "scripts/plan.ts"), target], { cwd: ROOT, encoding: "utf8", env: { ...process.env, ...env } });
}

test("node file access: a folder with a compose file and a Dockerfile", async () => {
  mkdirSync(join(dir, "ok", "api"), { recursive: true });
  writeFileSync(join(dir, "ok", "docker-compose.yml"), "services:\n  api:\n    build: api\n    environment: [A=1]\n");
  writeFileSync(join(dir, "ok", "api", "Dockerfile"), "FROM python:3.12\n");
  const r = await planFromPath(join(dir, "ok"));
  assert.deepEqual(r.diagnostics, []);
  assert.equal(r.plan?.kind, "compose-single");
  assert.deepEqual(r.plan?.sandbox.image, { kind: "dockerfile", dockerfile: join(dir, "ok", "api", "Dockerfile"), context: join(dir, "ok", "api") });
  assert.equal(r.plan?.sandbox.labels["daytona.vscode/folder"], folderHash(join(dir, "ok")));
  assert.match(folderHash("/a"), /^[0-9a-f]{12}$/);
  assert.notEqual(folderHash("/a"), folderHash("/b"));
});

test("npm run plan: JSON on stdout, exit 0; the process environment feeds interpolation", () => {
  mkdirSync(join(dir, "cli"), { recursive: true });
  writeFileSync(join(dir, "cli", "compose.yaml"), "services:\n  app:\n    image: ${IMG}\n    command: x\n");
  const r = runPlan(join(dir, "cli"), { IMG: "busybox" });
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout).sandbox.image, { kind: "name", name: "busybox" });
  assert.match(r.stderr, /compose\.yaml:4:5: warning: command is not applied.*\(services\.app\.command\)/);
});

test("npm run plan: errors as file:line:col on stderr, exit 1, nothing on stdout", () => {
  mkdirSync(join(dir, "bad"), { recursive: true });
  writeFileSync(join(dir, "bad", "compose.yaml"), "services:\n  app:\n    image: a\n    deploy: {resources: {limits: {memory: lots}}}\n");
  const r = runPlan(join(dir, "bad", "compose.yaml"));
  assert.equal(r.status, 1);
  assert.equal(r.stdout, "");
  assert.equal(r.stderr.trim(), `${join(dir, "bad", "compose.yaml")}:4:43: error: must be a byte value such as 536870912, "512m" or "2g", not the string "lots" (services.app.deploy.resources.limits.memory)`);
});

test("interpolate: the Compose forms, as a table", () => {
  const env: Record<string, string> = { A: "a", E: "" };
  const look = (n: string) => env[n];
  const table: [string, string | RegExp][] = [
    ["$A", "a"], ["${A}", "a"], ["x${A}y", "xay"], ["$$A", "$A"], ["${U:-d}", "d"], ["${E:-d}", "d"], ["${E-d}", ""], ["${U-d}", "d"],
    ["${A:+p}", "p"], ["${E:+p}", ""], ["${E+p}", "p"], ["${U:-${A}}", "a"], ["${U:-a}}", "a}"], ["$U", ""],
    ["${U:?needed}", /required variable U is not set: needed/], ["${E:?}", /required variable E is empty/], ["${E?}", ""],
    ["$", /write \$\$/], ["${", /\$\{ must be followed/], ["${A", /unclosed/], ["${U:-x", /unclosed/], ["${A B}", /invalid interpolation/], ["$-", /write \$\$/],
  ];
  for (const [input, want] of table) {
    const r = interpolate(input, look);
    if (typeof want === "string") assert.deepEqual(r, { value: want }, input);
    else assert.match("error" in r ? r.error : `value ${r.value}`, want, input);
  }
});
