// Agent part: the framed protocol over stdio (answers, the request dispatcher, the stdin reader).
export const AGENT_FRAMES = String.raw`
function send(type, id, payload) {
  const head = Buffer.alloc(9);
  head.writeUInt32BE(payload.length + 5, 0);
  head.writeUInt8(type, 4);
  head.writeUInt32BE(id, 5);
  return process.stdout.write(Buffer.concat([head, payload]));
}
function answer(id, result) {
  send(1, id, Buffer.from(JSON.stringify({ ok: true, result: result === undefined ? null : result })));
}
function fail(id, e) {
  send(1, id, Buffer.from(JSON.stringify({ ok: false, code: e && e.code ? e.code : "EIO", message: e && e.message ? e.message : String(e) })));
}
Object.assign(ops, {
  hello() {
    return true;
  },
});
function onFrame(type, id, payload) {
  if (type === 5 || type === 6 || type === 7 || type === 8) {
    const child = children.get(id);
    const s = child && (type < 7 ? child.stdin : child.stdio[3]);
    if (!s) return;
    if (type === 5 || type === 7) s.write(Buffer.from(payload));
    else s.end();
    return;
  }
  if (type === 1) {
    let r;
    try {
      r = JSON.parse(payload.toString("utf8"));
      if (r.op === "spawn") return startSpawn(id, r);
      if (r.op === "read") return startRead(id, r);
      if (r.op === "write") return startWrite(id, r);
      if (!Object.prototype.hasOwnProperty.call(ops, r.op)) throw Object.assign(new Error("unknown op " + r.op), { code: "EINVAL" });
      answer(id, ops[r.op](r));
    } catch (e) {
      if (r && r.op === "write") uploads.set(id, { fd: -1, tmp: "", dest: "", error: e });
      fail(id, e);
    }
  } else if (type === 2) {
    const u = uploads.get(id);
    if (!u || u.error) return;
    try {
      let off = 0;
      while (off < payload.length) off += fs.writeSync(u.fd, payload, off);
    } catch (e) {
      u.error = e;
    }
  } else if (type === 3) {
    const u = uploads.get(id);
    if (u && u.fd === -1) return void uploads.delete(id);
    endUpload(id, true);
  } else if (type === 4) {
    const u = uploads.get(id);
    if (u && u.fd === -1) return void uploads.delete(id);
    endUpload(id, false);
  }
}
let pending = Buffer.alloc(0);
process.stdin.on("data", (chunk) => {
  pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
  while (pending.length >= 4) {
    const len = pending.readUInt32BE(0);
    if (pending.length < 4 + len) break;
    const type = pending.readUInt8(4);
    const id = pending.readUInt32BE(5);
    const payload = pending.subarray(9, 4 + len);
    pending = pending.subarray(4 + len);
    onFrame(type, id, payload);
  }
});
process.stdin.on("end", () => {
  for (const id of [...uploads.keys()]) endUpload(id, false);
  discard([...staged.keys()]);
  process.exit(0);
});
process.stdout.on("error", () => process.exit(0));
`;
