// Run by bench/package.ts in a fresh node process: loads dist/extension.js with a stand-in `vscode`
// module and calls activate() with a stand-in context, timing both. The stand-in answers every API
// call with another stand-in (a Proxy), so what is timed is the extension's own work: evaluating its
// bundle and running activate(); VS Code's side (the real API) is not in the number.
import fs from "node:fs";
import Module, { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";

const require = createRequire(import.meta.url);

function stand(name) {
  const fn = function () {};
  const assigned = new Map();
  return new Proxy(fn, {
    set(_t, prop, value) {
      assigned.set(prop, value);
      return true;
    },
    get(_t, prop) {
      if (assigned.has(prop)) return assigned.get(prop);
      if (prop === "then") return undefined;
      if (prop === Symbol.toPrimitive) return () => (name.endsWith("version") ? "1.139.0" : 0);
      if (prop === Symbol.iterator) return function* () {};
      if (prop === "toString") return () => name;
      return stand(`${name}.${String(prop)}`);
    },
    apply: (_t, _this, args) => {
      // Events: `onDidX(listener)` returns a disposable; calling anything returns a stand-in.
      void args;
      return stand(`${name}()`);
    },
    construct: () => stand(`new ${name}`),
  });
}

function uri(p) {
  return { fsPath: p, path: p, scheme: "file", toString: () => `file://${p}`, with: () => uri(p) };
}

const vscode = stand("vscode");
const uriApi = { file: uri, parse: (s) => uri(s.replace(/^file:\/\//, "")), joinPath: (u, ...parts) => uri(path.join(u.fsPath, ...parts)), from: (c) => uri(c.path ?? "/") };
// The API's top-level names (namespaces, classes, enums), so a bundler's namespace import sees them.
const names = [...fs.readFileSync(require.resolve("@types/vscode/index.d.ts"), "utf8").matchAll(/^\t(?:export )?(?:class|enum|namespace|function|const|let) ([A-Za-z_]\w*)/gm)].map((m) => m[1]);
const top = (prop) => (prop === "Uri" ? uriApi : prop === "version" ? "1.139.0" : vscode[prop]);
const api = new Proxy(
  {},
  {
    get: (_t, prop) => top(prop),
    has: () => true,
    ownKeys: () => [...new Set([...names, "version"])],
    getOwnPropertyDescriptor: (_t, prop) => ({ configurable: true, enumerable: true, writable: false, value: top(prop) }),
  },
);

const origLoad = Module._load;
Module._load = function (request, ...rest) {
  if (request === "vscode") return api;
  return origLoad.call(this, request, ...rest);
};

const extPath = path.resolve(import.meta.dirname, "..");
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "daytona-bench-act-"));
const memento = () => {
  const m = new Map();
  return { get: (k, d) => (m.has(k) ? m.get(k) : d), update: async (k, v) => void m.set(k, v), keys: () => [...m.keys()], setKeysForSync() {} };
};
const context = {
  subscriptions: [],
  extensionPath: extPath,
  extensionUri: uri(extPath),
  globalStorageUri: uri(path.join(tmp, "global")),
  storageUri: uri(path.join(tmp, "ws")),
  logUri: uri(path.join(tmp, "log")),
  globalState: memento(),
  workspaceState: memento(),
  secrets: { get: async () => undefined, store: async () => undefined, delete: async () => undefined, onDidChange: () => ({ dispose() {} }) },
  extension: { packageJSON: require(path.join(extPath, "package.json")), id: "daytona-community.daytona-sandboxes" },
  asAbsolutePath: (p) => path.join(extPath, p),
  environmentVariableCollection: stand("env"),
  extensionMode: 1,
};

const t0 = performance.now();
const ext = require(path.join(extPath, "dist", "extension.js"));
const t1 = performance.now();
ext.activate(context);
const t2 = performance.now();
const modules = Object.keys(require.cache).length;
process.stdout.write(JSON.stringify({ requireMs: t1 - t0, activateMs: t2 - t1, modules, sdkLoaded: Object.keys(require.cache).some((k) => k.includes("@daytonaio")) }) + "\n");
fs.rmSync(tmp, { recursive: true, force: true });
process.exit(0);
