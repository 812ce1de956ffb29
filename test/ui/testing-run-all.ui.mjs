// Issue 19, items 1 and 4, in the Testing view. Two folders have sandboxes: node-tests (node's test
// runner) and py-tests (pytest declared in requirements.txt, not installed in the sandbox).
// - py-tests' run is an errored run with the reason in the Testing view, and an offer to install
//   pytest from requirements.txt (it used to be a quiet "skipped", 0/0).
// - The Testing view's own Run Tests button runs both folders (it used to run one of them).
// - Run Current File updates only that file's tests; the other file's results stay (they used to
//   turn "skipped").
import fs from "node:fs";
import path from "node:path";
import { connectLocal } from "./lib/connectLocal.mjs";
import { runTestsOnFolder } from "./lib/runTestsOnFolder.mjs";

export default async function ({ page, step, screenshot, workspace }) {
  const sidebar = await connectLocal(page, step);
  // Activity bar clicks are forced: a toast or hover over the bar must not fail the check.
  const explorer = async () => page.locator('.activitybar [aria-label^="Explorer"]').first().click({ force: true, timeout: 30_000 });
  // Clicking the Testing icon while its view shows would close the side bar: only when it is not shown.
  const testing = async () => {
    if (!(await sidebar.locator(".test-explorer").first().isVisible().catch(() => false))) {
      await page.locator('.activitybar [aria-label^="Testing"]').first().click({ force: true, timeout: 30_000 });
    }
    await sidebar.locator(".test-explorer").first().waitFor({ timeout: 30_000 });
  };
  async function runTestsOn(folderName) {
    await explorer();
    await runTestsOnFolder(page, sidebar, folderName);
  }
  const tree = sidebar.locator(".test-explorer");
  const row = (label) => tree.locator(`.monaco-list-row:has-text("${label}")`).first();
  const icon = (label, kind) => tree.locator(`.monaco-list-row:has-text("${label}") .codicon-testing-${kind}-icon`).first();
  async function expandUntil(labels, ms = 120_000) {
    const deadline = Date.now() + ms;
    while (Date.now() < deadline) {
      let all = true;
      for (const l of labels) if (!(await row(l).count())) all = false;
      if (all) return;
      const collapsed = tree.locator('.monaco-list-row[aria-expanded="false"]');
      const n = await collapsed.count();
      for (let i = 0; i < n; i++) await collapsed.nth(i).locator(".monaco-tl-twistie").click().catch(() => undefined);
      await page.waitForTimeout(500);
    }
    throw new Error(`the Testing view did not show ${labels.join(", ")}`);
  }

  await runTestsOn("node-tests");
  step("Run Tests in Daytona Sandbox on node-tests");
  await testing();
  await row("node-tests").waitFor({ timeout: 120_000 });
  await expandUntil(["upper-cases", "compares objects", "adds wrongly on purpose"]);
  await icon("upper-cases", "passed").waitFor({ timeout: 60_000 });
  step("node-tests ran: upper-cases passed");

  await runTestsOn("py-tests");
  await testing();
  await icon("py-tests", "error").waitFor({ timeout: 180_000 });
  if (await icon("py-tests", "skipped").count()) throw new Error("py-tests shows as skipped");
  await screenshot("1-py-tests-errored");
  step("py-tests is an errored run in the Testing view");
  // The offer: a toast, or (once the toast has timed out) in the notification center.
  const text = "pytest is not installed in the sandbox of py-tests";
  const toast = page.locator(`.notifications-toasts .notification-list-item:has-text("${text}")`).first();
  if (!(await toast.isVisible().catch(() => false))) await page.locator('.statusbar-item[id$="notifications"] a, .statusbar-item .codicon-bell, .statusbar-item .codicon-bell-dot').first().click();
  const offer = page.locator(`.notification-list-item:has-text("${text}")`).first();
  await offer.waitFor({ timeout: 30_000 });
  await offer.locator('.monaco-button:has-text("Install and Run Again")').first().waitFor({ timeout: 5000 });
  await screenshot("2-pytest-missing-offer");
  step("py-tests: the missing runner is named, with an offer to install it from requirements.txt");
  await page.keyboard.press("Escape");

  // A change in node-tests that only a run of node-tests can show, then the Testing view's own button.
  const strings = path.join(workspace, "node-tests", "strings.test.mjs");
  fs.writeFileSync(strings, fs.readFileSync(strings, "utf8").replace('assert.equal("abc".toUpperCase(), "ABC");', 'assert.equal("abc".toUpperCase(), "ABD");'));
  // The Testing view's own Run Tests button (in the side bar's title when it is the only view).
  await sidebar.hover();
  await sidebar.locator('.action-label[aria-label^="Run Tests"], .action-label[aria-label^="Run All Tests"]').first().click({ timeout: 10_000 });
  step("clicked the Testing view's Run Tests");
  await icon("upper-cases", "failed").waitFor({ timeout: 180_000 });
  await icon("py-tests", "error").waitFor({ timeout: 120_000 });
  await screenshot("3-run-all-both-folders");
  step("Run All ran node-tests (upper-cases now fails) and py-tests (errored again)");

  // Run Current File on math.test.mjs: a new test there shows, strings.test.mjs' results stay.
  const math = path.join(workspace, "node-tests", "math.test.mjs");
  fs.appendFileSync(math, '\ndescribe("later", () => {\n  it("added later", () => assert.ok(true));\n});\n');
  await explorer();
  await sidebar.locator('.monaco-list-row[aria-label="node-tests"]').first().click();
  await sidebar.locator('.monaco-list-row[aria-label="math.test.mjs"]').first().click({ timeout: 30_000 });
  await page.locator('.monaco-editor:has-text("added later")').first().waitFor({ timeout: 30_000 });
  await page.locator('.editor-actions .action-label[aria-label^="Run Current File in Daytona Sandbox"]').first().click({ timeout: 30_000 });
  step("Run Current File on math.test.mjs");
  await testing();
  await expandUntil(["added later"]);
  await icon("added later", "passed").waitFor({ timeout: 120_000 });
  await page.waitForTimeout(1500);
  if (await icon("upper-cases", "skipped").count()) throw new Error("the narrowed run marked upper-cases (not run) as skipped");
  await icon("upper-cases", "failed").waitFor({ timeout: 5000 });
  await icon("compares objects", "failed").waitFor({ timeout: 5000 });
  await screenshot("4-run-current-file-keeps-others");
  step("the narrowed run updated only math.test.mjs; strings.test.mjs kept its results");
}
