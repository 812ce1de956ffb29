// Service environment in both Compose forms, and .env / env_file files.
//   list:  - KEY=VALUE   (split at the first "=")       map:  KEY: VALUE
// A bare KEY (list) or KEY: with no value (map) takes its value from the given variables, as Compose
// does; when that variable is not set either, the entry is dropped with a warning.
import { field, type Pos, type Reporter } from "./diagnostics";
import { interpolate, type Lookup } from "./interpolate";
import { setKey } from "./values";
import type { PNode } from "./yamlTree";

const KEY = /^[^=\s]+$/;

export function readEnvironment(node: PNode, file: string, path: string[], report: Reporter, lookup: Lookup): Record<string, string> {
  const out: Record<string, string> = {};
  const put = (key: string, value: string | undefined, pos: PNode["pos"], f: string) => {
    if (!KEY.test(key)) return report.error(file, pos, f, `"${key}" is not a valid variable name`);
    const v = value ?? lookup(key);
    if (v === undefined) return report.warning(file, pos, f, `${key} has no value here and is not set in the environment: it is left out`);
    setKey(out, key, v);
  };
  if (node.kind === "seq") {
    node.items.forEach((item, i) => {
      const f = field(...path, i);
      if (item.kind !== "scalar" || item.value === null || typeof item.value === "boolean") {
        return report.error(file, item.pos, f, "each environment item must be a string KEY=VALUE");
      }
      const text = String(item.value);
      const eq = text.indexOf("=");
      if (eq === 0) return report.error(file, item.pos, f, `"${text}" has no variable name before "="`);
      if (eq < 0) put(text, undefined, item.pos, f);
      else put(text.slice(0, eq), text.slice(eq + 1), item.pos, f);
    });
  } else if (node.kind === "map") {
    for (const e of node.entries.values()) {
      const f = field(...path, e.key);
      if (e.value.kind !== "scalar") {
        report.error(file, e.value.pos, f, "an environment value must be a string, number or boolean");
        continue;
      }
      put(e.key, e.value.value === null ? undefined : String(e.value.value), e.keyPos, f);
    }
  } else if (node.value !== null) {
    report.error(file, node.pos, field(...path), "environment must be a list of KEY=VALUE or a mapping");
  }
  return out;
}

/**
 * A .env file (also env_file) read as Compose reads it: KEY=VALUE lines, # comments, optional
 * "export ". Single-quoted values are literal; double-quoted values take \n \t \r \" \\ \$ escapes;
 * both may span lines. Unquoted and double-quoted values are interpolated: `lookup` first (the
 * process environment, or the project's variables for an env_file), then the lines above.
 * Unquoted values end at " #" and are trimmed.
 */
export function parseDotenv(
  text: string,
  file: string,
  report: Reporter,
  lookup: Lookup = () => undefined,
  /** Filled with where each key was set (for errors about a value, such as COMPOSE_FILE's). */
  positions?: Map<string, Pos>,
): Record<string, string> {
  const out: Record<string, string> = {};
  const look: Lookup = (n) => lookup(n) ?? (Object.prototype.hasOwnProperty.call(out, n) ? out[n] : undefined);
  const lines = text.replace(/^\uFEFF/, "").split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const body = line.trimStart();
    if (body === "" || body.startsWith("#")) continue;
    const pos = { line: i + 1, column: line.length - body.length + 1 };
    const m = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*(=?)(.*)$/.exec(body);
    if (!m) {
      report.error(file, pos, "", `not a KEY=VALUE line: "${truncate(body)}"`);
      continue;
    }
    const [, key, eq, rest0] = m;
    positions?.set(key, { ...pos, file });
    if (!eq) {
      if (rest0.trim() !== "") report.error(file, pos, key, `not a KEY=VALUE line: "${truncate(body)}"`);
      continue; // a bare KEY: Compose leaves it unset
    }
    let rest = rest0.trimStart();
    const q = rest[0];
    let raw: string;
    let interpolated = true;
    if (q === "'" || q === '"') {
      // The closing quote may be on a later line: the value then holds the line breaks.
      let close = findClose(rest, q);
      let j = i;
      while (close < 0 && j + 1 < lines.length) {
        rest += `\n${lines[++j]}`;
        close = findClose(rest, q);
      }
      if (close < 0) {
        report.error(file, pos, key, "the quoted value is never closed");
        break;
      }
      i = j;
      const inner = rest.slice(1, close);
      if (q === "'") [raw, interpolated] = [inner, false];
      else raw = inner.replace(/\\(.)/gs, (_, c: string) => ({ n: "\n", t: "\t", r: "\r", $: "$$" })[c] ?? (c === "\n" ? "\\\n" : c));
    } else {
      const hash = rest.search(/\s#/);
      raw = (hash >= 0 ? rest.slice(0, hash) : rest).trim();
    }
    if (!interpolated || !raw.includes("$")) {
      setKey(out, key, raw);
      continue;
    }
    const r = interpolate(raw, look, (name) => report.warning(file, pos, key, unsetMessage(name)));
    if ("error" in r) report.error(file, pos, key, r.error);
    else setKey(out, key, r.value);
  }
  return out;
}

export const unsetMessage = (name: string): string => `The "${name}" variable is not set. Defaulting to a blank string.`;

function findClose(v: string, q: string): number {
  for (let j = 1; j < v.length; j++) {
    if (q === '"' && v[j] === "\\") j++;
    else if (v[j] === q) return j;
  }
  return -1;
}

function truncate(s: string): string {
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}
