// Issue 19, item 2: every contributed view-title, inline and context-menu entry of the Daytona views
// is clicked once (not the palette), each does what it says (a picker, an input box, a state change),
// nothing lands in the user's settings.json, and the view keeps updating afterwards. Commands run from
// a menu get the clicked item (or the selection) as their first argument; the filter and the sort
// used to take that object for their value.
import fs from "node:fs";
import { connectLocal } from "./lib/connectLocal.mjs";

export const settings = { "daytona.sandboxes.groupBy": ["created_by"] };

export default async function ({ page, step, screenshot, settingsFile }) {
  const sidebar = await connectLocal(page, step);
  // Taken once the workbench is up: at start-up VS Code migrates some of its own settings
  // (extensions.autoUpdate false -> "off") in this file.
  await page.waitForTimeout(1000);
  const before = fs.readFileSync(settingsFile, "utf8");
  const quick = page.locator(".quick-input-widget");
  const header = (view) => sidebar.locator(`.pane-header:has-text("${view}")`).first();
  const row = (text) => sidebar.locator(`.monaco-list-row:has-text("${text}")`).first();

  /** A quick input with this title (or placeholder) text shows; Escape closes it without choosing. */
  async function expectQuickInput(text, label) {
    await quick.locator(`.quick-input-title:has-text("${text}"), .quick-input-header:has-text("${text}"), input[placeholder*="${text}"], .quick-input-message:has-text("${text}")`).first().waitFor({ timeout: 15_000 });
    await screenshot(label);
    await page.keyboard.press("Escape");
    await quick.waitFor({ state: "hidden", timeout: 5000 });
  }
  async function titleButton(view, label) {
    await header(view).hover();
    await header(view).locator(`.action-label[aria-label^="${label}"]`).first().click({ timeout: 10_000 });
  }
  async function titleMenu(view, label) {
    await header(view).hover();
    await header(view).locator('.action-label.codicon-toolbar-more, .action-label[aria-label^="Views and More Actions"], .action-label[aria-label^="More Actions"]').first().click({ timeout: 10_000 });
    await pickMenuItem(page.locator(`.monaco-menu .action-label:has-text("${label}")`).first());
  }
  // The menu sometimes takes the first click as a hover; Enter then runs the highlighted item.
  async function pickMenuItem(item) {
    await item.waitFor({ timeout: 10_000 });
    await item.hover();
    await item.click();
    await page.waitForTimeout(300);
    if (await page.locator(".context-view .monaco-menu").first().isVisible().catch(() => false)) await page.keyboard.press("Enter");
  }
  async function contextMenu(target, label) {
    const menu = page.locator(".context-view .monaco-menu").first();
    for (let i = 0; i < 3; i++) {
      await page.mouse.move(700, 700); // away from hovers that can swallow the click
      await target.click({ button: "right" });
      if (await menu.waitFor({ timeout: 3000 }).then(() => true, () => false)) break;
    }
    await pickMenuItem(page.locator(`.monaco-menu .action-label:text-is("${label}")`).first());
  }
  async function inline(target, label) {
    await target.hover();
    await target.locator(`.actions .action-label[aria-label^="${label}"]`).first().click({ timeout: 10_000 });
  }
  const dialogCancel = async (label) => {
    const dialog = page.locator(".monaco-dialog-box").first();
    await dialog.waitFor({ timeout: 10_000 });
    await screenshot(label);
    await page.keyboard.press("Escape");
    await dialog.waitFor({ state: "hidden", timeout: 5000 });
  };
  const stateIs = (name, state) => sidebar.locator(`.monaco-list-row:has-text("${name}") .label-description:has-text("${state}")`).first().waitFor({ timeout: 60_000 });
  const started = (name) => sidebar.locator(`.monaco-list-row:has-text("${name}") .codicon-vm-running`).first().waitFor({ timeout: 60_000 });

  // View title: Create Sandbox (through its pickers), then the rest of the title bar.
  await titleButton("Sandboxes", "Create Sandbox");
  await quick.locator('.quick-input-list .monaco-list-row:has-text("Default snapshot")').first().waitFor({ timeout: 15_000 });
  await screenshot("01-title-create-picker");
  await page.keyboard.press("Enter");
  await quick.locator('.quick-input-title:has-text("name of the new sandbox")').first().waitFor({ timeout: 10_000 });
  await page.keyboard.type("ui-entries");
  await page.keyboard.press("Enter");
  await started("ui-entries");
  step("title: Create Sandbox made ui-entries");

  await row("ui-entries").click(); // selected: title commands are handed the selected item
  await titleButton("Sandboxes", "Filter Sandboxes");
  await expectQuickInput("filter sandboxes", "02-title-filter-asks");
  await sidebar.locator('.pane-header:has-text("Sandboxes") .action-label[aria-label^="Clear Filter"]').first().waitFor({ state: "detached", timeout: 3000 }).catch(() => undefined);
  if (await header("Sandboxes").locator('.action-label[aria-label^="Clear Filter"]').count()) throw new Error("the filter button set a filter without asking");
  await row("ui-entries").waitFor({ timeout: 5000 });
  step("title: Filter asks (an input box) and sets nothing when cancelled");

  await titleButton("Sandboxes", "Filter Sandboxes");
  await quick.locator('.quick-input-title:has-text("filter sandboxes")').first().waitFor({ timeout: 10_000 });
  await page.keyboard.type("no-such-sandbox");
  await page.keyboard.press("Enter");
  await quick.locator('.quick-input-title:has-text("only these states")').first().waitFor({ timeout: 10_000 });
  await page.keyboard.press("Enter");
  await sidebar.locator('.welcome-view-content:has-text("No sandbox matches the filter")').first().waitFor({ timeout: 10_000 });
  await screenshot("03-filtered");
  await titleButton("Sandboxes", "Clear Filter");
  await row("ui-entries").waitFor({ timeout: 10_000 });
  step("title: Filter with a text hides the sandbox; Clear Filter brings it back");

  await titleButton("Sandboxes", "Refresh");
  await row("ui-entries").waitFor({ timeout: 10_000 });
  step("title: Refresh");

  await titleMenu("Sandboxes", "Sort Sandboxes By");
  await expectQuickInput("sort sandboxes by", "04-title-sort-asks");
  step("title menu: Sort Sandboxes By shows its picker");
  await titleMenu("Sandboxes", "Switch Connection");
  await quick.locator(".quick-input-list .monaco-list-row").first().waitFor({ timeout: 10_000 });
  await page.keyboard.press("Escape");
  step("title menu: Switch Connection shows the profiles");
  await titleMenu("Sandboxes", "Show Log");
  await page.locator('.part.panel .monaco-editor:has-text("activated")').first().waitFor({ timeout: 15_000 });
  step("title menu: Show Log shows the Daytona log");

  // Context menu and inline entries of a started sandbox.
  const sb = row("ui-entries");
  await contextMenu(sb, "Open Terminal");
  await page.locator(".terminal-wrapper .xterm-rows").first().waitFor({ timeout: 30_000 });
  step("context: Open Terminal");
  await inline(sb, "Open Terminal");
  await page.locator('.tabs-list .monaco-list-row:has-text("Daytona: ui-entries"), .single-terminal-tab:has-text("Daytona")').first().waitFor({ timeout: 30_000 }).catch(() => undefined);
  step("inline: Open Terminal");
  await contextMenu(sb, "Open Files in Explorer");
  await expectQuickInput("open ui-entries", "05-open-files-asks-where");
  step("context: Open Files in Explorer asks where (current window, new window, workspace)");
  await contextMenu(sb, "Edit Labels…");
  await quick.locator("input").first().waitFor({ timeout: 10_000 });
  await page.keyboard.press("Escape");
  await contextMenu(sb, "Copy ID");
  await contextMenu(sb, "Show Build Logs");
  await contextMenu(sb, "Open Port Preview in Browser…");
  await quick.locator("input").first().waitFor({ timeout: 10_000 });
  await page.keyboard.press("Escape");
  await contextMenu(sb, "Snapshot…");
  await quick.locator("input").first().waitFor({ timeout: 10_000 });
  await page.keyboard.press("Escape");
  await contextMenu(sb, "Fork…");
  await quick.locator("input").first().waitFor({ timeout: 10_000 });
  await page.keyboard.press("Escape");
  step("context: Edit Labels, Copy ID, Show Build Logs, Open Port Preview, Snapshot, Fork");
  await contextMenu(sb, "Delete…");
  await dialogCancel("06-delete-confirm");
  step("context: Delete asks first");

  await inline(sb, "Stop");
  await stateIs("ui-entries", "stopped");
  await inline(sb, "Start");
  await started("ui-entries");
  step("inline: Stop, Start");
  await contextMenu(sb, "Stop");
  await stateIs("ui-entries", "stopped");
  await contextMenu(sb, "Archive");
  await stateIs("ui-entries", "archived");
  await contextMenu(sb, "Start");
  await started("ui-entries");
  step("context: Stop, Archive, Start");

  await contextMenu(row("daytona-vscode"), "Clean Up (Delete All in Group)…");
  await dialogCancel("07-clean-up-confirm");
  step("group context: Clean Up asks first");

  // The Snapshots view.
  const snap = sidebar.locator('.pane:has(.pane-header:has-text("Snapshots")) .monaco-list-row:has-text("daytona-small")').first();
  await snap.waitFor({ timeout: 30_000 });
  await inline(snap, "Create Sandbox from Snapshot");
  await quick.locator("input").first().waitFor({ timeout: 10_000 });
  await page.keyboard.press("Escape");
  await contextMenu(snap, "Create Sandbox from Snapshot");
  await quick.locator("input").first().waitFor({ timeout: 10_000 });
  await page.keyboard.press("Escape");
  await titleButton("Snapshots", "Refresh");
  step("snapshots: inline and context Create Sandbox from Snapshot, Refresh");

  // The list still updates after all of it: a change made from a menu shows.
  await inline(sb, "Stop");
  await stateIs("ui-entries", "stopped");
  await screenshot("08-after-every-entry");
  await contextMenu(sb, "Delete…");
  await page.locator(".monaco-dialog-box").first().waitFor({ timeout: 10_000 });
  await page.locator('.monaco-dialog-box .monaco-button:has-text("Delete")').first().click();
  await row("ui-entries").waitFor({ state: "detached", timeout: 60_000 });
  step("the view still follows changes; Delete removed the sandbox");

  await titleMenu("Sandboxes", "Sign Out");
  await sidebar.locator('.monaco-button:has-text("Use local sandboxes (no account)")').first().waitFor({ timeout: 30_000 });
  step("title menu: Sign Out");

  const after = fs.readFileSync(settingsFile, "utf8");
  if (after !== before) throw new Error(`settings.json changed:\n--- before\n${before}\n--- after\n${after}`);
  step("settings.json is unchanged after every entry");
}
