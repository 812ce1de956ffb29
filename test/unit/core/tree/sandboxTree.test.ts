import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { SandboxState } from "../../../../src/core/daytona/records";
import { actionTags, buildSandboxTree, contextValue, DEFAULT_GROUP_BY, parentIndex, sandboxesUnder, type TreeNode } from "../../../../src/core/tree/sandboxTree";
import { sandbox } from "../../factories/records";

const opts = { groupBy: DEFAULT_GROUP_BY, sort: "name" as const };
/** A compact picture of a tree: groups as "key=value[...]", sandboxes by name with forks in (...). */
function shape(nodes: TreeNode[]): string[] {
  return nodes.map((n) =>
    n.kind === "group"
      ? `${n.key}=${n.value}(${n.count})[${shape(n.children).join(",")}]`
      : n.kind === "service"
        ? `svc:${n.name}`
        : n.children.length
          ? `${n.record.name}(${shape(n.children).join(",")})`
          : n.record.name,
  );
}

describe("buildSandboxTree grouping", () => {
  test("no grouping labels: a flat list sorted by name, numbers in order", () => {
    const tree = buildSandboxTree([sandbox({ name: "b10" }), sandbox({ name: "b2" }), sandbox({ name: "a" })], opts);
    assert.deepEqual(shape(tree), ["a", "b2", "b10"]);
  });

  test("Inspect sandboxes sit together by created_by, then by run id; others stay at the top level", () => {
    const records = [
      sandbox({ name: "inspect-t-1-aa", labels: { created_by: "inspect-ai", inspect_run_id: "r1" } }),
      sandbox({ name: "inspect-t-2-bb", labels: { created_by: "inspect-ai", inspect_run_id: "r1" } }),
      sandbox({ name: "inspect-t-1-cc", labels: { created_by: "inspect-ai", inspect_run_id: "r2" } }),
      sandbox({ name: "mine", labels: { created_by: "daytona-vscode" } }),
      sandbox({ name: "loose" }),
    ];
    assert.deepEqual(shape(buildSandboxTree(records, opts)), [
      "created_by=daytona-vscode(1)[mine]",
      "created_by=inspect-ai(3)[inspect_run_id=r1(2)[inspect-t-1-aa,inspect-t-2-bb],inspect_run_id=r2(1)[inspect-t-1-cc]]",
      "loose",
    ]);
  });

  test("a run id without created_by still groups by run", () => {
    const tree = buildSandboxTree([sandbox({ name: "x", labels: { inspect_run_id: "r9" } })], opts);
    assert.deepEqual(shape(tree), ["inspect_run_id=r9(1)[x]"]);
  });

  test("group ids are stable, escaped, and carry the selector of every enclosing label", () => {
    const tree = buildSandboxTree([sandbox({ labels: { created_by: "a/b", inspect_run_id: "r 1" } })], opts);
    const outer = tree[0];
    assert.equal(outer.kind, "group");
    assert.equal(outer.id, "group:created_by=a%2Fb");
    const inner = outer.children[0];
    assert.equal(inner.kind === "group" && inner.id, "group:created_by=a%2Fb/inspect_run_id=r%201");
    assert.deepEqual(inner.kind === "group" && inner.selector, { created_by: "a/b", inspect_run_id: "r 1" });
  });

  test("custom group keys; empty groupBy means flat", () => {
    const rs = [sandbox({ name: "p", labels: { team: "x" } }), sandbox({ name: "q", labels: { team: "y" } })];
    assert.deepEqual(shape(buildSandboxTree(rs, { ...opts, groupBy: ["team"] })), ["team=x(1)[p]", "team=y(1)[q]"]);
    assert.deepEqual(shape(buildSandboxTree(rs, { ...opts, groupBy: [] })), ["p", "q"]);
  });
});

describe("buildSandboxTree forks", () => {
  test("forks sit under their parent, recursively, and are counted in their group", () => {
    const parent = sandbox({ name: "parent", labels: { created_by: "me" } });
    const fork = sandbox({ name: "fork", parentId: parent.id });
    const forkOfFork = sandbox({ name: "fork2", parentId: fork.id });
    const tree = buildSandboxTree([forkOfFork, fork, parent], opts);
    assert.deepEqual(shape(tree), ["created_by=me(3)[parent(fork(fork2))]"]);
  });

  test("a fork whose parent is filtered out or gone is shown on its own", () => {
    const parent = sandbox({ name: "parent" });
    const fork = sandbox({ name: "fork-x", parentId: parent.id });
    assert.deepEqual(shape(buildSandboxTree([parent, fork], { ...opts, text: "fork-x" })), ["fork-x"]);
    assert.deepEqual(shape(buildSandboxTree([fork], opts)), ["fork-x"]);
  });

  test("a record naming itself as parent does not vanish", () => {
    const r = sandbox({ name: "self" });
    r.parentId = r.id;
    assert.deepEqual(shape(buildSandboxTree([r], opts)), ["self"]);
  });
});

describe("buildSandboxTree filter and sort", () => {
  const rs = [
    sandbox({ name: "alpha", state: "stopped", labels: { env: "dev" } }),
    sandbox({ name: "beta", state: "started", labels: { env: "prod" } }),
    sandbox({ name: "gamma", state: "error" }),
  ];
  const cases: [string, { text?: string; states?: SandboxState[] }, string[]][] = [
    ["by name, case-insensitive", { text: "ALP" }, ["alpha"]],
    ["by label key=value", { text: "env=prod" }, ["beta"]],
    ["by label value", { text: "dev" }, ["alpha"]],
    ["by id", { text: rs[2].id }, ["gamma"]],
    ["by state", { states: ["started", "error"] }, ["beta", "gamma"]],
    ["text and state together", { text: "a", states: ["stopped"] }, ["alpha"]],
    ["nothing matches", { text: "zzz" }, []],
    ["blank text matches all", { text: "  " }, ["alpha", "beta", "gamma"]],
  ];
  for (const [name, filter, expected] of cases) {
    test(`filter ${name}`, () => assert.deepEqual(shape(buildSandboxTree(rs, { ...opts, ...filter })), expected));
  }

  test("sort by state puts running first and unknown states last", () => {
    const x = sandbox({ name: "x", state: "unknown" });
    assert.deepEqual(shape(buildSandboxTree([...rs, x], { ...opts, sort: "state" })), ["beta", "alpha", "gamma", "x"]);
  });

  test("sort by created puts the newest first", () => {
    const old = sandbox({ name: "old", createdAt: "2020-01-01T00:00:00Z" });
    const fresh = sandbox({ name: "new", createdAt: "2026-06-01T00:00:00Z" });
    assert.deepEqual(shape(buildSandboxTree([old, fresh], { ...opts, sort: "created" })), ["new", "old"]);
  });
});

describe("tags and helpers", () => {
  const table: [SandboxState, string[]][] = [
    ["started", ["stoppable", "snapshotable", "forkable", "previewable", "terminal", "deletable"]],
    ["stopped", ["startable", "archivable", "snapshotable", "deletable"]],
    ["archived", ["startable", "deletable"]],
    ["error", ["startable", "deletable"]],
    ["starting", ["deletable", "busy"]],
    ["destroying", ["busy"]],
    ["destroyed", []],
  ];
  for (const [state, tags] of table) test(`actions for ${state}`, () => assert.deepEqual(actionTags(state), tags));

  test("contextValue joins tags with + so menus can match /\\+stoppable/", () => {
    assert.equal(contextValue(["sandbox", "started", "stoppable"]), "sandbox+started+stoppable");
  });

  test("sandbox node tags start with the kind and the state", () => {
    const [node] = buildSandboxTree([sandbox({ state: "stopped" })], opts);
    assert.deepEqual(node.kind === "sandbox" && node.tags.slice(0, 2), ["sandbox", "stopped"]);
  });

  test("parentIndex links every node to its parent for reveal()", () => {
    const p = sandbox({ name: "p", labels: { created_by: "me" } });
    const f = sandbox({ name: "f", parentId: p.id });
    const tree = buildSandboxTree([p, f], opts);
    const index = parentIndex(tree);
    assert.equal(index.get("group:created_by=me"), undefined);
    assert.equal(index.get(`sandbox:${p.id}`)?.id, "group:created_by=me");
    assert.equal(index.get(`sandbox:${f.id}`)?.id, `sandbox:${p.id}`);
  });

  test("sandboxesUnder a group lists every member including forks", () => {
    const p = sandbox({ name: "p", labels: { created_by: "me" } });
    const f = sandbox({ name: "f", parentId: p.id });
    const [group] = buildSandboxTree([p, f], opts);
    assert.deepEqual(sandboxesUnder(group).map((r) => r.name), ["p", "f"]);
  });
});

describe("compose services", () => {
  test("services sit under their sandbox before its forks, tagged for a terminal only while running", () => {
    const p = sandbox({ name: "dind", labels: { created_by: "me" } });
    const f = sandbox({ name: "fork", parentId: p.id });
    const services = new Map([[p.id, [{ name: "web", state: "running" }, { name: "db", state: "exited" }]]]);
    const tree = buildSandboxTree([p, f], opts, services);
    assert.deepEqual(shape(tree), ["created_by=me(2)[dind(svc:web,svc:db,fork)]"], "services are not counted as sandboxes");
    const parent = tree[0].children[0];
    const [web, db] = parent.children;
    assert.equal(web.kind === "service" && web.id, `service:${p.id}+web`);
    assert.deepEqual(web.kind === "service" && web.tags, ["service", "running", "terminal"]);
    assert.deepEqual(db.kind === "service" && db.tags, ["service", "exited"]);
    assert.deepEqual(sandboxesUnder(parent).map((r) => r.name), ["dind", "fork"]);
  });
});
