// list with a label filter, states filter and cursor pagination (2+ pages); setLabels.
import { test } from "node:test";
import assert from "node:assert/strict";
import { getJson, startTestServer } from "./helpers";

test("list filters by labels and states and pages with a cursor", async (t) => {
  const ts = await startTestServer();
  t.after(() => ts.stop());
  const { daytona, server } = ts;
  const made = await Promise.all(Array.from({ length: 5 }, (_, i) => daytona.create({ name: `pg-${i}`, labels: { group: "paged", idx: String(i) } })));
  await daytona.create({ name: "other", labels: { group: "other" } });

  const seen: string[] = [];
  for await (const sb of daytona.list({ labels: { group: "paged" }, limit: 2 })) seen.push(sb.name);
  assert.deepEqual([...seen].sort(), made.map((s) => s.name).sort());

  const stats = server.stats();
  assert.equal(stats.byRoute["GET /sandbox"], 3, "5 items at limit 2 need 3 pages");

  const page1 = (await getJson(server, `/sandbox?limit=2&labels=${encodeURIComponent(JSON.stringify({ group: "paged" }))}`)) as { items: { name: string }[]; nextCursor: string | null };
  assert.equal(page1.items.length, 2);
  assert.ok(page1.nextCursor);
  const page2 = (await getJson(server, `/sandbox?limit=2&cursor=${page1.nextCursor}&labels=${encodeURIComponent(JSON.stringify({ group: "paged" }))}`)) as { items: { name: string }[] };
  assert.equal(page2.items.length, 2);
  assert.equal(new Set([...page1.items, ...page2.items].map((i) => i.name)).size, 4);

  await made[0].stop();
  const stopped: string[] = [];
  for await (const sb of daytona.list({ states: ["stopped"] } as never)) stopped.push(sb.name);
  assert.deepEqual(stopped, ["pg-0"]);

  await made[1].setLabels({ group: "relabelled", keep: "yes" });
  assert.deepEqual(made[1].labels, { group: "relabelled", keep: "yes" });
  const again = await daytona.get(made[1].id);
  assert.deepEqual(again.labels, { group: "relabelled", keep: "yes" });
  const relabelled: string[] = [];
  for await (const sb of daytona.list({ labels: { group: "relabelled" } })) relabelled.push(sb.name);
  assert.deepEqual(relabelled, ["pg-1"]);
});
