// Sessions through the unmodified SDK: state persists, stdout/stderr kept apart (JSON logs and the
// streaming WebSocket form), async commands, stdin, and 410 once a command exits the shell.
import { test } from "node:test";
import assert from "node:assert/strict";
import { DaytonaError } from "@daytonaio/sdk";
import { sleep, startTestServer } from "./helpers";

test("sessions", async (t) => {
  const ts = await startTestServer();
  t.after(() => ts.stop());
  const sb = await ts.daytona.create();
  const p = sb.process;

  await t.test("state persists and streams stay apart", async () => {
    await p.createSession("s1");
    await assert.rejects(p.createSession("s1"), (e: DaytonaError) => e.statusCode === 409);
    const a = await p.executeSessionCommand("s1", { command: "export GREETING=hi; mkdir -p /tmp/d && cd /tmp/d" });
    assert.equal(a.exitCode, 0);
    const b = await p.executeSessionCommand("s1", { command: "echo $GREETING; pwd; echo oops >&2; printf 'no newline'" });
    assert.equal(b.exitCode, 0);
    assert.equal(b.stdout, "hi\n/tmp/d\nno newline");
    assert.equal(b.stderr, "oops\n");
    const logs = await p.getSessionCommandLogs("s1", b.cmdId!);
    assert.equal(logs.stdout, "hi\n/tmp/d\nno newline");
    assert.equal(logs.stderr, "oops\n");
    assert.ok(logs.output!.includes("\x01\x01\x01") && logs.output!.includes("\x02\x02\x02oops"));
    const fail = await p.executeSessionCommand("s1", { command: "false" });
    assert.equal(fail.exitCode, 1);
    const cmd = await p.getSessionCommand("s1", b.cmdId!);
    assert.equal(cmd.exitCode, 0);
    assert.equal(cmd.command, "echo $GREETING; pwd; echo oops >&2; printf 'no newline'");
    const session = await p.getSession("s1");
    assert.equal(session.commands!.length, 3);
    assert.ok((await p.listSessions()).some((s) => s.sessionId === "s1"));
  });

  await t.test("async command, streaming logs, stdin", async () => {
    const r = await p.executeSessionCommand("s1", { command: "for i in 1 2 3; do echo out$i; echo err$i >&2; sleep 0.1; done", runAsync: true });
    assert.equal(r.exitCode, null);
    assert.equal((r as { output?: unknown }).output, null);
    const mid = await p.getSessionCommand("s1", r.cmdId!);
    assert.equal(mid.exitCode ?? null, null);
    let out = "";
    let err = "";
    await p.getSessionCommandLogs("s1", r.cmdId!, (s) => (out += s), (s) => (err += s));
    assert.equal(out, "out1\nout2\nout3\n");
    assert.equal(err, "err1\nerr2\nerr3\n");
    assert.equal((await p.getSessionCommand("s1", r.cmdId!)).exitCode, 0);
    // Following a finished command replays it and closes.
    let again = "";
    await p.getSessionCommandLogs("s1", r.cmdId!, (s) => (again += s), () => undefined);
    assert.equal(again, out);

    const reader = await p.executeSessionCommand("s1", { command: "read line; echo got:$line", runAsync: true });
    await sleep(100);
    await p.sendSessionCommandInput("s1", reader.cmdId!, "typed text\n");
    for (let i = 0; i < 50 && (await p.getSessionCommand("s1", reader.cmdId!)).exitCode == null; i++) await sleep(20);
    assert.equal((await p.getSessionCommandLogs("s1", reader.cmdId!)).stdout, "got:typed text\n");
    await assert.rejects(p.sendSessionCommandInput("s1", reader.cmdId!, "late"), (e: DaytonaError) => e.statusCode === 410);
  });

  await t.test("a command that exits the shell ends the session", async () => {
    await p.createSession("s2");
    const r = await p.executeSessionCommand("s2", { command: "exit 4" });
    assert.equal(r.exitCode, 4);
    await assert.rejects(p.executeSessionCommand("s2", { command: "echo hi" }), (e: DaytonaError) => e.statusCode === 410 && e.code === "SESSION_ENDED");
    await p.createSession("s3");
    const bg = await p.executeSessionCommand("s3", { command: "sleep 0.2; exit 2", runAsync: true });
    for (let i = 0; i < 50 && (await p.getSessionCommand("s3", bg.cmdId!)).exitCode == null; i++) await sleep(20);
    assert.equal((await p.getSessionCommand("s3", bg.cmdId!)).exitCode, 2);
    await assert.rejects(p.executeSessionCommand("s3", { command: "true" }), (e: DaytonaError) => e.code === "SESSION_ENDED");
  });

  await t.test("delete", async () => {
    await p.deleteSession("s1");
    await assert.rejects(p.getSession("s1"), (e: DaytonaError) => e.statusCode === 404);
    await assert.rejects(p.getSessionCommand("s2", "nope"), (e: DaytonaError) => e.statusCode === 404);
  });
});
