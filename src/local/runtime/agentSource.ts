// The toolbox agent: a small node program run inside a sandbox (`node -e`, as the sandbox's user, one
// per sandbox, over one engine exec) that does the toolbox's file operations there, so the kernel
// confines every path: nothing on the host is touched and no host-side path check can be raced.
//
// It also starts the toolbox's processes (no PTY): a child of the agent costs a few milliseconds where
// an engine exec costs ~100 ms here. Each runs in a session of its own (detached), so a kill finds
// its whole tree (the server adds a root kill for what sudo raised out of the agent's reach).
//
// Frames both ways: u32 length (of what follows), u8 type, u32 request id, payload.
//   to the agent:   1 JSON request {op, ...}, 2 upload bytes, 3 upload end, 4 upload abort,
//                   5 stdin bytes, 6 stdin end, 7 fd 3 bytes, 8 fd 3 end
//   from the agent: 1 JSON answer {ok, result} | {ok:false, code, message}, 2 download bytes,
//                   3 download end, 6 stdout bytes, 7 stderr bytes, 8 exit {code, signal}
// Uploads go to a hidden sibling (".<name>.daytona-upload-<random>") renamed into place on "end"; an
// abort, a failed write or the server going away (stdin closes) removes it, so no partial file stays.
// Every staged file is also noted in a journal (/var/tmp/.daytona-uploads-<uid>/): an agent that
// starts removes what an earlier one left (its container was killed mid-upload), and "inflight"
// names what is staged right now (a commit marks those on the image, see runtime/index.ts).
// Everything is synchronous: one request at a time, in order, which keeps the agent small.
export const AGENT_SOURCE = String.raw`
"use strict";
const fs = require("fs");
const path = require("path");
const HOME = process.env.HOME || "/";
const uploads = new Map();
// Glob tokens (toolbox/glob.ts parses them) matched without regular expressions: the two-pointer walk
// that only backtracks to the last star, O(name x pattern) at worst.
function globOne(t, c) {
  if (t.kind === "any") return true;
  if (t.kind === "char") return t.c === c;
  if (t.kind === "class") return t.ranges.some((r) => r[0] <= c && c <= r[1]) !== t.negate;
  return false;
}
function globMatch(tokens, name) {
  const s = [...name];
  let p = 0, i = 0, star = -1, resume = 0;
  while (i < s.length) {
    const t = tokens[p];
    if (t && t.kind === "star") { star = p++; resume = i; }
    else if (t && globOne(t, s[i])) { p++; i++; }
    else if (star >= 0) { p = star + 1; i = ++resume; }
    else return false;
  }
  while (tokens[p] && tokens[p].kind === "star") p++;
  return p === tokens.length;
}
const JOURNAL = "/var/tmp/.daytona-uploads-" + process.getuid();
try {
  fs.mkdirSync(JOURNAL, { recursive: true, mode: 0o700 });
  // An entry is "<pid>-<start time>.<file>" of the agent that staged it: only agents that are gone
  // leave leftovers. Another agent of this sandbox may still be running (a server that restarted while
  // its container ran on): its uploads in flight are not touched. The start time tells a live agent
  // from a process that reuses a dead one's pid (a restarted container counts pids afresh).
  for (const n of fs.readdirSync(JOURNAL)) {
    const [pid, start] = n.split(".")[0].split("-");
    if (pid !== String(process.pid) && start !== undefined && startTime(pid) === start) continue;
    try { fs.unlinkSync(fs.readFileSync(path.join(JOURNAL, n), "utf8")); } catch (e) {}
    try { fs.unlinkSync(path.join(JOURNAL, n)); } catch (e) {}
  }
} catch (e) {}
function startTime(pid) {
  try {
    const stat = fs.readFileSync("/proc/" + pid + "/stat", "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19];
  } catch (e) {
    return undefined;
  }
}
const SELF = process.pid + "-" + startTime(process.pid);
function note(tmp) {
  try { fs.writeFileSync(path.join(JOURNAL, SELF + "." + path.basename(tmp)), tmp); } catch (e) {}
}
function unnote(tmp) {
  try { fs.unlinkSync(path.join(JOURNAL, SELF + "." + path.basename(tmp))); } catch (e) {}
}
// Whole uploads of a bulk request, renamed into place only when the whole request arrived ("commit").
const staged = new Map();
let names;
function idNames(file) {
  const m = new Map();
  try {
    for (const line of fs.readFileSync(file, "utf8").split("\n")) {
      const f = line.split(":");
      if (f.length >= 3 && /^\d+$/.test(f[2])) m.set(Number(f[2]), f[0]);
    }
  } catch (e) {}
  return m;
}
function owner(uid, gid) {
  names = names || { u: idNames("/etc/passwd"), g: idNames("/etc/group") };
  return [names.u.get(uid) || String(uid), names.g.get(gid) || String(gid)];
}
function abs(p) {
  if (typeof p !== "string" || p === "") throw Object.assign(new Error("path is required"), { code: "EINVAL" });
  return path.resolve(HOME, p);
}
function info(name, p, st) {
  const [o, g] = owner(st.uid, st.gid);
  return { name, path: p, isDir: st.isDirectory(), size: st.size, mtimeMs: st.mtimeMs, mode: st.mode, owner: o, group: g };
}
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
function* walk(root) {
  const stack = [root];
  while (stack.length) {
    const dir = stack.pop();
    let names;
    try { names = fs.readdirSync(dir).sort().reverse(); } catch (e) { continue; }
    for (const n of names) {
      const p = path.join(dir, n);
      let st;
      try { st = fs.lstatSync(p); } catch (e) { continue; }
      yield [p, st];
      if (st.isDirectory()) stack.push(p);
    }
  }
}
function isRegular(p) {
  const st = fs.statSync(p);
  if (!st.isFile()) throw Object.assign(new Error(p + " is not a regular file"), { code: "ENOTREG" });
  return st;
}
function discard(ids) {
  for (const id of ids) {
    const u = staged.get(id);
    staged.delete(id);
    if (u) {
      try { fs.unlinkSync(u.tmp); } catch (e) {}
      unnote(u.tmp);
    }
  }
}
const ops = {
  commit(r) {
    try {
      for (const id of r.ids) {
        const u = staged.get(id);
        if (!u) throw Object.assign(new Error("upload " + id + " is not staged"), { code: "EINVAL" });
        const st = fs.statSync(u.dest, { throwIfNoEntry: false });
        if (st && st.isDirectory()) throw Object.assign(new Error(u.dest + " is a directory"), { code: "EISDIR" });
        fs.mkdirSync(path.dirname(u.dest), { recursive: true });
        fs.renameSync(u.tmp, u.dest);
        unnote(u.tmp);
        staged.delete(id);
      }
    } finally {
      discard(r.ids);
    }
  },
  discard(r) {
    discard(r.ids);
  },
  hello() {
    return true;
  },
  inflight() {
    return [...uploads.values(), ...staged.values()].filter((u) => u.tmp).map((u) => u.tmp);
  },
  list(r) {
    const root = abs(r.path);
    if (!fs.statSync(root).isDirectory()) throw Object.assign(new Error("not a directory: " + r.path), { code: "ENOTDIR" });
    const out = [];
    const go = (dir, level) => {
      for (const n of fs.readdirSync(dir).sort()) {
        if (out.length >= r.limit) return;
        const p = path.posix.join(dir, n);
        let st;
        try { st = fs.lstatSync(p); } catch (e) { continue; }
        out.push(info(n, p, st));
        if (level < r.depth && st.isDirectory()) { try { go(p, level + 1); } catch (e) {} }
      }
    };
    go(root, 1);
    return out;
  },
  stat(r) {
    const p = abs(r.path);
    return info(path.posix.basename(p) || "/", p, fs.statSync(p));
  },
  mkdir(r) {
    const p = abs(r.path);
    fs.mkdirSync(p, { recursive: true, mode: r.mode });
    fs.chmodSync(p, r.mode);
  },
  remove(r) {
    const p = abs(r.path);
    const st = fs.lstatSync(p);
    if (st.isDirectory()) {
      if (r.recursive) fs.rmSync(p, { recursive: true, force: true });
      else fs.rmdirSync(p);
    } else fs.unlinkSync(p);
  },
  move(r) {
    const from = abs(r.source);
    fs.lstatSync(from);
    fs.renameSync(from, abs(r.destination));
  },
  chmod(r) {
    fs.chmodSync(abs(r.path), r.mode);
  },
  ports() {
    const ports = new Set();
    for (const f of ["/proc/net/tcp", "/proc/net/tcp6"]) {
      let text = "";
      try { text = fs.readFileSync(f, "utf8"); } catch (e) { continue; }
      for (const line of text.split("\n").slice(1)) {
        const c = line.trim().split(/\s+/);
        if (c[3] === "0A") ports.add(parseInt(c[1].split(":")[1], 16));
      }
    }
    return [...ports].sort((a, b) => a - b);
  },
  find(r) {
    const root = abs(r.path);
    const st = fs.statSync(root);
    const files = st.isDirectory() ? walk(root) : [[root, st]];
    const out = [];
    for (const [p, fst] of files) {
      if (!fst.isFile() || fst.size > 16 * 1024 * 1024) continue;
      let buf;
      try { buf = fs.readFileSync(p); } catch (e) { continue; }
      if (buf.subarray(0, 8000).includes(0)) continue;
      const lines = buf.toString("utf8").split("\n");
      for (let n = 0; n < lines.length && out.length < r.limit; n++) {
        if (lines[n].includes(r.pattern)) out.push({ file: p, line: n + 1, content: lines[n].replace(/\r$/, "") });
      }
      if (out.length >= r.limit) break;
    }
    return out;
  },
  search(r) {
    const root = abs(r.path);
    fs.statSync(root);
    const out = [];
    for (const [p] of walk(root)) {
      if (globMatch(r.tokens, path.posix.basename(p))) out.push(p);
      if (out.length >= r.limit) break;
    }
    return out;
  },
  replace(r) {
    return r.files.map((f) => {
      try {
        const p = abs(f);
        isRegular(p);
        fs.writeFileSync(p, fs.readFileSync(p, "utf8").split(r.pattern).join(r.newValue));
        return { file: f, success: true };
      } catch (e) {
        return { file: f, success: false, error: (e.code ? e.code + ": " : "") + e.message };
      }
    });
  },
};
function startRead(id, r) {
  const p = abs(r.path);
  // Checked before opening: opening a FIFO would block.
  isRegular(p);
  const fd = fs.openSync(p, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  const st = fs.fstatSync(fd);
  answer(id, info(path.posix.basename(p), p, st));
  let left = st.size;
  const buf = Buffer.allocUnsafe(256 * 1024);
  const pump = () => {
    try {
      while (left > 0) {
        let n = fs.readSync(fd, buf, 0, Math.min(buf.length, left), null);
        // The file shrank meanwhile: pad, so exactly the announced size is sent.
        const chunk = n === 0 ? Buffer.alloc(Math.min(buf.length, left)) : Buffer.from(buf.subarray(0, n));
        left -= chunk.length;
        if (!send(2, id, chunk)) return void process.stdout.once("drain", pump);
      }
      fs.closeSync(fd);
      send(3, id, Buffer.alloc(0));
    } catch (e) {
      try { fs.closeSync(fd); } catch (x) {}
      send(3, id, Buffer.from(String(e && e.message)));
    }
  };
  pump();
}
function startWrite(id, r) {
  const dest = abs(r.path);
  const st = fs.statSync(dest, { throwIfNoEntry: false });
  if (st && st.isDirectory()) throw Object.assign(new Error(r.path + " is a directory"), { code: "EISDIR" });
  fs.mkdirSync(path.dirname(dest), { recursive: true });
  const tmp = path.join(path.dirname(dest), "." + path.basename(dest).slice(0, 200) + ".daytona-upload-" + Math.random().toString(36).slice(2, 10));
  note(tmp);
  const fd = fs.openSync(tmp, "wx", r.mode || 0o644);
  uploads.set(id, { fd, tmp, dest, error: undefined, deferred: r.deferred === true });
}
function endUpload(id, commit) {
  const u = uploads.get(id);
  if (!u) return;
  uploads.delete(id);
  try { fs.closeSync(u.fd); } catch (e) {}
  if (!commit || u.error) {
    try { fs.unlinkSync(u.tmp); } catch (e) {}
    unnote(u.tmp);
    if (commit) fail(id, u.error);
    return;
  }
  if (u.deferred) {
    staged.set(id, u);
    return answer(id);
  }
  try {
    fs.renameSync(u.tmp, u.dest);
    answer(id);
  } catch (e) {
    try { fs.unlinkSync(u.tmp); } catch (x) {}
    fail(id, e);
  }
  unnote(u.tmp);
}
const children = new Map();
function startSpawn(id, r) {
  const stdio = r.fd3 ? ["pipe", "pipe", "pipe", "pipe"] : ["pipe", "pipe", "pipe"];
  // The container's environment (the image's PATH, DOCKER_HOST of a DinD sandbox) under the request's.
  const child = require("child_process").spawn(r.argv[0], r.argv.slice(1), { cwd: r.cwd, env: Object.assign({}, process.env, r.env), stdio, detached: true });
  children.set(id, child);
  let failed;
  let done = false;
  const finish = (code, signal) => {
    if (done) return;
    done = true;
    children.delete(id);
    if (failed && code === null) {
      send(7, id, Buffer.from(r.argv[0] + ": " + failed.message + "\n"));
      code = failed.code === "ENOENT" ? 127 : 126;
    }
    send(8, id, Buffer.from(JSON.stringify({ code, signal })));
  };
  child.stdout.on("data", (d) => done || send(6, id, d));
  child.stderr.on("data", (d) => done || send(7, id, d));
  for (const s of child.stdio.slice(0, 4)) if (s) s.on("error", () => {});
  child.on("error", (e) => {
    failed = e;
    if (child.pid === undefined) finish(null, null);
  });
  // A background process may keep the pipes open: the exit counts once they close, or soon after.
  child.on("exit", (code, signal) => setTimeout(() => finish(code, signal), 300));
  child.on("close", (code, signal) => finish(code, signal));
  answer(id, { pid: child.pid || 0 });
}
/** Pids of the session of root and of its descendants (the agent's own processes only can be signalled). */
function treeOf(root) {
  const kids = new Map();
  const all = [root];
  for (const n of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(n)) continue;
    let stat;
    try { stat = fs.readFileSync("/proc/" + n + "/stat", "utf8"); } catch (e) { continue; }
    const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const pid = Number(n), ppid = Number(f[1]), sid = Number(f[3]);
    if (sid === root && pid !== root) all.push(pid);
    kids.set(ppid, (kids.get(ppid) || []).concat(pid));
  }
  for (let i = 0; i < all.length; i++) for (const k of kids.get(all[i]) || []) if (!all.includes(k)) all.push(k);
  return all;
}
ops.signal = function (r) {
  const child = children.get(r.target);
  if (!child || !child.pid) return false;
  const pids = treeOf(child.pid);
  for (const p of pids) { try { process.kill(p, "SIGSTOP"); } catch (e) {} }
  for (const p of pids) { try { process.kill(p, r.signal); } catch (e) {} }
  for (const p of pids) { try { process.kill(p, "SIGCONT"); } catch (e) {} }
  return true;
};
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
