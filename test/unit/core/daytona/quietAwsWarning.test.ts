import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { test } from "node:test";
import { AWS_NODE_WARNING_OFF, quietAwsNodeVersionWarning } from "../../../../src/core/daytona/quietAwsWarning";

const root = path.resolve(__dirname, "../../../..");

/** Constructs the SDK's S3 client in a fresh Node (as object storage does) and returns its stderr. */
function s3ClientStderr(quiet: boolean): string {
  const src = `
    ${quiet ? `require(${JSON.stringify(path.join(root, "src/core/daytona/quietAwsWarning.ts"))}).quietAwsNodeVersionWarning();` : ""}
    const { S3Client } = require("@aws-sdk/client-s3");
    new S3Client({ region: "us-east-1" });`;
  const env = { ...process.env };
  delete env[AWS_NODE_WARNING_OFF];
  const r = spawnSync(process.execPath, ["--import", "tsx", "-e", src], { cwd: root, env, encoding: "utf8", timeout: 60_000 });
  assert.equal(r.status, 0, r.stderr);
  return r.stderr;
}

test("the AWS Node-version warning is silenced where the SDK is loaded, and only it", { skip: Number(process.versions.node.split(".")[0]) >= 22 && "Node 22+ gets no such warning" }, () => {
  assert.match(s3ClientStderr(false), /NodeVersionSupportWarning/, "without the switch the S3 client warns (else this test proves nothing)");
  assert.doesNotMatch(s3ClientStderr(true), /NodeVersionSupportWarning/);
});

test("an explicit choice in the environment is kept", () => {
  const env: NodeJS.ProcessEnv = { [AWS_NODE_WARNING_OFF]: "false" };
  quietAwsNodeVersionWarning(env);
  assert.equal(env[AWS_NODE_WARNING_OFF], "false");
  const unset: NodeJS.ProcessEnv = {};
  quietAwsNodeVersionWarning(unset);
  assert.equal(unset[AWS_NODE_WARNING_OFF], "true");
});
