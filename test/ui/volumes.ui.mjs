// Volumes as a person meets them: open the Volumes view, create a volume with its title bar's +,
// open the volume's context menu, make a sandbox with it mounted (mount path, snapshot, name), and
// hover the new sandbox: its tooltip shows CPU, memory and disk use.
import { connectLocal } from "./lib/connectLocal.mjs";

export default async function ({ page, step, screenshot }) {
  const sidebar = await connectLocal(page, step);
  const header = sidebar.locator('.pane-header:has-text("Volumes")').first();
  await header.waitFor({ timeout: 30_000 });
  if ((await header.getAttribute("aria-expanded")) !== "true") await header.click();
  await header.hover();
  await sidebar.locator('.pane-header:has-text("Volumes") .action-label[aria-label^="Create Volume"]').first().click({ timeout: 10_000 });
  const quickInput = page.locator(".quick-input-widget");
  await quickInput.locator('.quick-input-title:has-text("name of the new volume")').first().waitFor({ timeout: 10_000 });
  await page.keyboard.type("ui-vol");
  await page.keyboard.press("Enter");
  const row = sidebar.locator('.monaco-list-row:has-text("ui-vol")').first();
  await row.waitFor({ timeout: 30_000 });
  await sidebar.locator('.monaco-list-row:has-text("ui-vol") .label-description:has-text("never mounted")').first().waitFor({ timeout: 30_000 });
  step("created through the title bar: the volume is listed, ready");
  await screenshot("1-volume-ready");

  await row.click({ button: "right" });
  const menu = page.locator(".monaco-menu");
  await menu.locator('.action-label:has-text("Delete Volume…")').first().waitFor({ timeout: 10_000 });
  const item = menu.locator('.action-label:has-text("Create Sandbox with Volume…")').first();
  await item.hover();
  await item.click({ timeout: 10_000 });
  await quickInput.locator('.quick-input-title:has-text("mount volume ui-vol at")').first().waitFor({ timeout: 10_000 });
  await page.keyboard.press("Enter"); // the offered /home/daytona/volumes/ui-vol
  await quickInput.locator('.quick-input-list .monaco-list-row:has-text("Default snapshot")').first().waitFor({ timeout: 10_000 });
  await page.keyboard.press("Enter");
  await quickInput.locator('.quick-input-title:has-text("name of the new sandbox")').first().waitFor({ timeout: 10_000 });
  await page.keyboard.type("ui-vol-box");
  await page.keyboard.press("Enter");
  step("Create Sandbox with Volume from the volume's context menu");

  const box = sidebar.locator('.monaco-list-row:has-text("ui-vol-box")').first();
  await sidebar.locator('.monaco-list-row:has-text("ui-vol-box") .codicon-vm-running').first().waitFor({ timeout: 60_000 });
  await sidebar.locator('.monaco-list-row:has-text("ui-vol") .label-description:has-text("last used")').first().waitFor({ timeout: 30_000 });
  step("the sandbox is started and the volume shows it was used");
  await box.locator(".label-name").first().hover();
  const hover = page.locator(".monaco-hover, .workbench-hover").filter({ hasText: "CPU:" }).first();
  await hover.waitFor({ timeout: 20_000 });
  const text = await hover.innerText();
  for (const want of [/CPU: [\d.]+% of \d+ vCPU/, /memory: .+ of .+GiB/, /disk: .+ of .+GiB/]) {
    if (!want.test(text)) throw new Error(`tooltip lacks ${want}: ${text}`);
  }
  step("hovering the sandbox shows its CPU, memory and disk use");
  await screenshot("2-tooltip-usage");
}
