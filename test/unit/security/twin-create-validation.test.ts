// Issue 18 finding 7: create refuses input that would leave a useless sandbox, with 400 naming the
// field (as Daytona's API does): env names and values, user, cpu/memory/disk ranges, labels
// (`__proto__` included) and their count and size.
import { test } from "node:test";
import assert from "node:assert/strict";
import { getJson, startTestServer } from "../local/helpers";

test("finding 7: create validates its input", async (t) => {
  const ts = await startTestServer();
  t.after(() => ts.stop());
  const post = async (body: string) => {
    const r = await fetch(`${ts.server.apiUrl}/sandbox`, { method: "POST", headers: { authorization: `Bearer ${ts.server.token}`, "content-type": "application/json" }, body });
    return { status: r.status, body: (await r.json()) as { message?: string; id?: string; labels?: Record<string, string> } };
  };
  const bad: Array<[string, string, RegExp]> = [
    ["env name with a space", JSON.stringify({ env: { "BAD NAME": "x" } }), /env/],
    ["env name with =", JSON.stringify({ env: { "A=B": "x" } }), /env/],
    ["env value with NUL", JSON.stringify({ env: { OK: "a\u0000b" } }), /env\.OK/],
    ["user ../../etc", JSON.stringify({ user: "../../etc" }), /user/],
    ["user with a space", JSON.stringify({ user: "a b" }), /user/],
    ["cpu -5", JSON.stringify({ cpu: -5 }), /cpu/],
    ["cpu 0.5", JSON.stringify({ cpu: 0.5 }), /cpu/],
    ["memory 0", JSON.stringify({ memory: 0 }), /memory/],
    ["disk 1e308", JSON.stringify({ disk: 1e308 }), /disk/],
    ["gpu -1", JSON.stringify({ gpu: -1 }), /gpu/],
    ["__proto__ label", '{"labels":{"__proto__":"x"}}', /labels/],
    ["label value not a string", JSON.stringify({ labels: { a: 1 } }), /labels\.a/],
    ["200,000 labels", JSON.stringify({ labels: Object.fromEntries(Array.from({ length: 200_000 }, (_, i) => [`k${i}`, "v"])) }), /labels/],
    ["a 1 MB label value", JSON.stringify({ labels: { big: "x".repeat(1024 * 1024) } }), /labels/],
    ["autoStopInterval -3", JSON.stringify({ autoStopInterval: -3 }), /autoStopInterval/],
  ];
  for (const [what, body, field] of bad) {
    const r = await post(body);
    assert.equal(r.status, 400, `${what}: ${r.status} ${JSON.stringify(r.body).slice(0, 200)}`);
    assert.match(String(r.body.message), field, what);
  }
  const before = ((await getJson(ts.server, "/sandbox")) as { items: unknown[] }).items.length;
  assert.equal(before, 0, "a refused create left a sandbox behind");
  const ok = await post(JSON.stringify({ env: { GOOD_NAME: "a b=c" }, user: "daytona", cpu: 2, memory: 2, disk: 5, labels: { "daytona.io/x": "y" } }));
  assert.equal(ok.status, 200, JSON.stringify(ok.body));
  const sb = await ts.daytona.get(ok.body.id!);
  await sb.waitUntilStarted(60);
  assert.equal((await sb.process.executeCommand("echo $GOOD_NAME")).result.trim(), "a b=c");
});
