// Right-click a folder in the Explorer and choose "Run Tests in Daytona Sandbox" (the Explorer must
// be showing).
export async function runTestsOnFolder(page, sidebar, folderName) {
  const folder = sidebar.locator(`.monaco-list-row[aria-label="${folderName}"]`).first();
  await folder.waitFor({ timeout: 30_000 });
  await folder.click({ button: "right" });
  const item = page.locator('.monaco-menu .action-label:has-text("Run Tests in Daytona Sandbox")').first();
  await item.waitFor({ timeout: 10_000 });
  await item.hover();
  await item.click();
  // The menu sometimes keeps the first click as a hover; Enter runs the highlighted item.
  if (await page.locator(".context-view .monaco-menu").first().isVisible().catch(() => false)) await page.keyboard.press("Enter");
}
