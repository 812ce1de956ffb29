// Remote tests in the Test Explorer: right-click a node project folder, "Run Tests in Daytona
// Sandbox": it is opened in a local sandbox, its tests run there, and the Testing view shows the
// passed, failed and skipped tests; the failed test's message is shown. Screenshot of the view.
import { connectLocal } from "./lib/connectLocal.mjs";
import { runTestsOnFolder } from "./lib/runTestsOnFolder.mjs";

export default async function ({ page, step, screenshot }) {
  const sidebar = await connectLocal(page, step);

  await page.locator('.activitybar [aria-label^="Explorer"]').first().click();
  await runTestsOnFolder(page, sidebar, "node-tests");
  step("chose Run Tests in Daytona Sandbox on the node-tests folder");

  await page.locator('.activitybar [aria-label^="Testing"]').first().click({ timeout: 30_000 });
  const tree = sidebar.locator(".test-explorer");
  const row = (label) => tree.locator(`.monaco-list-row:has-text("${label}")`).first();
  await row("node-tests").waitFor({ timeout: 120_000 });
  // Expand every collapsed row until the tests show (the tree fills in as the report arrives).
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if ((await row("adds wrongly on purpose").count()) && (await row("compares objects").count()) && (await row("upper-cases").count())) break;
    const collapsed = tree.locator('.monaco-list-row[aria-expanded="false"]');
    const n = await collapsed.count();
    for (let i = 0; i < n; i++) await collapsed.nth(i).locator(".monaco-tl-twistie").click().catch(() => undefined);
    await page.waitForTimeout(500);
  }
  for (const label of ["adds", "adds wrongly on purpose", "is skipped", "upper-cases", "compares objects"]) await row(label).waitFor({ timeout: 10_000 });
  // States are icons: passed, failed and skipped.
  await tree.locator(".codicon-testing-passed-icon").first().waitFor({ timeout: 30_000 });
  await tree.locator(".codicon-testing-failed-icon").first().waitFor({ timeout: 30_000 });
  await tree.locator(".codicon-testing-skipped-icon").first().waitFor({ timeout: 30_000 });
  step("the Testing view shows passed, failed and skipped tests from the sandbox");
  await screenshot("1-test-explorer");

  await row("adds wrongly on purpose").click();
  await page.keyboard.press("Enter");
  await page.locator('.monaco-editor:has-text("assert.equal(add(2, 2), 5)")').first().waitFor({ timeout: 30_000 });
  step("opening the failed test goes to its file");
  await screenshot("2-failed-test-in-editor");
}
