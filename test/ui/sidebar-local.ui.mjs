// What a person sees: connect to local sandboxes from the welcome content, create a sandbox through
// the title bar's + (quick pick and input box), see it in the tree with its state and resources,
// open its context menu, and see the default snapshot in the Snapshots view.
import { createSandboxFromTitle } from "./lib/createSandbox.mjs";
export const settings = { "daytona.sandboxes.groupBy": ["created_by"] };

export default async function ({ page, step, screenshot }) {
  const sidebar = page.locator(".part.sidebar");
  await page.locator('.activitybar [aria-label^="Daytona"]').first().click({ timeout: 60_000 });
  await sidebar.locator('.monaco-button:has-text("Use local sandboxes (no account)")').first().click({ timeout: 30_000 });
  step("clicked Use local sandboxes");
  await sidebar.locator('.monaco-button:has-text("Create Sandbox")').first().waitFor({ timeout: 30_000 });
  await page.locator('.statusbar-item:has-text("Daytona: Local sandboxes")').first().waitFor({ timeout: 10_000 });
  step("connected: the empty view offers Create Sandbox and the status bar names the profile");
  await screenshot("1-connected-empty");

  await createSandboxFromTitle(page, sidebar, "ui-demo");
  step("created through the quick pick and input box");

  const group = sidebar.locator('.monaco-list-row:has-text("daytona-vscode")').first();
  await group.waitFor({ timeout: 30_000 });
  const row = sidebar.locator('.monaco-list-row:has-text("ui-demo")').first();
  await row.waitFor({ timeout: 30_000 });
  await sidebar.locator('.monaco-list-row:has-text("ui-demo") .label-description:has-text("CPU")').first().waitFor({ timeout: 10_000 });
  // It appears while still creating (a pushed event); the menu below is for a started sandbox.
  await sidebar.locator('.monaco-list-row:has-text("ui-demo") .codicon-vm-running').first().waitFor({ timeout: 30_000 });
  step("the sandbox sits in its created_by group, started, with its resources");
  await screenshot("2-sandbox-in-group");

  await row.click({ button: "right" });
  const menu = page.locator(".monaco-menu");
  await menu.locator('.action-label:has-text("Stop")').first().waitFor({ timeout: 10_000 });
  await menu.locator('.action-label:has-text("Delete…")').first().waitFor({ timeout: 10_000 });
  await menu.locator('.action-label:has-text("Open Port Preview in Browser…")').first().waitFor({ timeout: 10_000 });
  const startShown = await menu.locator('.action-label:text-is("Start")').count();
  if (startShown) throw new Error("a started sandbox must not offer Start");
  step("the context menu offers what a started sandbox allows");
  await screenshot("3-context-menu");
  await menu.locator('.action-label:has-text("Stop")').first().click();
  await sidebar.locator('.monaco-list-row:has-text("ui-demo") .label-description:has-text("stopped")').first().waitFor({ timeout: 30_000 });
  step("Stop from the menu: the row shows stopped");

  await sidebar.locator('.monaco-list-row:has-text("daytona-small")').first().waitFor({ timeout: 30_000 });
  step("the Snapshots view lists the default snapshot");
  await screenshot("4-both-views");
}
