// Right-click a folder in the Explorer, "Open in Daytona Sandbox": the sandbox is built from its
// Dockerfile, a terminal opens in the synced folder (and runs commands there), and the sandbox's
// folder shows in the Explorer with its files.
import { connectLocal } from "./lib/connectLocal.mjs";

export default async function ({ page, step, screenshot }) {
  const sidebar = await connectLocal(page, step);

  await page.locator('.activitybar [aria-label^="Explorer"]').first().click();
  const folder = sidebar.locator('.monaco-list-row[aria-label="app"]').first();
  await folder.waitFor({ timeout: 30_000 });
  await folder.click({ button: "right" });
  const item = page.locator('.monaco-menu .action-label:has-text("Open in Daytona Sandbox")').first();
  await item.waitFor({ timeout: 10_000 });
  await screenshot("1-explorer-context-menu");
  await item.click();
  step("chose Open in Daytona Sandbox on the app folder");

  // Issue 19, item 6: a single-folder window asks where the sandbox's folder goes (once).
  const where = page.locator('.quick-input-widget .quick-input-list .monaco-list-row:has-text("Add to Workspace")').first();
  await where.waitFor({ timeout: 120_000 });
  await screenshot("1b-asks-where-to-open");
  await where.click();
  step("asked where to open; chose Add to Workspace");

  const term = page.locator(".terminal-wrapper .xterm-rows").first();
  await term.waitFor({ timeout: 90_000 });
  await page.waitForTimeout(1000);
  await page.locator(".terminal-wrapper .xterm").first().click();
  await page.keyboard.type("pwd && ls && echo APP=$APP && cat ~/notes.txt");
  await page.keyboard.press("Enter");
  await page.locator('.xterm-rows:has-text("APP=demo")').first().waitFor({ timeout: 30_000 });
  await page.locator('.xterm-rows:has-text("notes from the local folder")').first().waitFor({ timeout: 10_000 });
  await page.locator('.xterm-rows:has-text("main.py")').first().waitFor({ timeout: 10_000 });
  step("the terminal runs in the synced folder of the built sandbox");
  await screenshot("2-terminal");

  const remote = sidebar.locator('.monaco-list-row:has-text("(Daytona)")').first();
  await remote.waitFor({ timeout: 30_000 });
  if ((await remote.getAttribute("aria-expanded")) !== "true") await remote.click();
  await sidebar.locator('.monaco-list-row[aria-label="main.py"]').last().waitFor({ timeout: 30_000 });
  step("the Explorer shows the sandbox's folder and its files");
  await screenshot("3-explorer-remote-files");
}
