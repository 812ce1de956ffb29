// Daytona's contract for the code interpreter (Python contexts over a WebSocket), driven by the real SDK.
import { test } from "node:test";
import assert from "node:assert/strict";
import { DaytonaInvalidArgumentError } from "@daytonaio/sdk";
import { startTestServer } from "./helpers";

test("contract: code interpreter", async (t) => {
  const ts = await startTestServer();
  t.after(() => ts.stop());
  const sb = await ts.daytona.create();
  const ci = sb.codeInterpreter;

  await t.test("runCode in the default context: stdout, stderr, state kept", async () => {
    assert.deepEqual(await ci.runCode('print("interpreter-hello")'), { stdout: "interpreter-hello\n", stderr: "" });
    assert.deepEqual(await ci.runCode("ci_var = 42"), { stdout: "", stderr: "" });
    assert.deepEqual(await ci.runCode("print(ci_var)"), { stdout: "42\n", stderr: "" });
    const both = await ci.runCode('import sys; sys.stderr.write("ci-stderr-msg\\n"); print("ci-ok")');
    assert.deepEqual(both, { stdout: "ci-ok\n", stderr: "ci-stderr-msg\n" });
  });

  await t.test("output of child processes is captured in order", async () => {
    const r = await ci.runCode('import subprocess\nprint("before", flush=True)\nsubprocess.run(["sh", "-c", "echo child; echo childerr >&2"])\nprint("after")');
    assert.deepEqual(r, { stdout: "before\nchild\nafter\n", stderr: "childerr\n" });
  });

  await t.test("an exception is a structured error, not stderr", async () => {
    const r = await ci.runCode('import sys\nsys.stderr.write("ci-stderr\\n")\nraise ValueError("boom")');
    assert.equal(r.stdout, "");
    assert.equal(r.stderr, "ci-stderr\n");
    assert.equal(r.error?.name, "ValueError");
    assert.equal(r.error?.value, "boom");
    assert.match(r.error?.traceback ?? "", /ValueError: boom/);
    assert.doesNotMatch(r.error?.traceback ?? "", /interpreterDriver|exec\(compile/);
  });

  await t.test("contexts: shape, isolated state, list and delete", async () => {
    const a = await ci.createContext();
    assert.deepEqual(Object.keys(a).sort(), ["active", "createdAt", "cwd", "id", "language"]);
    assert.deepEqual([a.cwd, a.active, a.language], ["/home/daytona", true, "python"]);
    const b = await ci.createContext("/tmp");
    assert.equal(b.cwd, "/tmp");
    await ci.runCode("x = 10", { context: a });
    assert.deepEqual(await ci.runCode("print(x)", { context: a }), { stdout: "10\n", stderr: "" });
    const missing = await ci.runCode("print(x)", { context: b });
    assert.equal(missing.error?.name, "NameError");
    assert.deepEqual(await ci.runCode("import os; print(os.getcwd())", { context: b }), { stdout: "/tmp\n", stderr: "" });
    const ids = (await ci.listContexts()).map((c) => c.id);
    assert.ok(ids.includes(a.id) && ids.includes(b.id));
    await ci.deleteContext(a);
    await ci.deleteContext(b);
    const after = (await ci.listContexts()).map((c) => c.id);
    assert.ok(!after.includes(a.id) && !after.includes(b.id));
    await assert.rejects(ci.runCode("print(1)", { context: a }));
  });

  await t.test("envs apply to one run only", async () => {
    assert.deepEqual(await ci.runCode('import os; print(os.environ.get("Z"))', { envs: { Z: "z" } }), { stdout: "z\n", stderr: "" });
    assert.deepEqual(await ci.runCode('import os; print(os.environ.get("Z"))'), { stdout: "None\n", stderr: "" });
  });

  await t.test("a timeout interrupts the run quietly and the context lives on", async () => {
    const started = Date.now();
    const r = await ci.runCode("import time\ntime.sleep(5)", { timeout: 1 });
    assert.ok(Date.now() - started < 2500, `took ${Date.now() - started} ms`);
    assert.deepEqual(r, { stdout: "", stderr: "" });
    assert.deepEqual(await ci.runCode("print(ci_var)"), { stdout: "42\n", stderr: "" });
  });

  await t.test("blank code is refused by the SDK before any request", async () => {
    await assert.rejects(ci.runCode("   "), (e: unknown) => e instanceof DaytonaInvalidArgumentError && e.message === "Code is required for execution");
  });
});
