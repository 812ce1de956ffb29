import assert from "node:assert/strict";
import { test } from "node:test";
import { sandboxDescription, sandboxTooltip, snapshotDescription, stateIcon } from "../../../../src/core/tree/presentation";
import { sandbox, snapshot } from "../../factories/records";

test("state icons: running green, transitional spinning, errors red", () => {
  assert.deepEqual(stateIcon("started"), { codicon: "vm-running", color: "charts.green" });
  assert.equal(stateIcon("starting").codicon, "sync~spin");
  assert.equal(stateIcon("stopping").codicon, "sync~spin");
  assert.equal(stateIcon("build_failed").color, "errorForeground");
  assert.equal(stateIcon("unknown").codicon, "question");
});

test("description: state unless started, snapshot, resources", () => {
  assert.equal(sandboxDescription(sandbox({ state: "started", snapshot: "img", cpu: 2, memory: 4, disk: 10 })), "img · 2 CPU · 4 GiB · 10 GiB disk");
  assert.equal(sandboxDescription(sandbox({ state: "build_failed", snapshot: undefined, gpu: 1 })), "build failed · 1 CPU · 1 GiB · 3 GiB disk · 1 GPU");
  assert.equal(snapshotDescription(snapshot({ state: "active", imageName: "ubuntu" })), "ubuntu · 1 CPU · 1 GiB · 3 GiB disk");
});

test("tooltip lists id, labels and auto-stop, with Markdown escaped", () => {
  const md = sandboxTooltip(sandbox({ name: "a*b", labels: { k: "v" }, autoStopInterval: 60, autoArchiveInterval: 0 }));
  assert.match(md, /\*\*a\\\*b\*\*/);
  assert.match(md, /`k` = `v`/);
  assert.match(md, /auto-stop: 1 h, auto-archive: never/);
});
