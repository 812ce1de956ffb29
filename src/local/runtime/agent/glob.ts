// Agent part: matching file names against glob tokens (toolbox/glob.ts parses them).
export const AGENT_GLOB = String.raw`
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
`;
