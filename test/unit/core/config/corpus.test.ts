// The compose corpus (test/fixtures/compose-corpus): realistic projects, each planned and compared
// with its golden plan (test/fixtures/compose-corpus-golden/<id>.json, reviewed by hand against
// `docker compose config` semantics; UPDATE_GOLDEN=1 rewrites them). Paths are shown relative to the
// corpus and the folder hash label as <hash>, so the goldens do not depend on where the repo is.
import assert from "node:assert/strict";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { test } from "node:test";
import type { PlanResult } from "../../../../src/core/config";
import { CORPUS, corpus, planCase } from "./corpus";

const GOLDEN = path.resolve(__dirname, "../../../fixtures/compose-corpus-golden");

function normalise(r: PlanResult): unknown {
  const text = JSON.stringify(r).split(CORPUS).join("<corpus>");
  return JSON.parse(text, (k, v) => (k === "daytona.vscode/folder" ? "<hash>" : v));
}

test("the corpus holds at least 30 projects, one of them with 60 services, and index.json lists every folder once", async () => {
  const { readdirSync, statSync } = await import("node:fs");
  const folders = readdirSync(CORPUS).filter((n) => statSync(path.join(CORPUS, n)).isDirectory()).sort();
  assert.deepEqual(corpus.map((c) => c.id).sort(), folders);
  assert.ok(corpus.length >= 30, `${corpus.length} projects`);
  const big = await planCase(corpus.find((c) => c.id === "large-60-services")!);
  assert.ok(big.plan?.kind === "compose-dind" && big.plan.services.length === 60);
});

for (const c of corpus) {
  test(`corpus: ${c.id} (${c.note})`, async () => {
    const r = await planCase(c);
    assert.deepEqual(r.diagnostics.filter((d) => d.message.startsWith("internal error")), []);
    const file = path.join(GOLDEN, `${c.id}.json`);
    const text = `${JSON.stringify(normalise(r), null, 2)}\n`;
    if (process.env.UPDATE_GOLDEN === "1") writeFileSync(file, text);
    assert.ok(existsSync(file), `golden ${file} is missing: run with UPDATE_GOLDEN=1 and review it`);
    assert.equal(text, readFileSync(file, "utf8"), `plan differs from ${file}`);
  });
}
