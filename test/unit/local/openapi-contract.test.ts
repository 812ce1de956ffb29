// The server's JSON answers checked against Daytona's published OpenAPI document
// (../shared/daytona-openapi/api.json next to the repo): required fields present, primitive types
// right, $ref and allOf resolved, enums respected (checker: schemaCheck.ts). Skips loudly when the
// folder is missing.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { startTestServer } from "./helpers";
import { responseSchema, validate, type SchemaDoc } from "./schemaCheck";

const repoRoot = path.resolve(__dirname, "..", "..", "..");
const contractsDir = path.resolve(repoRoot, "..", "shared", "daytona-openapi");
const specFile = path.join(contractsDir, "api.json");

test("responses match Daytona's OpenAPI contract", async (t) => {
  if (!existsSync(specFile)) {
    const message = `OPENAPI CONTRACTS NOT FOUND: ${contractsDir} is missing, contract checks skipped`;
    console.warn(message);
    t.skip(message);
    return;
  }
  const spec = JSON.parse(readFileSync(specFile, "utf8")) as SchemaDoc;
  const ts = await startTestServer();
  t.after(() => ts.stop());
  const headers = { authorization: `Bearer ${ts.server.token}`, "content-type": "application/json" };
  const sb = await ts.daytona.create({ name: "contract", labels: { a: "b" } });
  const fork = await sb.fork({ name: "contract-fork" });
  await sb.createSnapshot("contract-snap");
  const snap = await ts.daytona.snapshot.get("contract-snap");
  const vol = await ts.daytona.volume.create("contract-vol");

  const calls: [string, string, string, unknown?][] = [
    ["POST", "/sandbox", "/sandbox", { name: "contract-2", labels: { x: "y" } }],
    ["GET", "/sandbox/{sandboxIdOrName}", `/sandbox/${sb.id}`],
    ["GET", "/sandbox", "/sandbox?limit=1"],
    ["PUT", "/sandbox/{sandboxIdOrName}/labels", `/sandbox/${sb.id}/labels`, { labels: { a: "c" } }],
    ["GET", "/sandbox/{sandboxIdOrName}/ports/{port}/preview-url", `/sandbox/${sb.id}/ports/3000/preview-url`],
    ["GET", "/sandbox/{sandboxId}/toolbox-proxy-url", `/sandbox/${sb.id}/toolbox-proxy-url`],
    ["GET", "/sandbox/{sandboxIdOrName}/build-logs-url", `/sandbox/${sb.id}/build-logs-url`],
    ["GET", "/sandbox/{sandboxIdOrName}/forks", `/sandbox/${sb.id}/forks`],
    ["GET", "/sandbox/{sandboxIdOrName}/parent", `/sandbox/${fork.id}/parent`],
    ["GET", "/sandbox/{sandboxIdOrName}/ancestors", `/sandbox/${fork.id}/ancestors`],
    ["POST", "/sandbox/{sandboxIdOrName}/autostop/{interval}", `/sandbox/${sb.id}/autostop/30`],
    ["POST", "/sandbox/{sandboxIdOrName}/autoarchive/{interval}", `/sandbox/${sb.id}/autoarchive/60`],
    ["POST", "/sandbox/{sandboxIdOrName}/autodelete/{interval}", `/sandbox/${sb.id}/autodelete/-1`],
    ["GET", "/snapshots", "/snapshots?page=1&limit=2"],
    ["GET", "/snapshots/{id}", `/snapshots/${encodeURIComponent("contract-snap")}`],
    ["POST", "/snapshots", "/snapshots", { name: "contract-image", imageName: "alpine:3" }],
    ["GET", "/object-storage/push-access", "/object-storage/push-access"],
    ["POST", "/volumes", "/volumes", { name: "contract-vol-2" }],
    ["GET", "/volumes", "/volumes"],
    ["GET", "/volumes/{volumeId}", `/volumes/${vol.id}`],
    ["GET", "/volumes/by-name/{name}", "/volumes/by-name/contract-vol"],
    ["GET", "/sandbox/{sandboxId}/signing-key", `/sandbox/${sb.id}/signing-key`],
    ["POST", "/sandbox/{sandboxId}/signing-key/rotate", `/sandbox/${sb.id}/signing-key/rotate`],
    ["GET", "/sandbox/{sandboxIdOrName}/ports/{port}/signed-preview-url", `/sandbox/${sb.id}/ports/3000/signed-preview-url?expiresInSeconds=30`],
    ["POST", "/sandbox/{sandboxIdOrName}/fork", `/sandbox/${sb.id}/fork`, {}],
    ["POST", "/sandbox/{sandboxIdOrName}/snapshot", `/sandbox/${fork.id}/snapshot`, { name: "contract-snap-2" }],
    ["POST", "/sandbox/{sandboxIdOrName}/stop", `/sandbox/${fork.id}/stop`],
    ["POST", "/sandbox/{sandboxIdOrName}/ssh-access", `/sandbox/${sb.id}/ssh-access?expiresInMinutes=5`],
    ["GET", "/sandbox/ssh-access/validate", "/sandbox/ssh-access/validate?token=not-a-token"],
    ["DELETE", "/sandbox/{sandboxIdOrName}/ssh-access", `/sandbox/${sb.id}/ssh-access`],
    ["DELETE", "/sandbox/{sandboxIdOrName}", `/sandbox/${sb.id}`],
  ];
  const errors: string[] = [];
  for (const [method, template, url, body] of calls) {
    const r = await fetch(`${ts.server.apiUrl}${url}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    assert.equal(r.status, 200, `${method} ${url}: ${r.status}`);
    validate(spec, responseSchema(spec, method, template), await r.json(), `${method} ${template}`, errors);
    if (template.endsWith("/fork") || template.endsWith("/stop")) await new Promise((res) => setTimeout(res, 300));
    // A snapshot commits the container: the sandbox is "snapshotting" until the image is written.
    if (template.endsWith("/snapshot")) {
      for (let i = 0; i < 120; i++) {
        const st = (await (await fetch(`${ts.server.apiUrl}/sandbox/${fork.id}`, { headers })).json()) as { state: string };
        if (st.state === "started") break;
        await new Promise((res) => setTimeout(res, 250));
      }
    }
  }
  // The activate answer (after a deactivate) is a SnapshotDto too.
  await fetch(`${ts.server.apiUrl}/snapshots/${snap.id}/deactivate`, { method: "POST", headers });
  const act = await fetch(`${ts.server.apiUrl}/snapshots/${snap.id}/activate`, { method: "POST", headers });
  validate(spec, responseSchema(spec, "POST", "/snapshots/{id}/activate"), await act.json(), "POST /snapshots/{id}/activate", errors);
  assert.deepEqual(errors, []);

  // The validator itself catches what it should.
  const selfCheck: string[] = [];
  validate(spec, { $ref: "#/components/schemas/Sandbox" }, { id: 1 }, "self", selfCheck);
  assert.ok(selfCheck.some((e) => e.includes("self.id: expected string")));
  assert.ok(selfCheck.some((e) => e.includes("self.toolboxProxyUrl: required")));
});
