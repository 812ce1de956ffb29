// Issue 15 in a real Docker-in-Docker sandbox (the real SDK against the local server, whose dind
// sandboxes reach this machine's engine): a project with an override file, an interpolated .env and an
// env_file that .gitignore excludes, and ${PWD}, brought up by bringUp. Compose inside sees what the
// plan says: every -f, the ignored files, the resolved variables and PWD as its own project folder.
import assert from "node:assert/strict";
import * as fs from "node:fs/promises";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { test } from "node:test";
import { planFromPath } from "../../../../src/core/config";
import { DaytonaClient } from "../../../../src/core/daytona/client";
import { bringUp, teardown, type DindPlan } from "../../../../src/core/dind";
import { SandboxTarget } from "../../../../src/core/targets/sandboxTarget";
import { ServiceTarget } from "../../../../src/core/targets/serviceTarget";
import { startTestServer } from "../../local/helpers";
import { IMAGE, requireDocker, sh } from "./dockerHere";

test("override file, interpolated .env, ignored env_file and ${PWD} reach compose in the sandbox", async (t) => {
  if (!(await requireDocker(t))) return;
  const ts = await startTestServer();
  const tmp = await fs.mkdtemp(path.join(tmpdir(), "dind-h15-"));
  const client = new DaytonaClient({ apiUrl: ts.server.apiUrl, apiKey: ts.server.token, target: "local" });
  const project = `dindh15${process.pid}`;
  t.after(async () => {
    await client.dispose();
    await ts.stop();
    await fs.rm(tmp, { recursive: true, force: true });
    await sh(`docker rm -f $(docker ps -aq --filter label=com.docker.compose.project=${project}) 2>/dev/null`);
  });
  const dir = path.join(tmp, project);
  await fs.mkdir(dir);
  const write = (name: string, text: string) => fs.writeFile(path.join(dir, name), text);
  await write("compose.yaml", `services:
  app:
    image: ${IMAGE}
    command: sleep 3600
    env_file: .env.local
    environment:
      FROM_DOTENV: \${DATASOURCE}
      WHERE: \${PWD}/data
  other:
    image: ${IMAGE}
    command: sleep 3600
`);
  await write("compose.override.yaml", "services:\n  app:\n    environment:\n      FROM_OVERRIDE: \"yes\"\n");
  await write(".env", "DB_USER=u\nDATASOURCE=\"postgres://${DB_USER}@db/x\"\n");
  await write(".env.local", "LOCAL_ONLY=1\n");
  await write(".gitignore", ".env\n.env.local\ncompose.override.yaml\n");

  const r = await planFromPath(dir, { snapshotPrefix: "dind-h15", env: { PWD: "/not/the/folder" } });
  assert.ok(r.plan?.kind === "compose-dind", JSON.stringify(r.diagnostics));
  const plan: DindPlan = r.plan;
  const logs: string[] = [];
  const up = await bringUp(client, plan, { log: (l) => logs.push(l), syncCacheDir: path.join(tmp, "cache") });
  assert.ok(logs.some((l) => l.includes("Uploading .env.local") && l.includes("although .gitignore excludes it")), logs.join("\n"));
  assert.ok(logs.some((l) => l.includes("Uploading compose.override.yaml")), logs.join("\n"));
  assert.ok(!logs.join("\n").includes("postgres://u@db/x"), "variable values are not logged");

  const sandbox = await SandboxTarget.create(await client.toolbox(up.sandboxId), up.sandboxId);
  const app = new ServiceTarget(sandbox, project, "app");
  const env = async (name: string) => (await app.exec(["sh", "-c", `printf %s "$${name}"`])).output;
  assert.equal(await env("FROM_DOTENV"), "postgres://u@db/x");
  assert.equal(await env("FROM_OVERRIDE"), "yes");
  assert.equal(await env("LOCAL_ONLY"), "1");
  assert.equal(await env("WHERE"), `${up.projectDir}/data`);
  assert.equal(plan.services[0].envVars.WHERE, `${dir}/data`, "the plan shows ${PWD} as the local project folder");

  await teardown(client, up.sandboxId, project, { compose: { projectDir: up.projectDir, file: up.file, extraFiles: up.extraFiles, env: up.env } });
  assert.equal((await sh(`docker ps -aq --filter label=com.docker.compose.project=${project}`)).output.trim(), "");
});
