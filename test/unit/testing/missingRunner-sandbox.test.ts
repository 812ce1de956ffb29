// Issue 19, item 4, against a real sandbox of the local server: pytest is not installed in the
// default image, so the detected command fails; its output (streamed from a session command, as a
// test run streams it) names the missing runner, which is what makes the run an errored one with an
// install offer.
import * as assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { missingRunner } from "../../../src/core/testing";
import { runSessionCommand } from "../../../src/testing/sessionCommand";
import { startTestServer, type TestServer } from "../local/helpers";

describe("a missing test runner in a real sandbox", { timeout: 180_000 }, () => {
  let t: TestServer;
  before(async () => {
    t = await startTestServer();
  });
  after(async () => t?.stop());

  it("python3 -m pytest in the default image: the output names pytest, the exit code is not 0", async () => {
    const sb = await t.daytona.create({ labels: { created_by: "unit-missing-runner" } });
    try {
      let out = "";
      const r = await runSessionCommand(sb as never, {
        command: "python3 -m pytest --junitxml=.daytona-test-report.xml -o junit_family=xunit1",
        cwd: "/tmp",
        onStdout: (c) => (out += c),
        onStderr: (c) => (out += c),
      });
      assert.notEqual(r.exitCode, 0);
      assert.match(out, /No module named pytest/);
      assert.deepEqual(missingRunner(out), { runner: "pytest", ecosystem: "python" });
    } finally {
      await t.daytona.delete(sb).catch(() => undefined);
    }
  });
});
