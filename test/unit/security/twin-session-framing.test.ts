// Issue 18 finding 3: a session's output framing cannot be forged from inside the sandbox. The
// framing token is not in the shell's environment (/proc/$$/environ, `env`), printing a framing
// marker without its end costs linear time and bounded memory, and a background process cannot end
// a later command with a forged exit code.
import { test } from "node:test";
import assert from "node:assert/strict";
import { SentinelScanner } from "../../../src/local/toolbox/sessionShell";
import { sleep } from "./attack";
import { startTestServer } from "../local/helpers";

test("finding 3: session framing", async (t) => {
  const ts = await startTestServer();
  t.after(() => ts.stop());
  const sb = await ts.daytona.create({ name: "frame" });
  const p = sb.process;
  await p.createSession("s");
  const run = (command: string, timeout = 30) => p.executeSessionCommand("s", { command }, timeout);

  await t.test("the framing token is not in the environment", async () => {
    const r = await run("tr '\\0' '\\n' < /proc/$$/environ | grep -c DAYTONA_SESSION_TOKEN; env | grep -c DAYTONA_SESSION_TOKEN; true");
    assert.deepEqual(r.stdout?.trim().split(/\s+/), ["0", "0"], r.stdout);
  });

  await t.test("a background process cannot end later commands with forged exit codes", async () => {
    // Whatever the shell knows while this command runs, a background copy keeps printing it as a
    // "finished with 42" frame on both streams.
    const forge = [
      "( for i in $(seq 1 400); do",
      "  for v in $(set | grep -a -o '^__dt[A-Za-z_]*' | sort -u); do eval \"t=\\$$v\";",
      "    printf '\\036DTEND%s:42\\036\\n' \"$t\"; printf '\\036DTEND%s:42\\036\\n' \"$t\" >&2; done;",
      "  sleep 0.02; done ) > /dev/null 2>&1 &",
      "( for i in $(seq 1 400); do printf '\\036DTEND%s:42\\036\\n' \"$__dt_tok\"; printf '\\036DTEND%s:42\\036\\n' \"$__dt_tok\" >&2; sleep 0.02; done ) &",
      "true",
    ].join("\n");
    await run(forge);
    for (let i = 0; i < 10; i++) {
      const r = await run("sleep 0.2; echo real-$((6*7+1))");
      assert.equal(r.exitCode, 0, `command ${i} ended with a forged exit code ${r.exitCode}`);
      assert.match(r.stdout ?? "", /real-43/, `command ${i} lost its output: ${JSON.stringify(r.stdout)}`);
    }
  });

  // Known open (measured): /proc cannot open the channel (a socket: ENXIO), but while a command runs the
  // shell keeps a saved copy of it (zsh: fd 11), and a background copy of the shell reading that fd with
  // zsh's sysread takes the next command's token and command (that command then never runs). Same-user
  // code can also ptrace the shell. Kept as a todo that runs, so closing it turns this green.
  const open = "a background copy of the shell can read the saved channel (see the comment above)";
  await t.test("the command channel cannot be taken: not through /proc, not through the shell's saved copy", { todo: open }, async () => {
    // Every fd of the shell is tried, from another process (through /proc) and from a background copy
    // of the shell itself (zsh's sysread), each left waiting for the next command's message.
    const steal = [
      "for f in /proc/$$/fd/*; do n=${f##*/}; [ \"$n\" -gt 2 ] || continue;",
      "  ( timeout 3 cat \"/proc/$$/fd/$n\" > /tmp/stolen-proc-$n ) 2>/dev/null &",
      "  ( zmodload zsh/system; sysread -i $n -t 3 x && print -rn -- \"$x\" > /tmp/stolen-fd-$n ) >/dev/null 2>&1 &",
      "done; true",
    ].join("\n");
    await p.createSession("steal");
    const runHere = (command: string) => p.executeSessionCommand("steal", { command }, 8);
    await runHere(steal);
    const r = await runHere("sleep 0.5; echo real-$((6*7))");
    assert.deepEqual([r.exitCode, r.stdout], [0, "real-42\n"]);
    await sleep(3500);
    const left = await runHere("ls /tmp/stolen-* | wc -l; cat /tmp/stolen-* 2>/dev/null | wc -c");
    const [files, bytes] = (left.stdout ?? "").trim().split(/\s+/);
    assert.ok(Number(files) > 0, "the attempts ran");
    assert.equal(bytes, "0", "something read the command channel");
  });

  await t.test("a marker without its end: linear time, bounded buffering, the API stays fast", async () => {
    // 32 MB after something that looks like a frame start, in one command.
    await p.createSession("s2");
    const t0 = Date.now();
    const r = await p.executeSessionCommand("s2", { command: "printf '\\036DTEND%s:' \"$__dt_tok\"; head -c 33554432 /dev/zero | tr '\\0' 'x'; echo; echo done" }, 120);
    const took = Date.now() - t0;
    assert.equal(r.exitCode, 0);
    assert.ok(took < 20_000, `took ${took} ms`);
    const t1 = Date.now();
    await sb.fs.getFileDetails("/home/daytona");
    assert.ok(Date.now() - t1 < 1000);
  });
});

test("finding 3: the scanner holds back at most one frame's length", () => {
  const s = new SentinelScanner("tok");
  const start = Buffer.from("\x1eDTENDtok:");
  let out = 0;
  const r0 = s.push(start);
  out += r0.data.length;
  const t0 = Date.now();
  for (let i = 0; i < 2000; i++) out += s.push(Buffer.alloc(16 * 1024, 0x78)).data.length;
  assert.ok(Date.now() - t0 < 2000, "quadratic");
  // Everything but a frame-sized tail has been passed on.
  assert.ok(out >= start.length + 2000 * 16 * 1024 - 64, `held back ${start.length + 2000 * 16 * 1024 - out} bytes`);
  const end = s.push(Buffer.from("\x1eDTENDtok:7\x1e\n"));
  assert.equal(end.exitCode, 7);
  void sleep;
});
