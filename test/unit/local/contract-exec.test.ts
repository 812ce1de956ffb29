// Daytona's contract for process execute and code-run, as its production daemon answers (see
// docs/contract-toolbox.md): the real SDK against the local server.
import { test } from "node:test";
import assert from "node:assert/strict";
import { DaytonaProcessExecutionTimeoutError, DaytonaTimeoutError } from "@daytonaio/sdk";
import { rejection, startTestServer } from "./helpers";


test("contract: process execute and code-run", async (t) => {
  const ts = await startTestServer();
  t.after(() => ts.stop());
  const sb = await ts.daytona.create();
  const toolbox = `${sb.toolboxProxyUrl}/${sb.id}`;
  const post = (route: string, body: unknown) =>
    fetch(`${toolbox}${route}`, { method: "POST", headers: { authorization: `Bearer ${ts.server.token}`, "content-type": "application/json" }, body: JSON.stringify(body) });

  await t.test("stdout and stderr merged in order, trailing newline kept, exit code", async () => {
    const r = await sb.process.executeCommand("echo hello; echo err >&2; exit 3");
    assert.deepEqual(r, { exitCode: 3, result: "hello\nerr\n", artifacts: { stdout: "hello\nerr\n" } });
    assert.equal((await sb.process.executeCommand("pwd; echo $FOO", "/tmp", { FOO: "bar" })).result, "/tmp\nbar\n");
    assert.equal((await sb.process.executeCommand("printf no-newline")).result, "no-newline");
  });

  await t.test("runs inside the first shell of zsh, bash, sh; $HOME expands", async () => {
    const expected = (await sb.process.executeCommand("command -v zsh || command -v bash || command -v sh")).result.trim();
    assert.match(expected, /\/(zsh|bash|sh)$/);
    assert.equal((await sb.process.executeCommand("readlink /proc/$$/exe")).result, `${expected}\n`);
    assert.equal((await sb.process.executeCommand("echo $0")).result.trim().replace(/^.*\//, ""), expected.replace(/^.*\//, ""));
    const home = (await sb.process.executeCommand("echo $HOME")).result;
    assert.equal(home, "/home/daytona\n");
    assert.equal((await sb.process.executeCommand("cd ~ && pwd")).result, home);
  });

  await t.test("a missing binary is the shell's 127", async () => {
    const r = await sb.process.executeCommand("definitely-not-a-binary-xyz");
    assert.equal(r.exitCode, 127);
    assert.match(r.result, /definitely-not-a-binary-xyz/);
    assert.match(r.result, /not found/);
  });

  await t.test("timeout: 408 PROCESS_EXECUTION_TIMEOUT 'command execution timeout'", async () => {
    const started = Date.now();
    const e = await rejection(sb.process.executeCommand("echo start; sleep 10; echo end", undefined, undefined, 1));
    assert.ok(e instanceof DaytonaProcessExecutionTimeoutError && e instanceof DaytonaTimeoutError, e.constructor.name);
    assert.deepEqual([e.statusCode, e.code, e.source, e.message], [408, "PROCESS_EXECUTION_TIMEOUT", "DAYTONA_DAEMON", "command execution timeout"]);
    assert.ok(Date.now() - started < 5000);
  });

  await t.test("no default timeout: a 3 s command completes", async () => {
    assert.deepEqual(await sb.process.executeCommand("echo start; sleep 3; echo end"), { exitCode: 0, result: "start\nend\n", artifacts: { stdout: "start\nend\n" } });
  });

  await t.test("empty or missing command: 400 INVALID_REQUEST_BODY", async () => {
    const e = await rejection(sb.process.executeCommand(""));
    assert.deepEqual([e.statusCode, e.code, e.source], [400, "INVALID_REQUEST_BODY", "DAYTONA_DAEMON"]);
    assert.match(e.message, /invalid request body/i);
    for (const body of [{}, { command: "   " }, { command: 5 }]) {
      const resp = await post("/process/execute", body);
      const answer = (await resp.json()) as { statusCode: number; code: string; message: string };
      assert.equal(resp.status, 400, JSON.stringify(body));
      assert.equal(answer.code, "INVALID_REQUEST_BODY");
      assert.match(answer.message, /^invalid request body/);
    }
    const bad = await fetch(`${toolbox}/process/execute`, { method: "POST", headers: { authorization: `Bearer ${ts.server.token}`, "content-type": "application/json" }, body: "{nope" });
    assert.equal(((await bad.json()) as { code: string }).code, "INVALID_REQUEST_BODY");
  });

  await t.test("code-run: python, javascript and typescript, argv and env, stderr and SystemExit", async () => {
    const py = await ts.daytona.create({ language: "python" });
    assert.deepEqual(await py.process.codeRun("print(1+1)"), { exitCode: 0, result: "2\n", artifacts: { stdout: "2\n", charts: [] } });
    const args = await py.process.codeRun('import sys, os; print(sys.argv[1:], os.environ.get("Z"))', { argv: ["a", "b"], env: { Z: "z" } });
    assert.equal(args.result, "['a', 'b'] z\n");
    const exit = await py.process.codeRun('import sys; sys.stderr.write("E\\n"); raise SystemExit(4)');
    assert.deepEqual([exit.exitCode, exit.result], [4, "E\n"]);
    const js = await ts.daytona.create({ language: "javascript" });
    const r = await js.process.codeRun("console.log(41 + 1)");
    assert.deepEqual([r.exitCode, r.result, r.artifacts?.stdout], [0, "42\n", "42\n"]);
    // As Daytona's image: ts-node and typescript are installed, so typed code runs.
    const tsb = await ts.daytona.create({ language: "typescript" });
    const typed = await tsb.process.codeRun("const n: number = 41;\nconsole.log(n + 1, process.argv.slice(1));", { argv: ["x"] });
    assert.deepEqual([typed.exitCode, typed.result], [0, "42 [ 'x' ]\n"]);
    // Transpile-only, as the daemon runs it: a type error is no error, a runtime one is.
    const loose = await tsb.process.codeRun('const s: number = "a" as unknown as number;\nconsole.log(typeof s);');
    assert.deepEqual([loose.exitCode, loose.result], [0, "string\n"]);
    const thrown = await tsb.process.codeRun('throw new Error("boom");');
    assert.notEqual(thrown.exitCode, 0);
    assert.match(thrown.result, /Error: boom/);
  });

  await t.test("code-run: unsupported language is 400 BAD_REQUEST with the daemon's message", async () => {
    const resp = await post("/process/code-run", { code: "print(1)", language: "cobol" });
    const answer = (await resp.json()) as { statusCode: number; code: string; message: string; source: string };
    assert.deepEqual([resp.status, answer.code, answer.message, answer.source], [400, "BAD_REQUEST", "bad request: unsupported language: cobol", "DAYTONA_DAEMON"]);
  });
});
