// Agent part: processes the toolbox starts (each in a session of its own) and signals to their trees.
export const AGENT_PROCESSES = String.raw`
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
`;
