// A test command that could not run because its runner is not installed in the sandbox ("No module
// named pytest", "jest: not found"), and where the project declares that runner, so the glue can
// offer to install it from there. Pure: the caller reads the files.

export interface MissingRunner {
  /** The runner's name as the project would declare it (pytest, jest, vitest, mocha). */
  runner: string;
  ecosystem: "python" | "node";
}

export interface InstallOffer {
  /** The file that declares the runner, relative to the project folder. */
  file: string;
  /** The shell command that installs what that file declares, run in the project folder. */
  command: string;
}

const PATTERNS: Array<{ re: RegExp; ecosystem: MissingRunner["ecosystem"] }> = [
  { re: /No module named '?(pytest|nose2?|tox)'?/, ecosystem: "python" },
  { re: /\b(pytest|py\.test|tox|nose2?): (?:command )?not found/, ecosystem: "python" },
  { re: /\b(jest|vitest|mocha|ava|tap): (?:command )?not found/, ecosystem: "node" },
  { re: /Cannot find module '(jest|vitest|mocha)(?:\/[^']*)?'/, ecosystem: "node" },
  { re: /could not determine executable to run[\s\S]{0,200}?\b(jest|vitest|mocha)\b/, ecosystem: "node" },
];

/** The runner the output says is missing, if any. */
export function missingRunner(output: string): MissingRunner | undefined {
  for (const { re, ecosystem } of PATTERNS) {
    const m = re.exec(output);
    if (m) return { runner: m[1] === "py.test" ? "pytest" : m[1], ecosystem };
  }
  return undefined;
}

/** A requirements file declares a package when a line names it (before any version or marker). */
export function requirementsDeclare(text: string, pkg: string): boolean {
  const want = normalise(pkg);
  return text.split(/\r?\n/).some((raw) => {
    const line = raw.replace(/#.*/, "").trim();
    if (!line || line.startsWith("-")) return false;
    const name = /^[A-Za-z0-9][A-Za-z0-9._-]*/.exec(line)?.[0];
    return name !== undefined && normalise(name) === want;
  });
}

function normalise(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, "-");
}

/** package.json declares a package in dependencies or devDependencies. Bad JSON declares nothing. */
export function packageJsonDeclares(text: string, pkg: string): boolean {
  try {
    const json = JSON.parse(text) as { dependencies?: Record<string, unknown>; devDependencies?: Record<string, unknown> };
    return Boolean((json.devDependencies && pkg in json.devDependencies) || (json.dependencies && pkg in json.dependencies));
  } catch {
    return false;
  }
}

export const REQUIREMENTS_FILES = ["requirements-dev.txt", "requirements-test.txt", "requirements.txt"] as const;

/**
 * Where to install the runner from. `read` returns a project file's text or undefined. Python: the
 * first requirements file that names it; pip is told to install for the user, and on a system Python
 * that refuses (PEP 668, Debian's) it is retried with --break-system-packages: the sandbox is
 * disposable, its Python is not the host's. Node: package.json, with `npm install`.
 */
export async function installOffer(missing: MissingRunner, read: (file: string) => Promise<string | undefined>): Promise<InstallOffer | undefined> {
  if (missing.ecosystem === "python") {
    for (const file of REQUIREMENTS_FILES) {
      const text = await read(file);
      if (text !== undefined && requirementsDeclare(text, missing.runner)) {
        const pip = `python3 -m pip install --user -r ${file}`;
        return { file, command: `${pip} || ${pip} --break-system-packages` };
      }
    }
    return undefined;
  }
  const pkg = await read("package.json");
  if (pkg !== undefined && packageJsonDeclares(pkg, missing.runner)) return { file: "package.json", command: "npm install" };
  return undefined;
}
