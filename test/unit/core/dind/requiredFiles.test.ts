// Issue 15.7 / 15.5 / 15.6 on the bring-up side: files compose needs are uploaded even when ignored
// (with a notice and never their content), every compose file is passed with -f, PWD is the folder
// in the sandbox.
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import type { Readable } from "node:stream";
import { after, test } from "node:test";
import { planFromPath } from "../../../../src/core/config";
import { redactEnv } from "../../../../src/core/dind/command";
import { composeArgv } from "../../../../src/core/dind/commands";
import { composeProject, uploadLayout, type DindPlan } from "../../../../src/core/dind/bringUp";
import { uploadRequiredIgnored } from "../../../../src/core/dind/requiredFiles";
import type { SyncTarget } from "../../../../src/core/sync";

const dir = mkdtempSync(path.join(tmpdir(), "h15-required-"));
after(() => rmSync(dir, { recursive: true, force: true }));
const put = (rel: string, text: string) => {
  mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
  writeFileSync(path.join(dir, rel), text);
};
put("compose.yaml", "services:\n  web:\n    image: nginx\n    env_file: .env.local\n    secrets: [pw]\n    volumes: [\"${PWD}/html:/usr/share/nginx/html\"]\n  db:\n    image: postgres\n    env_file: db.env\nsecrets:\n  pw: {file: ./secrets/pw.txt}\n");
put("compose.override.yaml", "services:\n  db: {image: postgres:17}\n");
put(".env.local", "A=1\n");
put("db.env", "B=2\n");
put("secrets/pw.txt", "hunter2-secret\n");
put(".gitignore", ".env.local\nsecrets/\ncompose.override.yaml\n");

async function dindPlan(): Promise<DindPlan> {
  const r = await planFromPath(dir, { env: { PWD: "/elsewhere" } });
  assert.ok(r.plan?.kind === "compose-dind", JSON.stringify(r.diagnostics));
  return r.plan;
}

test("ignored env files, secrets and override files are uploaded with a notice; tracked ones are left to the sync; no content is logged", async () => {
  const plan = await dindPlan();
  const uploads: Array<{ remote: string; bytes: string }> = [];
  const target: SyncTarget = {
    id: "fake",
    upload: async (source: Readable, remote: string) => {
      const chunks: Buffer[] = [];
      for await (const c of source) chunks.push(c as Buffer);
      uploads.push({ remote, bytes: Buffer.concat(chunks).toString() });
    },
    exec: async () => ({ exitCode: 0, output: "" }),
    download: async () => undefined,
  };
  const log: string[] = [];
  const layout = uploadLayout(plan.folder, plan.buildContexts, "/home/daytona/p");
  const sent = await uploadRequiredIgnored(target, layout, plan.requiredFiles, { log: (l) => log.push(l) });
  assert.deepEqual(uploads.map((u) => u.remote).sort(), ["/home/daytona/p/.env.local", "/home/daytona/p/compose.override.yaml", "/home/daytona/p/secrets/pw.txt"]);
  assert.deepEqual(sent.map((s) => s.field).sort(), ["compose file (override / COMPOSE_FILE)", "secrets.pw.file", "services.web.env_file"]);
  assert.equal(log.length, 3);
  assert.ok(log.some((l) => l.includes("secrets/pw.txt (secret)") && l.includes("secrets.pw.file")), log.join("\n"));
  assert.ok(!log.join("\n").includes("hunter2"), "a secret's content is never logged");
  assert.equal(uploads.find((u) => u.remote.endsWith("pw.txt"))?.bytes, "hunter2-secret\n");
});

test("compose in the sandbox gets every compose file with -f, and PWD is the project folder there", async () => {
  const plan = await dindPlan();
  assert.equal(plan.services[0].envVars.A, "1");
  const layout = uploadLayout(plan.folder, plan.buildContexts, "/home/daytona/p");
  const p = composeProject(plan, layout, { argv: ["docker", "compose"], v2: true, version: "v2.30" });
  const argv = composeArgv(p, ["config"]);
  const s = argv.join(" ");
  assert.match(s, /-f \/home\/daytona\/p\/compose\.yaml -f \/home\/daytona\/p\/compose\.override\.yaml config$/);
  assert.ok(argv.includes("PWD=/home/daytona/p"), s);
  assert.ok(!s.includes("/elsewhere") && !s.includes(dir), `no local path reaches the sandbox: ${s}`);
});

test("the bring-up log shows the names of compose's variables, never their values", async () => {
  const plan = await dindPlan();
  const p = composeProject({ ...plan, composeEnv: { POSTGRES_PASSWORD: "s3cret", TAG: "1" } }, uploadLayout(plan.folder, plan.buildContexts, "/r"), { argv: ["docker", "compose"], v2: true, version: "v2" });
  const shown = redactEnv(composeArgv(p, ["up"])).join(" ");
  assert.ok(!shown.includes("s3cret"), shown);
  assert.match(shown, /^env POSTGRES_PASSWORD=\*\*\* PWD=\*\*\* TAG=\*\*\* docker compose -p /);
});
