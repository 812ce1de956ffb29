// Shared by the UI checks: open the Daytona view and connect to local sandboxes through its welcome
// button, then wait until the connected view offers Create Sandbox.
export async function connectLocal(page, step) {
  const sidebar = page.locator(".part.sidebar");
  await page.locator('.activitybar [aria-label^="Daytona"]').first().click({ timeout: 60_000 });
  await sidebar.locator('.monaco-button:has-text("Use local sandboxes (no account)")').first().click({ timeout: 30_000 });
  await sidebar.locator('.monaco-button:has-text("Create Sandbox")').first().waitFor({ timeout: 30_000 });
  step("connected to local sandboxes");
  return sidebar;
}
