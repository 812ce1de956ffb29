// The remote window flow as a person meets it in code-server: the sandbox's context menu offers
// Open in Remote Window (SSH) and Copy SSH Command; the first use asks before adding the Include to
// ~/.ssh/config; with no SSH remote extension installed (code-server cannot install Open Remote - SSH
// offline) it offers the right one and names the ssh command. The host it wrote then works with
// Debian's real ssh. HOME is a temp folder: the real ~/.ssh is never touched.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { connectLocal } from "./lib/connectLocal.mjs";
import { createSandboxFromTitle } from "./lib/createSandbox.mjs";

const home = fs.mkdtempSync(path.join(os.tmpdir(), "daytona-ui-home-"));
export const env = { HOME: home };

export default async function ({ page, step, screenshot }) {
  try {
    await run({ page, step, screenshot });
  } finally {
    fs.rmSync(home, { recursive: true, force: true });
  }
}

async function run({ page, step, screenshot }) {
  const sidebar = await connectLocal(page, step);
  await createSandboxFromTitle(page, sidebar, "web-app");
  const row = sidebar.locator('.monaco-list-row:has-text("web-app")').first();
  await sidebar.locator('.monaco-list-row:has-text("web-app") .codicon-vm-running').first().waitFor({ timeout: 60_000 });
  step("sandbox web-app started");

  await row.hover();
  await row.locator('.action-label[aria-label^="Open in Remote Window (SSH)"]').first().waitFor({ timeout: 10_000 });
  step("the row has an inline Open in Remote Window (SSH) button");
  await row.click({ button: "right" });
  const menu = page.locator(".monaco-menu");
  await menu.locator('.action-label:has-text("Copy SSH Command")').first().waitFor({ timeout: 10_000 });
  await menu.locator('.action-label:has-text("Open in Remote Window (SSH)")').first().waitFor({ timeout: 10_000 });
  step("the context menu offers Open in Remote Window (SSH) and Copy SSH Command");
  await screenshot("1-context-menu");
  await menu.locator('.action-label:has-text("Open in Remote Window (SSH)")').first().click();

  const dialog = page.locator(".monaco-dialog-box");
  await dialog.locator('.monaco-button:has-text("Add Include")').first().waitFor({ timeout: 30_000 });
  step("first use: a dialog asks before adding the Include to ~/.ssh/config");
  await screenshot("2-include-consent");
  await dialog.locator('.monaco-button:has-text("Add Include")').first().click();

  // The offer lands in the notification centre (this headless workbench shows no toasts): open it.
  await page.locator(".statusbar-item.notifications-center, .statusbar [aria-label*='otification']").last().click();
  const toast = page.locator('.notifications-center .notification-list-item:has-text("Open Remote - SSH")');
  await toast.first().waitFor({ timeout: 30_000 });
  const text = await toast.first().innerText();
  const alias = /ssh (daytona-local-[a-z0-9-]+)/.exec(text)?.[1];
  if (!alias) throw new Error(`the install offer does not name the ssh command: ${text}`);
  if (!/jeanp413\.open-remote-ssh/.test(text)) throw new Error(`the offer does not name the extension: ${text}`);
  await toast.locator('.monaco-button:has-text("Install Open Remote - SSH")').first().waitFor({ timeout: 5_000 });
  step(`no SSH remote extension: it offers Open Remote - SSH and shows "ssh ${alias}"`);
  await screenshot("3-install-offer");

  const config = path.join(home, ".ssh", "config");
  const userConfig = fs.readFileSync(config, "utf8");
  if (!userConfig.startsWith("# Added by the Daytona Sandboxes")) throw new Error(`no Include at the top of ${config}`);
  const r = spawnSync("ssh", ["-F", config, "-o", "BatchMode=yes", alias, "id -un; echo $USER"], { encoding: "utf8", timeout: 30_000 });
  // $USER is the sandbox's user; `id -un` is whatever uid the runtime gives it (see the README).
  if (r.status !== 0 || r.stdout.trim().split("\n")[1] !== "daytona") throw new Error(`ssh ${alias} failed (${r.status}): ${r.stdout} ${r.stderr}`);
  step(`ssh ${alias} with the written config answers: ${r.stdout.trim().replace(/\n/g, " / ")}`);
}
