// Agent part: file operations (list, stat, mkdir, remove, move, chmod, find, search, replace, ports)
// and streamed downloads, all inside the sandbox as its user.
export const AGENT_FILES = String.raw`
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
Object.assign(ops, {
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
});
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
`;
