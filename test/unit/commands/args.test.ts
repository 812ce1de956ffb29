// What a command makes of its first argument: a tree node handed over by a view's title or context
// menu is never taken for a filter text, a sort key or a snapshot.
import * as assert from "node:assert/strict";
import { describe, it } from "node:test";
import { isSnapshotRecord, isTreeNode, oneOf, stringArg, stringArrayArg } from "../../../src/commands/args";
import { sandbox, snapshot } from "../factories/records";

const node = { kind: "sandbox", id: "sandbox:1", record: sandbox({}), children: [], tags: ["sandbox"] };

describe("command arguments", () => {
  it("a clicked tree node is not a string, a key or a list of states", () => {
    assert.equal(stringArg(node), undefined);
    assert.equal(oneOf(node, ["name", "created", "state"] as const), undefined);
    assert.equal(stringArrayArg([node]), undefined);
    assert.equal(stringArg("web"), "web");
    assert.equal(oneOf("created", ["name", "created", "state"] as const), "created");
    assert.equal(oneOf("size", ["name", "created", "state"] as const), undefined);
  });
  it("tree nodes and snapshot records are told apart", () => {
    assert.ok(isTreeNode(node));
    assert.ok(!isSnapshotRecord(node));
    const snap = snapshot({});
    assert.ok(isSnapshotRecord(snap));
    assert.ok(!isTreeNode(snap));
    for (const junk of [undefined, null, "x", 3, {}, { kind: "sandbox" }]) {
      assert.ok(!isTreeNode(junk));
      assert.ok(!isSnapshotRecord(junk));
    }
  });
});
