// Would a sync of `root` leave `rel` out? The same rules as the scanner: every .gitignore and
// .daytonaignore on the way down, and nothing under an ignored folder.
import * as path from "node:path";
import { IgnoreRules } from "./ignore";
import { readIgnoreTexts } from "./scan";

export async function isIgnoredBySync(root: string, rel: string, isDir: boolean, extra: readonly string[] = []): Promise<boolean> {
  const parts = rel.split("/").filter(Boolean);
  let rules = IgnoreRules.root(await readIgnoreTexts(root), extra);
  for (let i = 0; i < parts.length; i++) {
    const sub = parts.slice(0, i + 1).join("/");
    const last = i === parts.length - 1;
    if (rules.ignores(sub, last ? isDir : true)) return true;
    if (!last) rules = rules.child(sub, await readIgnoreTexts(path.join(root, ...parts.slice(0, i + 1))));
  }
  return false;
}
