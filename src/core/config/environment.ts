// Service environment in both Compose forms, and .env / env_file files.
//   list:  - KEY=VALUE   (split at the first "=")       map:  KEY: VALUE
// A bare KEY (list) or KEY: with no value (map) takes its value from the given variables, as Compose
// does; when that variable is not set either, the entry is dropped with a warning.
import { field, type Reporter } from "./diagnostics";
import type { Lookup } from "./interpolate";
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
 * A .env file (also env_file): KEY=VALUE lines, # comments, optional "export ", values in single quotes
 * (literal) or double quotes (\n, \t, \", \\ escapes); unquoted values end at " #".
 */
export function parseDotenv(text: string, file: string, report: Reporter): Record<string, string> {
  const out: Record<string, string> = {};
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.replace(/^\uFEFF/, "");
    const body = line.trimStart();
    if (body === "" || body.startsWith("#")) return;
    const column = line.length - body.length + 1;
    const m = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*(=?)(.*)$/.exec(body);
    if (!m) return report.error(file, { line: i + 1, column }, "", `not a KEY=VALUE line: "${truncate(body)}"`);
    const [, key, eq, rest] = m;
    if (!eq) {
      if (rest.trim() !== "") return report.error(file, { line: i + 1, column }, key, `not a KEY=VALUE line: "${truncate(body)}"`);
      return; // a bare KEY: Compose leaves it unset
    }
    const value = unquote(rest.trim());
    if (value === undefined) return report.error(file, { line: i + 1, column }, key, "the quoted value is not closed on this line");
    setKey(out, key, value);
  });
  return out;
}

function unquote(v: string): string | undefined {
  const q = v[0];
  if (q === "'" || q === '"') {
    const end = v.indexOf(q, 1);
    let close = end;
    if (q === '"') {
      close = -1;
      for (let j = 1; j < v.length; j++) {
        if (v[j] === "\\") j++;
        else if (v[j] === '"') {
          close = j;
          break;
        }
      }
    }
    if (close < 0) return undefined;
    const inner = v.slice(1, close);
    if (q === "'") return inner;
    return inner.replace(/\\(.)/g, (_, c: string) => ({ n: "\n", t: "\t", r: "\r" })[c] ?? c);
  }
  const hash = v.search(/\s#/);
  return (hash >= 0 ? v.slice(0, hash) : v).trim();
}

function truncate(s: string): string {
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}
