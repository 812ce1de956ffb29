// Shared by the UI checks: create a sandbox from the default snapshot through the Sandboxes view's
// title-bar + (the quick pick, then the name input box).
export async function createSandboxFromTitle(page, sidebar, name) {
  await sidebar.locator('.pane-header:has-text("Sandboxes")').first().hover();
  await sidebar.locator('.pane-header:has-text("Sandboxes") .action-label[aria-label^="Create Sandbox"]').first().click();
  const quickInput = page.locator(".quick-input-widget");
  await quickInput.locator('.quick-input-list .monaco-list-row:has-text("Default snapshot")').first().waitFor({ timeout: 10_000 });
  await page.keyboard.press("Enter");
  await quickInput.locator('.quick-input-title:has-text("name of the new sandbox")').first().waitFor({ timeout: 10_000 });
  await page.keyboard.type(name);
  await page.keyboard.press("Enter");
}
