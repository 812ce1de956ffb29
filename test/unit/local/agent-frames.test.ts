// The server's reading of the toolbox agent's framed answers (AgentClient): frames split across
// arbitrary pipe reads (inside a header, inside a payload) and several frames in one read all arrive
// whole and in order, and a large answer is parsed once it is complete.
import { test } from "node:test";
import assert from "node:assert/strict";
import { PassThrough } from "node:stream";
import { AgentClient } from "../../../src/local/runtime/agentClient";
import type { SandboxProcess } from "../../../src/local/contract";

function fakeAgent(): { proc: SandboxProcess; stdin: PassThrough; stdout: PassThrough } {
  const stdin = new PassThrough();
  const stdout = new PassThrough();
  const proc: SandboxProcess = {
    stdin,
    stdout,
    stderr: new PassThrough(),
    resize: async () => undefined,
    kill: () => undefined,
    exited: new Promise<number>(() => undefined),
  };
  return { proc, stdin, stdout };
}

/** Reads the request frames the client wrote: [id, request]. */
function requests(stdin: PassThrough): Array<[number, Record<string, unknown>]> {
  const all = stdin.read() as Buffer;
  const out: Array<[number, Record<string, unknown>]> = [];
  for (let o = 0; o < all.length; ) {
    const len = all.readUInt32BE(o);
    out.push([all.readUInt32BE(o + 5), JSON.parse(all.subarray(o + 9, o + 4 + len).toString("utf8")) as Record<string, unknown>]);
    o += 4 + len;
  }
  return out;
}

function answer(id: number, result: unknown): Buffer {
  const payload = Buffer.from(JSON.stringify({ ok: true, result }));
  const head = Buffer.alloc(9);
  head.writeUInt32BE(payload.length + 5, 0);
  head.writeUInt8(1, 4);
  head.writeUInt32BE(id, 5);
  return Buffer.concat([head, payload]);
}

test("answers split at every kind of boundary, and several in one read, all arrive whole", async () => {
  const { proc, stdin, stdout } = fakeAgent();
  const client = new AgentClient(proc);
  const big = client.list("/home/daytona/big", 1);
  const small1 = client.stat("/a");
  const small2 = client.stat("/b");
  const reqs = requests(stdin);
  assert.deepEqual(reqs.map(([, r]) => r.op), ["list", "stat", "stat"]);
  const entries = Array.from({ length: 10_000 }, (_, i) => ({ name: `f${i}.txt`, path: `/home/daytona/big/f${i}.txt`, isDir: false, size: i, mtimeMs: 1, mode: 0o100644, owner: "daytona", group: "daytona" }));
  const bytes = Buffer.concat([answer(reqs[0][0], entries), answer(reqs[1][0], { name: "a" }), answer(reqs[2][0], { name: "b" })]);
  // Reads of 1, 2, 3, 5 and 7 bytes (splitting the headers), then 64 KiB ones, then the rest at once
  // (the end of the big answer and both small ones in a single read).
  const cuts = [1, 2, 3, 5, 7];
  let o = 0;
  for (const c of cuts) {
    stdout.write(bytes.subarray(o, o + c));
    o += c;
  }
  while (bytes.length - o > 200_000) {
    stdout.write(bytes.subarray(o, o + 65_536));
    o += 65_536;
  }
  stdout.write(bytes.subarray(o));
  const got = await big;
  assert.equal(got.length, 10_000);
  assert.deepEqual(got[9_999], entries[9_999]);
  assert.deepEqual(await small1, { name: "a" });
  assert.deepEqual(await small2, { name: "b" });
});

test("a byte at a time still frames correctly", async () => {
  const { proc, stdin, stdout } = fakeAgent();
  const client = new AgentClient(proc);
  const a = client.stat("/x");
  const b = client.stat("/y");
  const [[ida], [idb]] = requests(stdin);
  const bytes = Buffer.concat([answer(idb, { name: "y" }), answer(ida, { name: "x" })]);
  for (const byte of bytes) stdout.write(Buffer.from([byte]));
  assert.deepEqual(await a, { name: "x" });
  assert.deepEqual(await b, { name: "y" });
});
