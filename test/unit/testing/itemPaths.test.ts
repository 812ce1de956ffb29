import assert from "node:assert/strict";
import { join } from "node:path";
import { describe, it } from "node:test";
import type { SandboxRecord } from "../../../src/core/daytona/records";
import type { TestResult } from "../../../src/core/testing";
import { forkSegment, itemPath, localLocation, pathId, relativeFile } from "../../../src/testing/itemPaths";
import { pickSandbox } from "../../../src/testing/pickSandbox";

const ctx = { remoteDir: "/home/daytona/app", localFolder: "/work/app" };
const result = (over: Partial<TestResult>): TestResult => ({ id: "x", name: "t", suite: [], status: "passed", ...over });

describe("itemPath", () => {
  it("groups a result with a file under the file, then its suites, with the local file and line", () => {
    const r = result({ id: "/home/daytona/app/src/a.test.ts \u203a outer \u203a t", file: "/home/daytona/app/src/a.test.ts", suite: ["outer"], line: 7 });
    assert.deepEqual(itemPath(r, ctx), [
      { key: "file:src/a.test.ts", label: "src/a.test.ts", file: join("/work/app", "src/a.test.ts") },
      { key: "suite:outer", label: "outer", file: join("/work/app", "src/a.test.ts") },
      { key: "test:t", label: "t", file: join("/work/app", "src/a.test.ts"), line: 7 },
    ]);
  });

  it("puts a result without a file under its suites; a failure gives it the failing line", () => {
    const r = result({ id: "math \u203a t", suite: ["math"], status: "failed", location: { file: "file:///home/daytona/app/math.test.mjs", line: 12, column: 3 } });
    assert.deepEqual(itemPath(r, ctx), [
      { key: "suite:math", label: "math" },
      { key: "test:t", label: "t", file: join("/work/app", "math.test.mjs"), line: 12 },
    ]);
    assert.deepEqual(itemPath(result({ id: "t" }), ctx), [{ key: "test:t", label: "t" }]);
  });

  it("keeps the parsers' (2) suffix of repeated tests so both are items", () => {
    const [leaf] = itemPath(result({ id: "t (2)" }), ctx);
    assert.equal(leaf.key, "test:t (2)");
    assert.equal(leaf.label, "t");
  });

  it("leaves files outside the project (node_modules, /usr) without a local file", () => {
    const r = result({ file: "/usr/lib/x.js", status: "failed", location: { file: "/home/daytona/app/node_modules/m/i.js", line: 3 } });
    assert.deepEqual(itemPath(r, ctx), [{ key: "test:t", label: "t" }]);
    assert.equal(localLocation({ file: "/elsewhere/a.js", line: 1 }, ctx), undefined);
  });

  it("puts a fork's results under its fork segment, with ids unique per path", () => {
    const p = itemPath(result({ id: "s \u203a t", suite: ["s"] }), { ...ctx, prefix: [forkSegment("app-fork-1")] });
    assert.deepEqual(p.map((s) => s.key), ["fork:app-fork-1", "suite:s", "test:t"]);
    assert.equal(p[0].label, "fork app-fork-1");
    assert.notEqual(pathId("root", p), pathId("root", p.slice(1)));
  });

  it("relativeFile gives the project-relative path, or undefined outside it", () => {
    assert.equal(relativeFile("/work/app", "/work/app/src/a.test.ts"), "src/a.test.ts");
    assert.equal(relativeFile("/work/app", "/work/other/a.ts"), undefined);
    assert.equal(relativeFile("/work/app", "/work/app"), undefined);
  });
});

describe("pickSandbox", () => {
  const sel = { created_by: "daytona-vscode", "daytona.vscode/folder": "f", "daytona.vscode/source": "s" };
  const rec = (id: string, over: Partial<SandboxRecord> = {}): SandboxRecord =>
    ({ id, name: id, state: "started", labels: { ...sel }, createdAt: "2026-01-01T00:00:00Z", ...over }) as SandboxRecord;

  it("takes the newest usable sandbox with the labels, never a fork or a broken one", () => {
    const picked = pickSandbox(
      [
        rec("old", { createdAt: "2025-01-01T00:00:00Z" }),
        rec("fork", { createdAt: "2027-01-01T00:00:00Z", labels: { ...sel, "daytona.vscode/forked-from": "old" } }),
        rec("broken", { createdAt: "2027-01-01T00:00:00Z", state: "error" }),
        rec("other", { createdAt: "2027-01-01T00:00:00Z", labels: { ...sel, "daytona.vscode/folder": "g" } }),
        rec("new"),
      ],
      sel,
    );
    assert.equal(picked?.id, "new");
  });

  it("finds nothing with fewer than the three reuse labels", () => {
    assert.equal(pickSandbox([rec("a")], { created_by: "daytona-vscode" }), undefined);
  });
});
