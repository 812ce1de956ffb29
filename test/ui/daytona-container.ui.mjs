// The Daytona container is in the activity bar; opening it shows both views, and the Sandboxes view
// shows the not-connected welcome content with its two actions.
export default async function ({ page, step, screenshot }) {
  await page.waitForSelector(".monaco-workbench .activitybar", { timeout: 60_000 });
  const container = page.locator('.activitybar [aria-label^="Daytona"]').first();
  await container.waitFor({ timeout: 60_000 });
  step("activity bar shows Daytona");
  await container.click();
  const sidebar = page.locator(".part.sidebar");
  await sidebar.locator('.pane-header:has-text("Sandboxes")').first().waitFor({ timeout: 30_000 });
  await sidebar.locator('.pane-header:has-text("Snapshots")').first().waitFor({ timeout: 30_000 });
  step("both views are there");
  const welcome = sidebar.locator(".welcome-view-content").first();
  await welcome.locator('a.monaco-button:has-text("Sign in with an API key"), .monaco-button:has-text("Sign in with an API key")').first().waitFor({ timeout: 30_000 });
  await welcome.locator('.monaco-button:has-text("Use local sandboxes (no account)")').first().waitFor({ timeout: 30_000 });
  step("welcome content offers sign-in and local sandboxes");
  await screenshot("welcome");
}
