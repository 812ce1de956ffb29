// Regression: cancelling an SDK uploadFileStream mid-body used to make the server throw an uncaught
// `Error: aborted` (ECONNRESET from the request stream, or a rejected per-file write nobody awaited),
// which would end a standalone server process. Now the upload is dropped and the server carries on.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Readable } from "node:stream";
import { startTestServer, sleep } from "./helpers";

test("a cancelled uploadFileStream leaves nothing behind and the server still answers", async (t) => {
  const uncaught: unknown[] = [];
  const onUncaught = (err: unknown): void => void uncaught.push(err);
  process.on("uncaughtException", onUncaught);
  process.on("unhandledRejection", onUncaught);
  const ts = await startTestServer();
  t.after(async () => {
    process.off("uncaughtException", onUncaught);
    process.off("unhandledRejection", onUncaught);
    await ts.stop();
  });
  const sb = await ts.daytona.create();
  for (let round = 0; round < 3; round++) {
    const ac = new AbortController();
    let sent = 0;
    const chunk = Buffer.alloc(256 * 1024, 7);
    // An endless source: only the abort ends this upload.
    const source = new Readable({
      read() {
        sent += chunk.length;
        if (sent > 4 * 1024 * 1024) ac.abort();
        this.push(chunk);
      },
    });
    await assert.rejects(sb.fs.uploadFileStream(source, `/home/daytona/cancelled-${round}.bin`, { signal: ac.signal }));
  }
  await sleep(200);
  assert.deepEqual(uncaught, []);
  // The sandbox drops a cut-off file once it has written what was already on its way (a moment).
  let r = await sb.process.executeCommand("ls -A /home/daytona; ls -A /home/daytona | grep -c cancelled || true");
  for (let i = 0; i < 20 && !/^0$/m.test(r.result); i++) {
    await sleep(250);
    r = await sb.process.executeCommand("ls -A /home/daytona; ls -A /home/daytona | grep -c cancelled || true");
  }
  assert.equal(r.exitCode, 0);
  assert.match(r.result, /^0$/m);
  await sb.fs.uploadFile(Buffer.from("still here"), "/home/daytona/after.txt");
  assert.equal((await sb.fs.downloadFile("/home/daytona/after.txt")).toString(), "still here");
  // No staged part (a hidden ".<name>.daytona-upload-*" sibling) is left anywhere in the sandbox either.
  const staged = await sb.process.executeCommand("find / -xdev -name '*.daytona-upload-*' 2>/dev/null | wc -l");
  assert.equal(staged.result.trim(), "0");
});
