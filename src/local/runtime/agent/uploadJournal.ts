// Agent part: the journal of staged uploads (/var/tmp/.daytona-uploads-<uid>/): a starting agent removes
// what agents that are gone left behind (a container killed mid-upload); live agents keep theirs.
export const AGENT_UPLOAD_JOURNAL = String.raw`
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
`;
