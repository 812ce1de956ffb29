// A pure Dockerfile parser: logical lines (continuations, comments), instruction keyword, flags
// (--from=, --chown=), JSON (exec) or shell form, and ${VAR} substitution helpers.

export interface Instruction {
  /** 1-based line where the instruction starts. */
  line: number;
  /** Upper-cased keyword (RUN, COPY, ...). */
  keyword: string;
  /** The arguments after the keyword and flags, continuations joined. */
  args: string;
  /** Set when the arguments are a JSON array of strings (exec form). */
  json?: string[];
  /** Leading --name=value flags. */
  flags: Record<string, string>;
}

export function parseDockerfile(text: string): Instruction[] {
  const lines = text.replace(/\r\n?/g, "\n").split("\n");
  const out: Instruction[] = [];
  let buf = "";
  let start = 0;
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i];
    const trimmed = raw.trim();
    // Comment lines (also inside a continuation) and blank lines inside a continuation are dropped.
    if (trimmed.startsWith("#")) continue;
    if (trimmed === "" && buf === "") continue;
    if (buf === "") start = i + 1;
    const body = raw.replace(/\s+$/, "");
    if (body.endsWith("\\")) {
      buf += body.slice(0, -1); // Docker joins continued lines as they are
      continue;
    }
    buf += body;
    if (buf.trim()) out.push(toInstruction(buf.trim(), start));
    buf = "";
  }
  if (buf.trim()) out.push(toInstruction(buf.trim(), start));
  return out;
}

function toInstruction(text: string, line: number): Instruction {
  const m = /^(\S+)\s*([\s\S]*)$/.exec(text);
  const keyword = (m?.[1] ?? text).toUpperCase();
  let rest = (m?.[2] ?? "").trim();
  const flags: Record<string, string> = {};
  for (;;) {
    const f = /^--([A-Za-z][\w-]*)(?:=(\S*))?\s*/.exec(rest);
    if (!f) break;
    flags[f[1]] = f[2] ?? "true";
    rest = rest.slice(f[0].length);
  }
  const ins: Instruction = { line, keyword, args: rest, flags };
  if (rest.startsWith("[")) {
    try {
      const v = JSON.parse(rest) as unknown;
      if (Array.isArray(v) && v.every((x) => typeof x === "string")) ins.json = v as string[];
    } catch {
      // Not JSON: Docker then treats it as shell form, and so do we.
    }
  }
  return ins;
}

/** Split shell-like words: quotes group, backslash escapes (outside single quotes). */
export function splitWords(s: string): string[] {
  const words: string[] = [];
  let cur = "";
  let inWord = false;
  let quote: '"' | "'" | null = null;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (quote) {
      if (c === quote) quote = null;
      else if (c === "\\" && quote === '"' && i + 1 < s.length && /["\\$`]/.test(s[i + 1])) cur += s[++i];
      else cur += c;
      continue;
    }
    if (c === '"' || c === "'") {
      quote = c;
      inWord = true;
    } else if (c === "\\" && i + 1 < s.length) {
      cur += s[++i];
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) words.push(cur);
      cur = "";
      inWord = false;
    } else {
      cur += c;
      inWord = true;
    }
  }
  if (quote) throw new Error(`unterminated ${quote} quote`);
  if (inWord) words.push(cur);
  return words;
}

/**
 * Key/value pairs of ENV and LABEL: `K=V K2="v 2"` or the legacy `K value with spaces`.
 * Values are substituted first when `vars` is given.
 */
export function parseKeyValues(args: string): [string, string][] {
  const words = splitWords(args);
  if (words.length === 0) throw new Error("needs at least one key");
  if (!words[0].includes("=")) {
    const [key, ...rest] = args.trim().split(/\s+/);
    if (rest.length === 0) throw new Error(`${key} has no value`);
    return [[key, splitWords(args.trim().slice(key.length)).join(" ")]];
  }
  return words.map((w) => {
    const eq = w.indexOf("=");
    if (eq <= 0) throw new Error(`"${w}" is not key=value`);
    return [w.slice(0, eq), w.slice(eq + 1)];
  });
}

/** Docker's variable substitution: $V, ${V}, ${V:-default}, ${V:+alt}; \$ stays a literal $. */
export function substitute(text: string, vars: Record<string, string>): string {
  return text.replace(/\\\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?::([-+])([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g, (all, braced?: string, op?: string, word?: string, bare?: string) => {
    if (all === "\\$") return "$";
    const name = braced ?? bare ?? "";
    const value = vars[name];
    if (op === "-") return value ? value : (word ?? "");
    if (op === "+") return value ? (word ?? "") : "";
    return value ?? "";
  });
}
