// Agent part: uploads written to a hidden sibling and renamed into place when whole; bulk uploads
// staged until the whole request arrived ("commit"), or discarded.
export const AGENT_UPLOADS = String.raw`
const uploads = new Map();
// Whole uploads of a bulk request, renamed into place only when the whole request arrived ("commit").
const staged = new Map();
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
Object.assign(ops, {
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
  inflight() {
    return [...uploads.values(), ...staged.values()].filter((u) => u.tmp).map((u) => u.tmp);
  },
});
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
`;
