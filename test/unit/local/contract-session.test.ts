// Daytona's contract for sessions and PTYs as the production daemon answers, driven by the real SDK:
// shapes, the prefix-muxed log format, typed errors (PROCESS_NOT_FOUND, SESSION_ENDED) and PTY details.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { DaytonaConnectionError, DaytonaError, DaytonaNotFoundError, DaytonaProcessNotFoundError, DaytonaSessionEndedError, Image } from "@daytonaio/sdk";
import { rejection, sleep, startTestServer } from "./helpers";

/* The daemon's log format is literal control bytes (\x01\x01\x01 stdout, \x02\x02\x02 stderr) before each line. */
/* eslint-disable no-control-regex */


function daemonError(e: DaytonaError, statusCode: number, code: string, message: string): void {
  assert.deepEqual([e.statusCode, e.code, e.source, e.message], [statusCode, code, "DAYTONA_DAEMON", message]);
}

async function until<T>(read: () => Promise<T>, done: (v: T) => boolean, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await read();
    if (done(v) || Date.now() > end) return v;
    await sleep(100);
  }
}

test("contract: sessions and PTYs", async (t) => {
  const ts = await startTestServer();
  t.after(() => ts.stop());
  const sb = await ts.daytona.create();
  const p = sb.process;

  await t.test("session shapes; an unknown or deleted session is PROCESS_NOT_FOUND 'session not found'", async () => {
    await p.createSession("c-crud");
    assert.deepEqual(await p.getSession("c-crud"), { sessionId: "c-crud", commands: [] });
    assert.ok((await p.listSessions()).some((s) => s.sessionId === "c-crud"));
    await p.deleteSession("c-crud");
    const e = await rejection(p.getSession("c-crud"));
    assert.ok(e instanceof DaytonaProcessNotFoundError && e instanceof DaytonaNotFoundError, e.constructor.name);
    daemonError(e, 404, "PROCESS_NOT_FOUND", "session not found");
    await p.createSession("c-cmd");
    const c = await rejection(p.getSessionCommand("c-cmd", "nope"));
    assert.ok(c instanceof DaytonaProcessNotFoundError);
  });

  await t.test("a session's shell is the sandbox's first of zsh, bash, sh (zsh here), as the daemon's", async () => {
    await p.createSession("c-shell");
    const r = await p.executeSessionCommand("c-shell", { command: "readlink /proc/$$/exe; echo ${ZSH_VERSION:+zsh}" });
    assert.deepEqual([r.exitCode, r.stdout], [0, "/usr/bin/zsh\nzsh\n"]);
  });

  await t.test("async command: null fields, no exitCode while running, exitCode after", async () => {
    await p.createSession("c-async");
    const x = await p.executeSessionCommand("c-async", { command: "sleep 1; echo done", runAsync: true });
    const shape: unknown = x;
    assert.deepEqual(shape, { cmdId: x.cmdId, output: null, stdout: "", stderr: "", exitCode: null });
    assert.deepEqual(await p.getSessionCommand("c-async", x.cmdId), { id: x.cmdId, command: "sleep 1; echo done" });
    const after = await until(() => p.getSessionCommand("c-async", x.cmdId), (c) => typeof c.exitCode === "number");
    assert.deepEqual(after, { id: x.cmdId, command: "sleep 1; echo done", exitCode: 0 });
    assert.deepEqual(await p.getSession("c-async"), { sessionId: "c-async", commands: [after] });
  });

  await t.test("sync command: every line behind its stream's marker; cwd and env in the request are ignored", async () => {
    await p.createSession("c-sync");
    const r = await p.executeSessionCommand("c-sync", { command: "echo sync1; echo synce >&2" });
    assert.deepEqual([r.exitCode, r.stdout, r.stderr], [0, "sync1\n", "synce\n"]);
    assert.match(r.output ?? "", /^(\u0001\u0001\u0001sync1\n|\u0002\u0002\u0002synce\n){2}$/);
    const ignored = await p.executeSessionCommand("c-sync", { command: "pwd; echo $A", cwd: "/tmp", env: { A: "1" } } as never);
    assert.deepEqual(ignored, { cmdId: ignored.cmdId, output: "\u0001\u0001\u0001/home/daytona\n\u0001\u0001\u0001\n", stdout: "/home/daytona\n\n", stderr: "", exitCode: 0 });
  });

  await t.test("logs: plain (split and muxed) and followed (demuxed in order)", async () => {
    await p.createSession("c-logs");
    const command = "for i in 1 2 3; do echo out$i; echo err$i >&2; sleep 0.2; done";
    const x = await p.executeSessionCommand("c-logs", { command, runAsync: true });
    const out: string[] = [];
    const err: string[] = [];
    await p.getSessionCommandLogs("c-logs", x.cmdId, (s) => out.push(s), (s) => err.push(s));
    assert.deepEqual([out, err], [
      ["out1\n", "out2\n", "out3\n"],
      ["err1\n", "err2\n", "err3\n"],
    ]);
    const logs = await p.getSessionCommandLogs("c-logs", x.cmdId);
    assert.deepEqual([logs.stdout, logs.stderr], ["out1\nout2\nout3\n", "err1\nerr2\nerr3\n"]);
    assert.match(logs.output ?? "", /^(\u0001\u0001\u0001out[123]\n|\u0002\u0002\u0002err[123]\n){6}$/);
  });

  await t.test("a command that exits the shell ends the session: 410 SESSION_ENDED 'session process has exited'", async () => {
    await p.createSession("c-ended");
    const first = await p.executeSessionCommand("c-ended", { command: "echo goodbye; exit 7", runAsync: true });
    assert.deepEqual([first.output, first.exitCode], [null, null]);
    await sleep(500);
    const e = await rejection(p.executeSessionCommand("c-ended", { command: "echo nope" }));
    assert.ok(e instanceof DaytonaSessionEndedError, e.constructor.name);
    daemonError(e, 410, "SESSION_ENDED", "session process has exited");
  });

  await t.test("entrypoint session: Daytona's default `sleep infinity`, its logs", async () => {
    assert.deepEqual(await p.getEntrypointSession(), { sessionId: "entrypoint", commands: [{ id: "entrypoint_command", command: "'sleep' 'infinity'" }] });
    assert.deepEqual(await p.getEntrypointLogs(), { output: "", stdout: "", stderr: "" });
    assert.ok(!(await p.listSessions()).some((s) => s.sessionId === "entrypoint"));
  });

  await t.test("entrypoint session: an image's ENTRYPOINT + CMD runs, with its output and exit code", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "ep-ctx-"));
    t.after(() => rm(dir, { recursive: true, force: true }));
    await writeFile(path.join(dir, "Dockerfile"), ['FROM debian:bookworm', 'ENTRYPOINT ["sh", "-c", "echo out-$0; echo err >&2; exit 3"]', 'CMD ["it\'s"]'].join("\n"));
    const built = await ts.daytona.create({ image: Image.fromDockerfile(path.join(dir, "Dockerfile")) }, { timeout: 60 });
    const session = await until(() => built.process.getEntrypointSession(), (s) => s.commands?.[0]?.exitCode !== undefined);
    assert.deepEqual(session, { sessionId: "entrypoint", commands: [{ id: "entrypoint_command", command: `'sh' '-c' 'echo out-$0; echo err >&2; exit 3' 'it'\\''s'`, exitCode: 3 }] });
    const logs = await built.process.getEntrypointLogs();
    assert.deepEqual([logs.stdout, logs.stderr], ["out-it's\n", "err\n"]);
    const out: string[] = [];
    await built.process.getEntrypointLogs((c) => out.push(c), () => undefined);
    assert.deepEqual(out, ["out-it's\n"]);
  });

  await t.test("PTY: info shape with TERM and home cwd; unknown id is 'PTY session not found'", async () => {
    const h = await p.createPty({ id: "c-pty", cols: 80, rows: 24, onData: () => undefined });
    try {
      const info = await p.getPtySessionInfo("c-pty");
      assert.deepEqual(
        { ...info, createdAt: typeof info.createdAt },
        { id: "c-pty", cwd: "/home/daytona", envs: { TERM: "xterm-256color" }, cols: 80, rows: 24, createdAt: "string", active: true, lazyStart: false },
      );
      assert.ok((await p.listPtySessions()).some((s) => s.id === "c-pty" && s.envs?.TERM === "xterm-256color"));
    } finally {
      await h.kill().catch(() => undefined);
      await h.disconnect();
    }
    const e = await rejection(p.getPtySessionInfo("nope"));
    assert.ok(e instanceof DaytonaProcessNotFoundError, e.constructor.name);
    daemonError(e, 404, "PROCESS_NOT_FOUND", "PTY session not found");
    // Connecting by WebSocket: the daemon upgrades first and answers in an error control frame.
    const c = await rejection(p.connectPty("nope", { onData: () => undefined }));
    assert.ok(c instanceof DaytonaConnectionError, c.constructor.name);
    assert.equal(c.message, "Failed to connect to PTY session: PTY session nope not found");
  });

  await t.test("PTY: output goes to the clients connected at the time; a reconnect gets none of what it missed", async () => {
    const h = await p.createPty({ id: "c-away", onData: () => undefined });
    await h.sendInput("sleep 0.5; echo away-$((40+2))\n");
    await sleep(100);
    await h.disconnect();
    await sleep(1000);
    let text = "";
    const again = await p.connectPty("c-away", { onData: (d) => void (text += new TextDecoder().decode(d)) });
    try {
      await again.sendInput("echo back-$((1+1))\n");
      await until(async () => text, (s) => s.includes("back-2"), 5000);
      assert.ok(text.includes("back-2"), JSON.stringify(text));
      assert.ok(!text.includes("away-42"), `replayed: ${JSON.stringify(text)}`);
    } finally {
      await again.kill().catch(() => undefined);
      await again.disconnect();
    }
  });

  await t.test("PTY: one whose shell exited is gone: 404, not listed, its id free again", async () => {
    const h = await p.createPty({ id: "c-exit", onData: () => undefined });
    await h.sendInput("exit 5\n");
    assert.equal((await h.wait()).exitCode, 5);
    await h.disconnect();
    const e = await rejection(p.getPtySessionInfo("c-exit"));
    daemonError(e, 404, "PROCESS_NOT_FOUND", "PTY session not found");
    assert.ok(!(await p.listPtySessions()).some((s) => s.id === "c-exit"));
    const c = await rejection(p.connectPty("c-exit", { onData: () => undefined }));
    assert.equal(c.message, "Failed to connect to PTY session: PTY session c-exit not found");
    const again = await p.createPty({ id: "c-exit", onData: () => undefined });
    await again.kill().catch(() => undefined);
    await again.disconnect();
  });

  await t.test("PTY: a resize applies before input sent right after it", async () => {
    let text = "";
    const h = await p.createPty({ id: "c-resize", cols: 80, rows: 24, onData: (d) => void (text += new TextDecoder().decode(d)) });
    try {
      for (const [cols, rows] of [
        [100, 30],
        [120, 40],
        [90, 33],
      ]) {
        const r = await h.resize(cols, rows);
        assert.deepEqual([r.cols, r.rows], [cols, rows]);
        await h.sendInput(`echo size=$(stty size)\n`);
        const want = `size=${rows} ${cols}`;
        await until(async () => text, (s) => s.includes(want), 5000);
        assert.ok(text.includes(want), `no ${want} in ${JSON.stringify(text.slice(-300))}`);
      }
    } finally {
      await h.kill().catch(() => undefined);
      await h.disconnect();
    }
  });
});
