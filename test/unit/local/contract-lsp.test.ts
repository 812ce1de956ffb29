// Daytona's LSP routes driven by the real SDK. The language server is whatever the sandbox has:
// without one, start must say what to install (never a made-up answer); with pylsp (Debian's
// python3-pylsp, in the sandbox or given to this test as an unpacked dist-packages folder in
// DAYTONA_TEST_PYLSP_DIR), symbols and completions come from it.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { DaytonaError, DaytonaLspServerNotInitializedError, type Sandbox } from "@daytonaio/sdk";
import { startTestServer } from "./helpers";

const SOURCE = 'class Greeter:\n    def greet(self) -> str:\n        return "hello"\n\ngreeter = Greeter()\ngreeter.\n';

async function hasPylsp(sb: Sandbox): Promise<boolean> {
  return (await sb.process.executeCommand('command -v pylsp || python3 -c "import pylsp"')).exitCode === 0;
}

test("contract: LSP", async (t) => {
  const ts = await startTestServer();
  t.after(() => ts.stop());
  const sb = await ts.daytona.create();
  await sb.fs.createFolder("lsp-project", "755");
  await sb.fs.uploadFile(Buffer.from(SOURCE), "lsp-project/sample.py");

  await t.test("calls before start are LSP_SERVER_NOT_INITIALIZED", async () => {
    const lsp = await sb.createLspServer("python", "lsp-project");
    await assert.rejects(lsp.documentSymbols("lsp-project/sample.py"), (e: unknown) => e instanceof DaytonaLspServerNotInitializedError && e.statusCode === 400);
  });

  const given = process.env.DAYTONA_TEST_PYLSP_DIR;
  if (!(await hasPylsp(sb)) && given) {
    // Debian's python3-pylsp and its dependencies, unpacked (dpkg -x): installed as the user's site-packages.
    assert.ok(existsSync(given), `DAYTONA_TEST_PYLSP_DIR ${given} does not exist`);
    const tar = execFileSync("tar", ["-C", given, "-cf", "-", "."], { maxBuffer: 256 * 1024 * 1024 });
    await sb.fs.uploadFile(tar, "/tmp/pylsp.tar");
    const site = (await sb.process.executeCommand('python3 -c "import site; print(site.getusersitepackages())"')).result.trim();
    const r = await sb.process.executeCommand(`mkdir -p '${site}' && tar -C '${site}' -xf /tmp/pylsp.tar && rm /tmp/pylsp.tar`);
    assert.equal(r.exitCode, 0, r.result);
  }

  if (!(await hasPylsp(sb))) {
    await t.test("without a Python language server, start says what to install", async () => {
      const lsp = await sb.createLspServer("python", "lsp-project");
      await assert.rejects(lsp.start(), (e: unknown) => e instanceof DaytonaError && e.statusCode === 400 && /install python3-pylsp/.test(e.message));
    });
    t.diagnostic("pylsp is not in this sandbox and DAYTONA_TEST_PYLSP_DIR is not set: the symbol and completion checks did not run");
    return;
  }

  await t.test("pylsp: start, open, document symbols, workspace symbols, completions, close, stop", async () => {
    const lsp = await sb.createLspServer("python", "lsp-project");
    await lsp.start();
    await lsp.start(); // idempotent
    await lsp.didOpen("lsp-project/sample.py");
    const symbols = await lsp.documentSymbols("lsp-project/sample.py");
    assert.ok(symbols.some((s) => s.name === "Greeter"), JSON.stringify(symbols));
    const greeter = symbols.find((s) => s.name === "Greeter")!;
    assert.equal(greeter.location.uri, "file:///home/daytona/lsp-project/sample.py");
    assert.deepEqual(greeter.location.range.start, { line: 0, character: 0 });
    // pylsp answers workspace/symbol from 1.12 on (Daytona's image has it); Debian's 1.7 does not, and that is said, not hidden.
    const ws = await lsp.sandboxSymbols("Greeter").catch((e: unknown) => e);
    if (ws instanceof DaytonaError) assert.match(ws.message, /does not support workspace symbols/);
    else assert.ok((ws as { name: string }[]).some((s) => s.name === "Greeter"), JSON.stringify(ws));
    const completions = await lsp.completions("lsp-project/sample.py", { line: 5, character: 8 });
    assert.ok(completions.items.some((i) => i.label.startsWith("greet")), JSON.stringify(completions.items.map((i) => i.label)));
    await lsp.didClose("lsp-project/sample.py");
    await lsp.stop();
    await assert.rejects(lsp.documentSymbols("lsp-project/sample.py"), DaytonaLspServerNotInitializedError);
  });
});

test("contract: LSP for TypeScript (typescript-language-server, in the image as in Daytona's)", async (t) => {
  const ts = await startTestServer();
  t.after(() => ts.stop());
  const sb = await ts.daytona.create();
  await sb.fs.createFolder("ts-project", "755");
  await sb.fs.uploadFile(Buffer.from("export class Greeter {\n  greet(): string {\n    return 'hello';\n  }\n}\nconst g = new Greeter();\ng.\n"), "ts-project/sample.ts");
  const lsp = await sb.createLspServer("typescript", "ts-project");
  await lsp.start();
  await lsp.didOpen("ts-project/sample.ts");
  const symbols = await lsp.documentSymbols("ts-project/sample.ts");
  assert.ok(symbols.some((s) => s.name === "Greeter"), JSON.stringify(symbols));
  const completions = await lsp.completions("ts-project/sample.ts", { line: 6, character: 2 });
  assert.ok(completions.items.some((i) => i.label === "greet"), JSON.stringify(completions.items.map((i) => i.label).slice(0, 20)));
  await lsp.didClose("ts-project/sample.ts");
  await lsp.stop();
});
