// Table-test harness: each case is a few in-memory files under /ws, a target, and what must come out:
// the exact set of errors and warnings ("file:line:col field"), an optional check of the plan, and a
// golden JSON of the whole result (UPDATE_GOLDEN=1 rewrites the goldens).
import assert from "node:assert/strict";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { planFromPath, type CreatePlan, type FileAccess, type PlanResult } from "../../../../src/core/config";

export const ROOT = "/ws";
const GOLDEN = join(__dirname, "golden");

export interface Case {
  name: string;
  files: Record<string, string>;
  target?: string;
  env?: Record<string, string>;
  profiles?: string[];
  labels?: Record<string, string>;
  /** Exactly these errors, as "file:line:col field" with file relative to /ws. Absent: no errors. */
  errors?: string[];
  /** Exactly these warnings when given. */
  warnings?: string[];
  check?: (plan: CreatePlan, result: PlanResult) => void;
  /** Substrings the diagnostics' messages must contain (clarity checks). */
  messages?: string[];
}

/** In-memory files; folders exist when some file is under them. */
export function memoryFiles(files: Record<string, string>, root = ROOT): FileAccess {
  const abs = new Map(Object.entries(files).map(([p, t]) => [join(root, p), t]));
  return {
    readFile: async (p) => {
      const t = abs.get(p);
      if (t === undefined) throw new Error(`ENOENT: ${p}`);
      return t;
    },
    stat: async (p) => {
      if (abs.has(p)) return "file";
      const prefix = p.endsWith("/") ? p : `${p}/`;
      return p === root || [...abs.keys()].some((k) => k.startsWith(prefix)) ? "directory" : undefined;
    },
  };
}

/** Strips the common indentation of a template literal, so YAML can be written indented in a test. */
export function y(s: string): string {
  const lines = s.replace(/^\n/, "").replace(/\n\s*$/, "\n").split("\n");
  const indent = Math.min(...lines.filter((l) => l.trim()).map((l) => /^ */.exec(l)![0].length));
  return lines.map((l) => l.slice(indent)).join("\n");
}

const slug = (name: string) => name.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");
const where = (d: { file: string; line: number; column: number; field: string }) => `${d.file.replace(`${ROOT}/`, "")}:${d.line}:${d.column} ${d.field}`;

export function runCases(group: string, cases: Case[]): void {
  for (const c of cases) {
    test(c.name, async () => {
      const r = await planFromPath(join(ROOT, c.target ?? "."), { files: memoryFiles(c.files), env: c.env, profiles: c.profiles, labels: c.labels });
      const errors = r.diagnostics.filter((d) => d.severity === "error");
      const warnings = r.diagnostics.filter((d) => d.severity === "warning");
      assert.deepEqual(errors.map(where), c.errors ?? [], `errors: ${JSON.stringify(errors, null, 1)}`);
      if (c.warnings) assert.deepEqual(warnings.map(where), c.warnings, `warnings: ${JSON.stringify(warnings, null, 1)}`);
      assert.equal(r.plan === undefined, errors.length > 0, "a plan exactly when there is no error");
      for (const m of c.messages ?? []) assert.ok(r.diagnostics.some((d) => d.message.includes(m)), `no diagnostic says "${m}": ${r.diagnostics.map((d) => d.message).join(" | ")}`);
      if (r.plan) {
        assert.deepEqual(r.plan.warnings, warnings);
        assert.deepEqual(JSON.parse(JSON.stringify(r.plan)), r.plan, "the plan is plain JSON data");
        c.check?.(r.plan, r);
      }
      golden(`${group}-${slug(c.name)}`, r);
    });
  }
}

function golden(name: string, r: PlanResult): void {
  const path = join(GOLDEN, `${name}.json`);
  const text = `${JSON.stringify(r, null, 2)}\n`;
  if (process.env.UPDATE_GOLDEN === "1") {
    mkdirSync(GOLDEN, { recursive: true });
    writeFileSync(path, text);
    return;
  }
  assert.ok(existsSync(path), `golden ${path} is missing: run with UPDATE_GOLDEN=1 and review it`);
  assert.equal(text, readFileSync(path, "utf8"), `result differs from ${path}`);
}
