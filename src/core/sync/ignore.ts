// Ignore rules with git's semantics: every .gitignore (and .daytonaignore) applies to paths relative to
// its own folder; a deeper file takes precedence over a shallower one; within one folder .daytonaignore
// is read after .gitignore, so it can re-include (`!dist/`) what git ignores. As in git, nothing under an
// ignored directory can be re-included: the scanner never descends into one.
import ignore, { type Ignore } from "ignore";

export const IGNORE_FILES = [".gitignore", ".daytonaignore"] as const;

/** Folder the sync keeps its own state in, at the root of the remote folder; never synced. */
export const META_DIR = ".daytona-sync";

interface Level {
  /** Folder of the rules, relative POSIX path ("" for the root). */
  base: string;
  rules: Ignore;
}

export class IgnoreRules {
  private constructor(private readonly levels: readonly Level[]) {}

  /** Rules at the root: the root's ignore files' text, then `extra` patterns (highest priority there). */
  static root(texts: readonly string[], extra: readonly string[] = []): IgnoreRules {
    const rules = ignore();
    for (const t of texts) rules.add(t); // a string is split into lines; an array item is one pattern
    rules.add([...extra]);
    return new IgnoreRules([{ base: "", rules }]);
  }

  /** Rules for a sub-folder that has its own ignore files (texts in IGNORE_FILES order). */
  child(base: string, texts: readonly string[]): IgnoreRules {
    if (texts.every((t) => t.trim() === "")) return this;
    const rules = ignore();
    for (const t of texts) rules.add(t);
    return new IgnoreRules([...this.levels, { base, rules }]);
  }

  /** Is the relative POSIX path ignored? `.git` anywhere and the root META_DIR always are. */
  ignores(rel: string, isDir: boolean): boolean {
    const segments = rel.split("/");
    if (segments.includes(".git") || rel === META_DIR || rel.startsWith(META_DIR + "/")) return true;
    for (let i = this.levels.length - 1; i >= 0; i--) {
      const { base, rules } = this.levels[i];
      const sub = base === "" ? rel : rel.slice(base.length + 1);
      let r: ignore.TestResult;
      try {
        r = rules.test(isDir ? sub + "/" : sub);
      } catch {
        // `ignore` refuses some names it cannot express as a relative path; no rule can match them.
        continue;
      }
      if (r.ignored) return true;
      if (r.unignored) return false;
    }
    return false;
  }
}
