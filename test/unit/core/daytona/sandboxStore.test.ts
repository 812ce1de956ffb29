import assert from "node:assert/strict";
import { test } from "node:test";
import { SandboxStore } from "../../../../src/core/daytona/sandboxStore";
import { sandbox } from "../../factories/records";

test("replaceAll, upsert, setState and destroyed records", () => {
  const store = new SandboxStore();
  let changes = 0;
  store.onDidChange(() => changes++);
  const a = sandbox({ name: "a" });
  const b = sandbox({ name: "b" });
  assert.equal(store.loaded, false);
  store.replaceAll([a, b]);
  assert.equal(store.loaded, true);
  assert.equal(store.all().length, 2);
  assert.equal(store.setState(a.id, "stopping"), true);
  assert.equal(store.get(a.id)?.state, "stopping");
  assert.equal(store.setState("nope", "started"), false, "unknown ids are left to the next list");
  store.upsert({ ...b, state: "destroyed" });
  assert.equal(store.get(b.id), undefined);
  store.setState(a.id, "destroyed");
  assert.equal(store.all().length, 0);
  assert.equal(changes, 4);
});

test("an event older than the record held is ignored", () => {
  const store = new SandboxStore();
  const started = sandbox({ state: "started", updatedAt: "2026-01-01T00:00:02.000Z" });
  store.replaceAll([started]);
  store.upsert({ ...started, state: "creating", updatedAt: "2026-01-01T00:00:01.000Z" });
  assert.equal(store.get(started.id)?.state, "started");
  store.upsert({ ...started, state: "stopping", updatedAt: "2026-01-01T00:00:03.000Z" });
  assert.equal(store.get(started.id)?.state, "stopping");
});
