// Process execute and code-run through the unmodified SDK: cwd, env, exit codes, timeouts that kill
// the whole process tree, code-run languages, and 50 commands in parallel.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { DaytonaError } from "@daytonaio/sdk";
import { sleep, startTestServer } from "./helpers";

function hostProcessesMatching(marker: string): string[] {
  const out = execFileSync("ps", ["-eo", "pid,args"], { encoding: "utf8" });
  return out.split("\n").filter((l) => l.includes(marker) && !l.includes("ps -eo"));
}

test("process execute and code-run", async (t) => {
  const ts = await startTestServer();
  t.after(() => ts.stop());
  const sb = await ts.daytona.create({ envVars: { SANDBOX_VAR: "from-create" } });

  await t.test("output merged, trailing newline kept, HOME and env", async () => {
    const r = await sb.process.executeCommand("echo out; echo err >&2; echo $HOME $USER $SANDBOX_VAR $EXTRA; pwd");
    assert.equal(r.exitCode, 0);
    assert.equal(r.result, "out\nerr\n/home/daytona daytona from-create\n/home/daytona\n");
    const e = await sb.process.executeCommand("echo $EXTRA", undefined, { EXTRA: "it's \"quoted\" $x" });
    assert.equal(e.result, "it's \"quoted\" $x\n");
  });

  await t.test("cwd, exit codes, missing binary", async () => {
    await sb.fs.createFolder("/home/daytona/ws/w", "755");
    assert.equal((await sb.process.executeCommand("pwd", "/home/daytona/ws/w")).result, "/home/daytona/ws/w\n");
    assert.equal((await sb.process.executeCommand("pwd", "/tmp")).result, "/tmp\n");
    assert.equal((await sb.process.executeCommand("exit 7")).exitCode, 7);
    const missing = await sb.process.executeCommand("definitely-not-a-binary-xyz");
    assert.equal(missing.exitCode, 127);
    assert.match(missing.result, /not found/);
    await assert.rejects(sb.process.executeCommand("pwd", "/home/daytona/ws/none"), (e: DaytonaError) => e.statusCode === 400);
    await assert.rejects(sb.process.executeCommand(""), (e: DaytonaError) => e.statusCode === 400);
  });

  await t.test("timeout answers 408 and kills the whole tree", async () => {
    const marker = `sleep 4321.${process.pid}`;
    const started = Date.now();
    await assert.rejects(
      sb.process.executeCommand(`(bash -c '${marker}' &) ; ${marker}`, undefined, undefined, 1),
      (e: DaytonaError) => e.statusCode === 408 && e.code === "PROCESS_EXECUTION_TIMEOUT",
    );
    assert.ok(Date.now() - started < 5000);
    await sleep(200);
    assert.deepEqual(hostProcessesMatching(marker), []);
  });

  await t.test("code-run", async () => {
    const py = await sb.process.codeRun('import sys\nprint("py", sys.argv[1:])', { argv: ["a", "b"] });
    assert.equal(py.exitCode, 0);
    assert.equal(py.result.trim(), "py ['a', 'b']");
    const js = await ts.daytona.create({ language: "javascript" });
    const r = await js.process.codeRun("console.log(1 + 1); process.exit(3)");
    assert.equal(r.result.trim(), "2");
    assert.equal(r.exitCode, 3);
    const resp = await fetch(`${sb.toolboxProxyUrl}/${sb.id}/process/code-run`, {
      method: "POST",
      headers: { authorization: `Bearer ${ts.server.token}`, "content-type": "application/json" },
      body: JSON.stringify({ code: "x", language: "cobol" }),
    });
    assert.equal(resp.status, 400);
    const answer = (await resp.json()) as { code: string; message: string };
    assert.equal(answer.code, "BAD_REQUEST");
    assert.equal(answer.message, "bad request: unsupported language: cobol");
  });

  await t.test("50 parallel commands", async () => {
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => sb.process.executeCommand(`echo n${i}; echo e${i} >&2; exit ${i % 5}`)));
    results.forEach((r, i) => {
      assert.equal(r.exitCode, i % 5);
      assert.equal(r.result, `n${i}\ne${i}\n`);
    });
  });
});
