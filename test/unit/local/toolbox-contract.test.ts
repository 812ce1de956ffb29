// The toolbox's JSON answers checked against Daytona's published toolbox contract
// (../shared/daytona-openapi/toolbox.json, Swagger 2.0): every JSON-answering operation the SDK uses
// (files, process execute, code-run, sessions, PTY REST, home/work dir) and the error body, called over
// HTTP after setting up what it needs with the SDK. Required fields, types and enums via schemaCheck.ts.
// Where toolbox.json disagrees with what the daemon sends and the SDK reads, the SDK wins: see EXCEPTIONS.
// Skips loudly when the folder is missing.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { errorBody, toToolboxError } from "../../../src/local/toolbox/http";
import { startTestServer } from "./helpers";
import { responseSchema, validate, type SchemaDoc } from "./schemaCheck";

const repoRoot = path.resolve(__dirname, "..", "..", "..");
const contractsDir = path.resolve(repoRoot, "..", "shared", "daytona-openapi");
const specFile = path.join(contractsDir, "toolbox.json");

/** Mismatch lines accepted on purpose, each with the reason the SDK's view wins over toolbox.json. */
const EXCEPTIONS: Record<string, string> = {
  ...Object.fromEntries(
    ["output", "stdout", "stderr"].map((f) => [
      `POST /process/session/{sessionId}/exec 202.${f}: null but not nullable`,
      "async exec: the daemon sends null (Go pointer without omitempty) until the command ends; the SDK reads it as `?? ''`",
    ]),
  ),
  "POST /process/session/{sessionId}/exec 202.exitCode: null but not nullable":
    "async exec: the daemon sends exitCode null (Go *int without omitempty) until the command ends; the SDK passes it through",
};

/** Error-body fields the SDK needs beyond toolbox.json's `required` (it picks the typed error by `${source}|${code}`). */
const ERROR_FIELDS_SDK_NEEDS = ["statusCode", "message", "code", "source"];

test("toolbox answers match Daytona's toolbox contract", async (t) => {
  if (!existsSync(specFile)) {
    const message = `OPENAPI CONTRACTS NOT FOUND: ${specFile} is missing, toolbox contract checks skipped`;
    console.warn(message);
    t.skip(message);
    return;
  }
  const doc = JSON.parse(readFileSync(specFile, "utf8")) as SchemaDoc;
  const ts = await startTestServer();
  t.after(() => ts.stop());
  const sb = await ts.daytona.create({ name: "toolbox-contract", language: "python" });
  const base = `${sb.toolboxProxyUrl}/${sb.id}`;
  const headers = { authorization: `Bearer ${ts.server.token}`, "content-type": "application/json" };

  // What the calls need: a file, a session with a finished and a running command, a PTY.
  const dir = "/home/daytona/contract";
  const file = `${dir}/a.txt`;
  await sb.fs.uploadFile(Buffer.from("hello contract\nsecond line\n"), file);
  await sb.process.createSession("contract");
  const pty = await sb.process.createPty({ id: "contract-pty", cols: 80, rows: 24, onData: () => undefined });

  const errors: string[] = [];
  const check = async (method: string, template: string, url: string, status: number, body?: unknown): Promise<unknown> => {
    const r = await fetch(`${base}${url}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await r.text();
    assert.equal(r.status, status, `${method} ${url}: ${r.status} ${text}`);
    const at = `${method} ${template} ${status}`;
    assert.match(r.headers.get("content-type") ?? "", /^application\/json/, `${at}: not JSON`);
    const json: unknown = JSON.parse(text);
    validate(doc, responseSchema(doc, method, template, status), json, at, errors);
    if (status >= 400) {
      const obj = json as Record<string, unknown>;
      for (const f of ERROR_FIELDS_SDK_NEEDS) if (obj[f] === undefined || obj[f] === null) errors.push(`${at}.${f}: required by the SDK, missing`);
      if (obj.statusCode !== status) errors.push(`${at}.statusCode: ${JSON.stringify(obj.statusCode)}, not the HTTP status`);
      if (obj.source !== "DAYTONA_DAEMON") errors.push(`${at}.source: ${JSON.stringify(obj.source)}, the SDK maps codes only for DAYTONA_DAEMON`);
    }
    return json;
  };
  const q = encodeURIComponent;

  // Files
  await check("GET", "/files", `/files?path=${q(dir)}`, 200);
  await check("GET", "/files", `/files?path=${q("/home/daytona")}&depth=2`, 200);
  await check("GET", "/files/info", `/files/info?path=${q(file)}`, 200);
  await check("GET", "/files/info", `/files/info?path=${q(dir)}`, 200);
  await check("GET", "/files/find", `/files/find?path=${q(dir)}&pattern=contract`, 200);
  await check("GET", "/files/search", `/files/search?path=${q(dir)}&pattern=${q("*.txt")}`, 200);
  await check("POST", "/files/replace", "/files/replace", 200, { files: [file, `${dir}/missing.txt`], pattern: "second", newValue: "2nd" });

  // One-shot processes
  await check("POST", "/process/execute", "/process/execute", 200, { command: "echo out; echo err >&2; exit 3" });
  await check("POST", "/process/code-run", "/process/code-run", 200, { code: "print(6 * 7)", language: "python" });

  // Sessions: create answers 201 without a body (documented so); everything else is JSON.
  const created = await fetch(`${base}/process/session`, { method: "POST", headers, body: JSON.stringify({ sessionId: "contract-2" }) });
  assert.equal(created.status, 201);
  const sync = (await check("POST", "/process/session/{sessionId}/exec", "/process/session/contract/exec", 200, { command: "echo hi; echo oops >&2", runAsync: false })) as { cmdId: string };
  const running = (await check("POST", "/process/session/{sessionId}/exec", "/process/session/contract/exec", 202, { command: "sleep 30", runAsync: true })) as { cmdId: string };
  await check("GET", "/process/session", "/process/session", 200);
  await check("GET", "/process/session/{sessionId}", "/process/session/contract", 200);
  await check("GET", "/process/session/{sessionId}/command/{commandId}", `/process/session/contract/command/${sync.cmdId}`, 200);
  await check("GET", "/process/session/{sessionId}/command/{commandId}", `/process/session/contract/command/${running.cmdId}`, 200);
  await check("GET", "/process/session/{sessionId}/command/{commandId}/logs", `/process/session/contract/command/${sync.cmdId}/logs`, 200);
  await check("GET", "/process/session/{sessionId}/command/{commandId}/logs", `/process/session/contract/command/${running.cmdId}/logs`, 200);
  for (const sid of ["contract", "contract-2"]) {
    const del = await fetch(`${base}/process/session/${sid}`, { method: "DELETE", headers });
    assert.equal(del.status, 204);
  }

  // PTY (made by the SDK over its WebSocket)
  await check("GET", "/process/pty", "/process/pty", 200);
  await check("GET", "/process/pty/{sessionId}", "/process/pty/contract-pty", 200);
  await check("POST", "/process/pty/{sessionId}/resize", "/process/pty/contract-pty/resize", 200, { cols: 100, rows: 40 });
  await check("DELETE", "/process/pty/{sessionId}", "/process/pty/contract-pty", 200);
  await pty.wait();

  // Home and work dir
  await check("GET", "/user-home-dir", "/user-home-dir", 200);
  await check("GET", "/work-dir", "/work-dir", 200);

  // Entrypoint session
  await check("GET", "/process/session/entrypoint", "/process/session/entrypoint", 200);
  await check("GET", "/process/session/entrypoint/logs", "/process/session/entrypoint/logs", 200);

  // Code interpreter contexts
  const ctxInfo = (await check("POST", "/process/interpreter/context", "/process/interpreter/context", 200, {})) as { id: string };
  await check("GET", "/process/interpreter/context", "/process/interpreter/context", 200);
  await check("DELETE", "/process/interpreter/context/{id}", `/process/interpreter/context/${ctxInfo.id}`, 200);

  // Git (a repository made with the SDK)
  const repo = "/home/daytona/contract-repo";
  await sb.git.init(repo, false, "main");
  await sb.fs.uploadFile(Buffer.from("x\n"), `${repo}/x.txt`);
  await sb.git.add(repo, ["x.txt"]);
  await check("POST", "/git/commit", "/git/commit", 200, { path: repo, message: "m", author: "A", email: "a@example.com" });
  await sb.fs.uploadFile(Buffer.from("y\n"), `${repo}/y.txt`);
  await check("GET", "/git/status", `/git/status?path=${q(repo)}`, 200);
  await check("GET", "/git/branches", `/git/branches?path=${q(repo)}`, 200);
  await check("GET", "/git/history", `/git/history?path=${q(repo)}`, 200);
  await check("GET", "/git/remotes", `/git/remotes?path=${q(repo)}`, 200);
  await check("GET", "/git/config", `/git/config?key=user.name&scope=local&path=${q(repo)}`, 200);

  // Error bodies on the documented 404 and 400 answers, with the codes the SDK maps to typed errors.
  const fail = async (method: string, template: string, url: string, status: number, code: string, body?: unknown) => {
    const answer = (await check(method, template, url, status, body)) as { code?: unknown };
    assert.equal(answer.code, code, `${method} ${url}: code`);
  };
  await fail("GET", "/files/info", `/files/info?path=${q(`${dir}/nope`)}`, 404, "FILE_NOT_FOUND");
  await fail("GET", "/files", `/files?path=${q(`${dir}/nope`)}`, 404, "FILE_NOT_FOUND");
  await fail("GET", "/files/find", `/files/find?path=${q(dir)}`, 400, "BAD_REQUEST");
  await fail("POST", "/process/execute", "/process/execute", 400, "INVALID_REQUEST_BODY", { command: "" });
  await fail("POST", "/process/code-run", "/process/code-run", 400, "BAD_REQUEST", { code: "x", language: "cobol" });
  await fail("GET", "/process/session/{sessionId}", "/process/session/nope", 404, "PROCESS_NOT_FOUND");
  await sb.process.createSession("contract-3");
  await fail("GET", "/process/session/{sessionId}/command/{commandId}", "/process/session/contract-3/command/nope", 404, "PROCESS_NOT_FOUND");
  await fail("GET", "/process/pty/{sessionId}", "/process/pty/nope", 404, "PROCESS_NOT_FOUND");
  await fail("GET", "/git/status", `/git/status?path=${q(dir)}`, 404, "GIT_REPO_NOT_FOUND");
  await fail("POST", "/git/checkout", "/git/checkout", 404, "GIT_BRANCH_NOT_FOUND", { path: repo, branch: "nope" });
  await fail("DELETE", "/process/interpreter/context/{id}", "/process/interpreter/context/nope", 404, "NOT_FOUND");
  await fail("POST", "/lsp/completions", "/lsp/completions", 400, "LSP_SERVER_NOT_INITIALIZED", { languageId: "python", pathToProject: dir, uri: `file://${file}`, position: { line: 0, character: 0 } });

  // An unexpected failure (500, which no request above can provoke) still carries a documented code.
  validate(doc, responseSchema(doc, "POST", "/process/code-run", 500), errorBody(toToolboxError(new Error("boom")), undefined), "500 (unexpected error)", errors);

  for (const e of errors) if (e in EXCEPTIONS) t.diagnostic(`accepted exception: ${e} (${EXCEPTIONS[e]})`);
  const unexpected = errors.filter((e) => !(e in EXCEPTIONS));
  assert.deepEqual(unexpected, []);

  // The checker itself catches what it should, on Swagger 2 refs too.
  const selfCheck: string[] = [];
  validate(doc, { $ref: "#/definitions/PtySessionInfo" }, { id: 1, cols: 1.5, envs: { A: 2 } }, "self", selfCheck);
  assert.ok(selfCheck.includes("self.id: expected string, got number"));
  assert.ok(selfCheck.includes("self.cols: expected integer, got 1.5"));
  assert.ok(selfCheck.includes("self.envs.A: expected string, got number"));
  assert.ok(selfCheck.includes("self.active: required, missing"));
  validate(doc, { $ref: "#/definitions/ErrorResponse" }, { statusCode: 404, message: "m", path: "/", timestamp: "t", code: "NOPE" }, "err", selfCheck);
  assert.ok(selfCheck.includes('err.code: "NOPE" not in enum'));
});
