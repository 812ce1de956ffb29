// Finds a project's test command: package.json's test script (node's test runner, jest, vitest, mocha),
// pytest, go test, cargo test. Pure apart from reading files through FileAccess; never throws.
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { nodeFiles as configFiles, type FileAccess as ConfigFileAccess } from "../config";
import { REPORT_PATH, build, type CommandParts, type TestCommand } from "./command";

/** The config planner's file access, plus folder listings. */
export interface FileAccess extends ConfigFileAccess {
  /** Names in a folder; optional (without it, pytest is found only by its config files). */
  list?(path: string): Promise<string[]>;
}

export const nodeFiles: FileAccess = {
  ...configFiles,
  list: async (p) => {
    try {
      return await readdir(p);
    } catch {
      return [];
    }
  },
};

export async function detectTestCommand(folder: string, files: FileAccess = nodeFiles): Promise<TestCommand | undefined> {
  const read = async (name: string) => {
    try {
      return (await files.stat(join(folder, name))) === "file" ? await files.readFile(join(folder, name)) : undefined;
    } catch {
      return undefined;
    }
  };
  const pkg = await read("package.json");
  if (pkg !== undefined) {
    const found = fromPackageJson(pkg);
    if (found) return found;
  }
  if (await isPytest(folder, files, read)) {
    return build("pytest", "junit", { env: [], argv: ["python3", "-m", "pytest", `--junitxml=${REPORT_PATH}`, "-o", "junit_family=xunit1"], positionals: [] },
      "pytest (JUnit XML with file and line attributes)", { reportPath: REPORT_PATH });
  }
  const gomod = await read("go.mod");
  if (gomod !== undefined) {
    const module = /^\s*module\s+("?)([^\s"]+)\1/m.exec(gomod)?.[2];
    return build("go", "gotest-json", { env: [], argv: ["go", "test", "-json"], positionals: ["./..."] }, "go test -json ./...",
      module ? { parseOptions: { goModule: module } } : {});
  }
  if ((await read("Cargo.toml")) !== undefined) {
    return build("cargo", "libtest", { env: [], argv: ["cargo", "test", "--no-fail-fast"], positionals: [], suffix: "2>&1" },
      "cargo test (libtest's plain output; stable cargo has no JSON or JUnit report)");
  }
  return undefined;
}

interface Script {
  env: [string, string][];
  /** The command word(s) and options, without positionals. */
  argv: string[];
  positionals: string[];
}

// Options that take the next word as their value (when not written --opt=value).
const VALUE_FLAGS = new Set([
  "--import", "--require", "-r", "--loader", "--experimental-loader", "--env-file", "--conditions", "-C",
  "--test-reporter", "--test-reporter-destination", "--test-name-pattern", "--test-concurrency", "--test-timeout",
  "--config", "-c", "--reporter", "-R", "--reporter-option", "--reporter-options", "-O", "--reporters", "--project", "--environment",
  "--outputFile", "--root", "--dir", "--spec", "--ui", "-u", "--timeout", "-t", "--grep", "-g", "--file",
  "--extension", "--testNamePattern", "--testPathPattern", "--selectProjects", "--maxWorkers", "-w", "--pool",
]);

/** A script that is one simple command (no shell operators), split into words; undefined otherwise. */
export function splitScript(script: string): Script | undefined {
  if (/[;&|<>`$(){}\n\\]/.test(script)) return undefined;
  const words: string[] = [];
  for (const m of script.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)) words.push(m[1] ?? m[2] ?? m[3]);
  const env: [string, string][] = [];
  while (words.length && /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[0])) {
    const w = words.shift() as string;
    env.push([w.slice(0, w.indexOf("=")), w.slice(w.indexOf("=") + 1)]);
  }
  if (words[0] === "npx") words.shift();
  if (!words.length) return undefined;
  const argv = [words[0]];
  const positionals: string[] = [];
  for (let i = 1; i < words.length; i++) {
    const w = words[i];
    if (w.startsWith("-")) {
      argv.push(w);
      if (!w.includes("=") && VALUE_FLAGS.has(w) && i + 1 < words.length) argv.push(words[++i]);
    } else if (i === 1 && (w === "run" || w === "test")) {
      argv.push(w); // vitest run, tsx test...
    } else {
      positionals.push(w);
    }
  }
  return { env, argv, positionals };
}

/** Drops options (and their values) that the chosen reporter replaces. */
function without(argv: string[], flags: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const name = argv[i].split("=")[0];
    if (flags.includes(name)) {
      if (!argv[i].includes("=") && VALUE_FLAGS.has(name)) i++;
      continue;
    }
    out.push(argv[i]);
  }
  return out;
}

export function fromPackageJson(text: string): TestCommand | undefined {
  let pkg: unknown;
  try {
    pkg = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!pkg || typeof pkg !== "object") return undefined;
  const p = pkg as Record<string, unknown>;
  const scripts = (p.scripts ?? {}) as Record<string, unknown>;
  const script = typeof scripts.test === "string" ? scripts.test.trim() : "";
  const deps = { ...(p.dependencies as object), ...(p.devDependencies as object) } as Record<string, unknown>;
  const simple = script ? splitScript(script) : undefined;
  const tool = simple?.argv[0];
  const usesNodeTest = /(^|\s)(node|tsx)\s(.*\s)?--test(\s|$)/.test(` ${script} `) || (tool === "tsx" && simple?.argv[1] === "test");
  const via = (name: string) => (tool === name ? simple : undefined);

  if (usesNodeTest) {
    const s = tool === "node" || tool === "tsx" ? simple : undefined;
    const base = s ? without(s.argv, ["--test-reporter", "--test-reporter-destination"]) : ["node", "--test"];
    const reporters = ["--test-reporter=spec", "--test-reporter-destination=stdout", "--test-reporter=junit", `--test-reporter-destination=${REPORT_PATH}`];
    const parts: CommandParts = { env: s?.env ?? [], argv: [base[0], ...reporters, ...base.slice(1)], positionals: s?.positionals ?? [] };
    return build("node", "junit", parts, describe("node's test runner (JUnit report, spec output)", script, s), { reportPath: REPORT_PATH });
  }
  if (tool === "jest" || (!simple && /\bjest\b/.test(script)) || (!script && "jest" in deps)) {
    const s = via("jest");
    const junit = "jest-junit" in deps;
    const env: [string, string][] = [...(s?.env ?? []), ["JEST_JUNIT_OUTPUT_FILE", REPORT_PATH], ["JEST_JUNIT_ADD_FILE_ATTRIBUTE", "true"],
      ["JEST_JUNIT_CLASSNAME", "{classname}"], ["JEST_JUNIT_TITLE", "{title}"]];
    const argv = [...["npx", ...without(s?.argv ?? ["jest"], ["--reporters"])], "--ci", "--reporters=default", "--reporters=jest-junit"];
    const what = junit ? "jest with jest-junit (JUnit report)" : "jest: add jest-junit to devDependencies, it writes the report the Test Explorer reads";
    return build("jest", "junit", { env, argv, positionals: s?.positionals ?? [] }, describe(what, script, s), { reportPath: REPORT_PATH });
  }
  if (tool === "vitest" || (!simple && /\bvitest\b/.test(script)) || (!script && "vitest" in deps)) {
    const s = via("vitest");
    let argv = without(s?.argv ?? ["vitest"], ["--reporter", "--outputFile", "--watch", "-w"]);
    if (!argv.includes("run") && !argv.includes("--run")) argv = [argv[0], "run", ...argv.slice(1)];
    argv = ["npx", ...argv, "--reporter=default", "--reporter=junit", `--outputFile.junit=${REPORT_PATH}`];
    return build("vitest", "junit", { env: s?.env ?? [], argv, positionals: s?.positionals ?? [] }, describe("vitest (JUnit report)", script, s), { reportPath: REPORT_PATH });
  }
  if (tool === "mocha" || (!simple && /\bmocha\b/.test(script)) || (!script && "mocha" in deps)) {
    // xunit over tap: it has suites, file attributes and durations. mocha takes one reporter, so the run shows no live output.
    const s = via("mocha");
    const argv = ["npx", ...without(s?.argv ?? ["mocha"], ["--reporter", "-R", "--reporter-option", "-O", "--reporter-options"]),
      "--reporter", "xunit", "--reporter-option", `output=${REPORT_PATH}`];
    return build("mocha", "junit", { env: s?.env ?? [], argv, positionals: s?.positionals ?? [] }, describe("mocha (xunit report)", script, s), { reportPath: REPORT_PATH });
  }
  return undefined;
}

function describe(what: string, script: string, s: Script | undefined): string {
  return s || !script ? what : `${what}; the test script is not one simple command, so the runner is called directly`;
}

async function isPytest(folder: string, files: FileAccess, read: (name: string) => Promise<string | undefined>): Promise<boolean> {
  if ((await read("pytest.ini")) !== undefined || (await read("conftest.py")) !== undefined) return true;
  if (/^\[tool\.pytest|pytest/m.test((await read("pyproject.toml")) ?? "")) return true;
  if (/^\[tool:pytest\]/m.test((await read("setup.cfg")) ?? "")) return true;
  if (/^\[pytest\]/m.test((await read("tox.ini")) ?? "")) return true;
  if (!files.list) return false;
  const isTest = (n: string) => /^test_.*\.py$|_test\.py$/.test(n);
  try {
    if ((await files.list(folder)).some(isTest)) return true;
    for (const dir of ["tests", "test"]) {
      if ((await files.stat(join(folder, dir))) === "directory" && (await files.list(join(folder, dir))).some(isTest)) return true;
    }
  } catch {
    return false;
  }
  return false;
}
