import assert from "node:assert/strict";
import { test } from "node:test";
import { reuseSelector, toCreateParams } from "../../../../src/core/create/createParams";
import { sandboxName } from "../../../../src/core/create/openWorkspace";

const labels = { created_by: "daytona-vscode", "daytona.vscode/folder": "abc", "daytona.vscode/source": "compose.yaml", team: "x" };

test("a snapshot plan sends the snapshot and no resources", () => {
  const p = toCreateParams({ snapshot: "snap", envVars: { A: "1" }, labels, resources: { cpu: 2, memory: 4, gpu: 0 } });
  assert.equal(p.snapshot, "snap");
  assert.equal(p.resources, undefined);
  assert.equal(p.image, undefined);
});

test("an image plan sends the image, its resources and every sandbox field", () => {
  const p = toCreateParams(
    { image: { kind: "name", name: "python:3.12" }, envVars: {}, labels, resources: { cpu: 2, memory: 4, gpu: 1 }, user: "u", public: true, networkBlockAll: true, autoStopInterval: 0, language: "python" },
    "my-box",
  );
  assert.deepEqual(p.resources, { cpu: 2, memory: 4, gpu: 1, disk: undefined });
  assert.equal(p.image, "python:3.12");
  assert.equal(p.name, "my-box");
  assert.equal(p.user, "u");
  assert.equal(p.public, true);
  assert.equal(p.networkBlockAll, true);
  assert.equal(p.autoStopInterval, 0, "0 (never) is kept, not dropped");
  assert.equal(p.language, "python");
});

test("a Dockerfile plan names the Dockerfile to build", () => {
  const p = toCreateParams({ image: { kind: "dockerfile", dockerfile: "/w/Dockerfile", context: "/w" }, envVars: {}, labels });
  assert.deepEqual(p.image, { dockerfile: "/w/Dockerfile" });
});

test("the reuse selector is the three identifying labels only", () => {
  assert.deepEqual(reuseSelector(labels), { created_by: "daytona-vscode", "daytona.vscode/folder": "abc", "daytona.vscode/source": "compose.yaml" });
});

test("sandbox names come from the folder and are valid Daytona names", () => {
  assert.match(sandboxName("/home/me/My App!"), /^my-app-[0-9a-f]{4}$/);
  assert.match(sandboxName("/"), /^workspace-[0-9a-f]{4}$/);
  assert.match(sandboxName("/x/..weird__name.."), /^weird__name\.\.-[0-9a-f]{4}$|^weird__name-[0-9a-f]{4}$/);
});
