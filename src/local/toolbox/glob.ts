// Shell-style globs (*, ?, [...] with ranges and ! or ^ negation, \ escapes) over one file name, as
// Go's filepath.Match. Matched without regular expressions: the classic two-pointer walk that only
// ever backtracks to the last `*`, so a name of n characters and a pattern of m tokens cost at most
// O(n·m) steps (a regex like ^[^/]*a[^/]*a[^/]*b$ backtracks exponentially on long names).

import type { GlobToken } from "../contract";

type Token = GlobToken;

export const MAX_GLOB_LENGTH = 1024;

export function parseGlob(glob: string): Token[] {
  const out: Token[] = [];
  const chars = [...glob];
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i];
    if (c === "*") {
      if (out[out.length - 1]?.kind !== "star") out.push({ kind: "star" });
    } else if (c === "?") out.push({ kind: "any" });
    else if (c === "[") {
      const end = chars.indexOf("]", i + 2);
      if (end < 0) {
        out.push({ kind: "char", c });
        continue;
      }
      let body = chars.slice(i + 1, end);
      const negate = body[0] === "!" || body[0] === "^";
      if (negate) body = body.slice(1);
      const ranges: Array<[string, string]> = [];
      for (let j = 0; j < body.length; j++) {
        let lo = body[j];
        if (lo === "\\" && j + 1 < body.length) lo = body[++j];
        if (body[j + 1] === "-" && j + 2 < body.length) {
          let hi = body[j + 2];
          j += 2;
          if (hi === "\\" && j + 1 < body.length) hi = body[++j];
          ranges.push([lo, hi]);
        } else ranges.push([lo, lo]);
      }
      out.push({ kind: "class", negate, ranges });
      i = end;
    } else if (c === "\\" && i + 1 < chars.length) out.push({ kind: "char", c: chars[++i] });
    else out.push({ kind: "char", c });
  }
  return out;
}

function matchOne(t: Token, c: string): boolean {
  if (c === "/") return false;
  switch (t.kind) {
    case "any":
      return true;
    case "char":
      return t.c === c;
    case "class":
      return t.ranges.some(([lo, hi]) => lo <= c && c <= hi) !== t.negate;
    default:
      return false;
  }
}

export function matchTokens(tokens: Token[], name: string): boolean {
  const s = [...name];
  let p = 0;
  let i = 0;
  let star = -1;
  let resume = 0;
  while (i < s.length) {
    const t = tokens[p];
    if (t && t.kind === "star") {
      star = p++;
      resume = i;
    } else if (t && matchOne(t, s[i])) {
      p++;
      i++;
    } else if (star >= 0 && s[resume] !== "/") {
      p = star + 1;
      i = ++resume;
    } else return false;
  }
  while (tokens[p]?.kind === "star") p++;
  return p === tokens.length;
}

export function globMatch(glob: string, name: string): boolean {
  return matchTokens(parseGlob(glob), name);
}
