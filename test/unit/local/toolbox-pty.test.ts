// PTY through the unmodified SDK: input/output, resize seen by `stty size`, Ctrl-C, exit codes, and a
// dropped WebSocket that keeps the shell alive for connectPty by id.
import { test } from "node:test";
import assert from "node:assert/strict";
import { DaytonaError } from "@daytonaio/sdk";
import { sleep, startTestServer } from "./helpers";

/** Collects PTY output; `waitFor` resolves once the text seen so far matches. */
function collector() {
  let text = "";
  const dec = new TextDecoder();
  return {
    onData: (b: Uint8Array) => {
      text += dec.decode(b, { stream: true });
    },
    get text() {
      return text;
    },
    reset() {
      text = "";
    },
    async waitFor(re: RegExp, ms = 5000): Promise<RegExpMatchArray> {
      const end = Date.now() + ms;
      for (;;) {
        const m = text.match(re);
        if (m) return m;
        if (Date.now() > end) throw new Error(`timed out waiting for ${re}; got ${JSON.stringify(text.slice(-500))}`);
        await sleep(20);
      }
    },
  };
}

test("pty", async (t) => {
  const ts = await startTestServer();
  t.after(() => ts.stop());
  const sb = await ts.daytona.create();
  const p = sb.process;

  await t.test("input, output, resize, Ctrl-C, exit code", async () => {
    const out = collector();
    const h = await p.createPty({ id: "t1", cols: 100, rows: 30, envs: { PTY_VAR: "from-envs" }, onData: out.onData });
    await h.sendInput("echo \"[$PTY_VAR][$TERM]\"; stty size\n");
    await out.waitFor(/\[from-envs\]\[xterm-256color\][\s\S]*30 100/);
    await h.resize(120, 40);
    await h.sendInput("stty size\n");
    await out.waitFor(/40 120/);
    const info = await p.getPtySessionInfo("t1");
    assert.equal(info.cols, 120);
    assert.equal(info.active, true);
    assert.ok((await p.listPtySessions()).some((s) => s.id === "t1"));
    out.reset();
    await h.sendInput("sleep 30; echo slept\n");
    await sleep(200);
    await h.sendInput("\x03");
    await out.waitFor(/\^C/);
    await h.sendInput("echo after-interrupt\n");
    await out.waitFor(/after-interrupt\r?\n[\s\S]*[$#%] /); // a prompt again (zsh: "sandbox% " and its line-editor codes)
    assert.doesNotMatch(out.text, /\nslept\r?\n/);
    await h.sendInput("exit 3\n");
    const r = await h.wait();
    assert.equal(r.exitCode, 3);
  });

  await t.test("the shell is the daemon's: the sandbox's zsh, interactive and login, with no new-user menu", async () => {
    const out = collector();
    const h = await p.createPty({ id: "shell", cols: 80, rows: 24, onData: out.onData });
    await h.sendInput('echo "[${ZSH_NAME:-none}][$([[ -o login ]] && echo login)][$([[ -o interactive ]] && echo interactive)]"\n');
    await out.waitFor(/\[zsh\]\[login\]\[interactive\]/);
    assert.doesNotMatch(out.text, /zsh-newuser-install|This is the Z Shell configuration function/);
    await h.sendInput("exit\n");
    assert.equal((await h.wait()).exitCode, 0);
  });

  await t.test("exit 0 closes cleanly", async () => {
    const h = await p.createPty({ id: "t0", onData: () => undefined });
    await h.sendInput("exit\n");
    assert.equal((await h.wait()).exitCode, 0);
  });

  await t.test("disconnect keeps the shell; connectPty by id continues it, without what it printed meanwhile", async () => {
    const first = collector();
    const h = await p.createPty({ id: "keep", onData: first.onData });
    await h.sendInput("export KEPT=yes-$((6*7)); cd /tmp\n");
    await first.waitFor(/cd \/tmp/);
    await sleep(100);
    await h.disconnect();
    await sleep(100);
    assert.equal((await p.getPtySessionInfo("keep")).active, true);

    const second = collector();
    const h2 = await p.connectPty("keep", { onData: second.onData });
    await h2.sendInput("echo \"missed-$KEPT\" > /dev/null; echo $KEPT $(pwd)\n");
    await second.waitFor(/yes-42 \/tmp/);
    await h2.disconnect();
    const third = collector();
    // Run a command, then drop: its output arrives while disconnected.
    const h3 = await p.connectPty("keep", { onData: third.onData });
    await h3.sendInput("sleep 0.3; echo produced-while-away\n");
    await sleep(50);
    await h3.disconnect();
    await sleep(600);
    // As Daytona's daemon: output goes to the clients connected at the time, none is kept for later.
    const fourth = collector();
    const h4 = await p.connectPty("keep", { onData: fourth.onData });
    await h4.sendInput("echo back-$((1+1))\n");
    await fourth.waitFor(/back-2/);
    assert.doesNotMatch(fourth.text, /produced-while-away/);
    await h4.kill();
    const r = await h4.wait();
    assert.notEqual(r.exitCode, 0);
    assert.match(String(r.error), /killed/);
    await assert.rejects(p.getPtySessionInfo("keep"), (e: DaytonaError) => e.statusCode === 404);
    await assert.rejects(p.connectPty("keep", { onData: () => undefined }), /not found/);
  });
});
