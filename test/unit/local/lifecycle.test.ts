// Create (default snapshot, named snapshot, image name), get by id/name, start/stop/archive/delete
// transitions pushed as events, using the unmodified SDK.
import { test } from "node:test";
import assert from "node:assert/strict";
import { sleep, startTestServer } from "./helpers";

test("sandbox lifecycle through the SDK", async (t) => {
  const ts = await startTestServer();
  t.after(() => ts.stop());
  const { daytona } = ts;

  const sb = await daytona.create({ name: "life-1", labels: { suite: "life" } });
  assert.equal(sb.state, "started");
  assert.equal(sb.name, "life-1");
  assert.equal(sb.snapshot, "daytona-small");
  assert.equal(sb.labels["code-toolbox-language"], "python");
  assert.match(sb.toolboxProxyUrl, /^http:\/\/127\.0\.0\.1:\d+\/toolbox$/);

  const byName = await daytona.get("life-1");
  assert.equal(byName.id, sb.id);
  const byId = await daytona.get(sb.id);
  assert.equal(byId.name, "life-1");

  await assert.rejects(daytona.create({ name: "life-1" }), /already exists/);
  await assert.rejects(daytona.get("no-such-sandbox"), /not found/);

  const named = await daytona.create({ snapshot: "daytona-medium" });
  assert.equal(named.cpu, 2);
  assert.equal(named.memory, 4);
  await assert.rejects(daytona.create({ snapshot: "missing-snap" }), /not found/);

  const fromImage = await daytona.create({ image: "python:3.12-slim" });
  assert.equal(fromImage.state, "started");

  await sb.stop();
  assert.equal(sb.state, "stopped");
  await sb.archive();
  await sb.refreshData();
  assert.equal(sb.state, "archiving");
  // The archive file is written after the engine exports the whole image: about 10 s here.
  for (let i = 0; i < 600 && sb.state !== "archived"; i++) {
    await sleep(100);
    await sb.refreshData();
  }
  assert.equal(sb.state, "archived");
  await sb.start();
  assert.equal(sb.state, "started");

  await sb.delete(10, true);
  assert.equal(sb.state, "destroyed");
  await assert.rejects(daytona.get(sb.id), /not found/);
});
