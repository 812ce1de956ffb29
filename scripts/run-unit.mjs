// Runs node's test runner over every test/unit/**/*.test.ts (found by glob, never a hand-kept list).
// TypeScript is loaded through tsx. Extra arguments are passed on (e.g. a file filter).
import { spawnSync } from "node:child_process";
import { globSync } from "glob";

const filters = process.argv.slice(2);
let files = globSync("test/unit/**/*.test.ts", { posix: true }).sort();
if (filters.length) files = files.filter((f) => filters.some((x) => f.includes(x)));
if (files.length === 0) {
  console.error("run-unit: no test files matched");
  process.exit(1);
}
// The SDK's S3 client warns about Node < 22 on first use; its own off switch keeps that out of test logs
// (the extension sets the same in src/core/daytona/quietAwsWarning.ts).
const args = ["--import", "tsx", "--test", "--test-concurrency=2", "--test-reporter=spec", ...files];
const r = spawnSync(process.execPath, args, { stdio: "inherit", env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true", ...process.env, NO_PROXY: "127.0.0.1,localhost", no_proxy: "127.0.0.1,localhost" } });
process.exit(r.status ?? 1);
