import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { test } from "node:test";

const script = path.resolve(__dirname, "../../host/clean-npm-env.sh");

/** What an inner install would see: the environment of `clean_npm env` run from an `npm run`-like environment. */
function innerEnv(extra: string[]): Map<string, string> {
  const outer = {
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    HOME: process.env.HOME ?? "/root",
    npm_config_user_agent: "npm/11.0.0 node/v20.20.2 linux x64 workspaces/false",
    npm_config_nodedir: "/somewhere/node20",
    npm_package_name: "daytona-sandboxes",
    npm_lifecycle_event: "setup",
    npm_execpath: "/usr/lib/node_modules/npm/bin/npm-cli.js",
    npm_node_execpath: "/usr/local/bin/node",
    NPM_CONFIG_PREFIX: "/tmp/prefix",
    INIT_CWD: "/work/main",
    KEEP_ME: "yes",
  };
  const r = spawnSync("bash", ["-c", `. ${JSON.stringify(script)}; clean_npm "$@" env -0`, "clean", ...extra], { env: outer, encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
  return new Map(r.stdout.split("\0").filter(Boolean).map((kv) => [kv.slice(0, kv.indexOf("=")), kv.slice(kv.indexOf("=") + 1)]));
}

test("an inner install sees none of the outer npm's variables", () => {
  const env = innerEnv([]);
  const leaked = [...env.keys()].filter((k) => /^npm_/i.test(k) || k === "INIT_CWD");
  assert.deepEqual(leaked, []);
  assert.equal(env.get("KEEP_ME"), "yes", "other variables pass through");
});

test("assignments given to clean_npm are set for the inner command", () => {
  const env = innerEnv(["npm_config_nodedir=/cache/node24", "JOBS=max"]);
  assert.equal(env.get("npm_config_nodedir"), "/cache/node24");
  assert.equal(env.get("JOBS"), "max");
  assert.equal(env.get("npm_config_user_agent"), undefined);
});
