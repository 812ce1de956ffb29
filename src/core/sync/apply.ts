// The one remote step of a sync, built as data: an argv for `sh -c <fixed script> <args...>`, joined
// by the shared quoting function. Nothing variable is ever pasted into the script text itself.
//
// The upload is <remoteDir>/.daytona-sync/incoming-<id>: the tar(.gz) payload, then four sections
// whose byte lengths are arguments: paths to remove (NUL-separated), directories to remove if empty
// (NUL-separated, deepest first), manifest keys to drop and manifest lines to append (one per line).
// The script refuses to run unless the remote manifest's header is the one the delta was computed
// against (exit 3), removes, extracts, then replaces the manifest with an atomic rename. A failure
// before the rename leaves the old manifest, so the next sync re-sends whatever might be missing.
import { shellJoin } from "../shell/quote";
import { META_DIR } from "./ignore";
import { droppedKeys, headerLine, lineKey, manifestLine, type Delta, type Manifest } from "./manifest";

export const EXIT_MANIFEST_CHANGED = 3;

export const APPLY_SCRIPT = `set -u
dir=$1 want=$2 next=$3 arc=$4 plen=$5 a=$6 b=$7 c=$8 z=$9
mkdir -p -- "$dir" && cd -- "$dir" && mkdir -p ${META_DIR} || exit 10
m=${META_DIR}/manifest
have=$(head -n 1 "$m" 2>/dev/null)
if [ "$have" != "$want" ]; then
  [ -z "$arc" ] || rm -f -- "${META_DIR}/$arc"
  printf 'daytona-sync: the remote manifest changed (%s)\\n' "$have"
  exit ${EXIT_MANIFEST_CHANGED}
fi
[ -n "$arc" ] || exit 0
in=${META_DIR}/$arc t=${META_DIR}/txn-$next
fail() { rm -rf -- "$t" "$in"; exit "$1"; }
rm -rf -- "$t" && mkdir -- "$t" || fail 10
tail -c +$((plen + 1)) "$in" > "$t/meta" || fail 11
head -c "$a" "$t/meta" > "$t/rm" || fail 11
tail -c +$((a + 1)) "$t/meta" | head -c "$b" > "$t/rmdir" || fail 11
tail -c +$((a + b + 1)) "$t/meta" | head -c "$c" > "$t/drop" || fail 11
tail -c +$((a + b + c + 1)) "$t/meta" > "$t/add" || fail 11
xargs -0 -r rm -f -- < "$t/rm" || fail 12
xargs -0 -r rmdir -- < "$t/rmdir" 2>/dev/null
head -c "$plen" "$in" | tar -x -o -p -\${z}f - || fail 13
touch "$m" || fail 14
{ printf '%s\\n' "${headerLine("")}$next" && awk -F '\\t' 'FILENAME == ARGV[1] { d[$0] = 1; next } FNR > 1 && !($1 in d)' "$t/drop" "$m" && cat "$t/add"; } > "$m.new" && mv -f -- "$m.new" "$m" || fail 14
rm -rf -- ${META_DIR}/incoming-* ${META_DIR}/txn-*
`;

export interface Sections {
  rm: Buffer;
  rmdir: Buffer;
  drop: Buffer;
  add: Buffer;
}

/** The four data sections that follow the payload in the upload. */
export function buildSections(delta: Delta, next: Manifest): Sections {
  const nul = (paths: string[]) => Buffer.from(paths.map((p) => p + "\0").join(""), "utf8");
  const lines = (ls: string[]) => Buffer.from(ls.map((l) => l + "\n").join(""), "ascii");
  const added = [...delta.upload.dirs, ...delta.upload.files, ...delta.upload.links];
  return {
    rm: nul(delta.remove),
    rmdir: nul(delta.rmdirs),
    drop: lines(droppedKeys(delta).map(lineKey)),
    add: lines(added.map((p) => manifestLine(p, next))),
  };
}

export interface ApplyStep {
  remoteDir: string;
  /** First line of the remote manifest the delta was computed against; "" when there was none. */
  baseHeader: string;
  nextId: string;
  /** Upload file name inside META_DIR; undefined for a check-only run (nothing to change). */
  archive?: string;
  payloadBytes?: number;
  sections?: Sections;
  gzip?: boolean;
}

export function applyArgv(s: ApplyStep): string[] {
  const len = (b?: Buffer) => String(b?.length ?? 0);
  return [
    "sh",
    "-c",
    APPLY_SCRIPT,
    "daytona-sync",
    s.remoteDir,
    s.baseHeader,
    s.nextId,
    s.archive ?? "",
    String(s.payloadBytes ?? 0),
    len(s.sections?.rm),
    len(s.sections?.rmdir),
    len(s.sections?.drop),
    s.gzip ? "z" : "",
  ];
}

export const applyCommand = (s: ApplyStep): string => shellJoin(applyArgv(s));
