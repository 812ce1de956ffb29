import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { COMMAND_IDS } from "../../../src/commands/ids";

const manifest = JSON.parse(readFileSync(join(__dirname, "../../../package.json"), "utf8"));

test("the typed command-id list equals contributes.commands", () => {
  const contributed = manifest.contributes.commands.map((c: { command: string }) => c.command).sort();
  assert.deepEqual([...COMMAND_IDS].sort(), contributed);
});

test("every command has a title and the Daytona category", () => {
  for (const c of manifest.contributes.commands) {
    assert.ok(c.title, `${c.command} has a title`);
    assert.equal(c.category, "Daytona", `${c.command} is in the Daytona category`);
  }
});

test("every command named in a menu or welcome link is contributed", () => {
  const ids = new Set(COMMAND_IDS as readonly string[]);
  const menus = Object.values(manifest.contributes.menus ?? {}).flat() as { command: string }[];
  for (const m of menus) assert.ok(ids.has(m.command), `menu entry ${m.command}`);
  for (const w of manifest.contributes.viewsWelcome) {
    for (const [, id] of w.contents.matchAll(/\(command:([\w.]+)\)/g)) assert.ok(ids.has(id), `welcome link ${id}`);
  }
});

test("activation is lazy", () => {
  assert.ok(!manifest.activationEvents.includes("*"), "no '*' activation");
  assert.ok(!manifest.activationEvents.includes("onStartupFinished"), "no start-up activation");
});
