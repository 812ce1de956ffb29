// The daytona: file system inside the extension host, against a local sandbox: every workspace.fs
// operation, the FileSystemProvider contract and its errors, request counts, and a document edited
// and saved (and a failed save that keeps the edit).
import * as assert from "node:assert/strict";
import * as vscode from "vscode";
import type { Services } from "../../../src/services";
import { connectLocal, localStats, resetLocalStats, services, sh, waitFor } from "../support";

async function code(p: Thenable<unknown> | Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    return (err as vscode.FileSystemError).code;
  }
  return "no error";
}

describe("daytona: file system", function () {
  this.timeout(120_000);
  let s: Services;
  let id: string;
  let home: string;
  const enc = new TextEncoder();
  const dec = new TextDecoder();
  const u = (p: string) => vscode.Uri.parse(`daytona://${id}${home}/${p}`);

  before(async () => {
    s = await services();
    await connectLocal(s);
    id = (await s.connection.client().createSandbox({ name: `it-files-${Date.now().toString(36)}`, labels: { created_by: "it" } })).id;
    home = await (await s.targets.get(id)).homeDir();
  });

  after(async () => {
    await s.connection.client().delete(id).catch(() => undefined);
  });

  it("creates, lists, stats, reads, overwrites, renames, copies and deletes", async () => {
    await vscode.workspace.fs.createDirectory(u("proj"));
    await vscode.workspace.fs.writeFile(u("proj/a.txt"), enc.encode("hello"));
    const st = await vscode.workspace.fs.stat(u("proj/a.txt"));
    assert.equal(st.type, vscode.FileType.File);
    assert.equal(st.size, 5);
    assert.ok(Math.abs(st.mtime - Date.now()) < 120_000, `a real mtime: ${st.mtime}`);
    assert.deepEqual(await vscode.workspace.fs.readDirectory(u("proj")), [["a.txt", vscode.FileType.File]]);
    assert.equal(dec.decode(await vscode.workspace.fs.readFile(u("proj/a.txt"))), "hello");
    await vscode.workspace.fs.writeFile(u("proj/a.txt"), enc.encode("hello again"));
    assert.equal((await sh(s, id, `cat ${home}/proj/a.txt`)).result, "hello again");
    await vscode.workspace.fs.rename(u("proj/a.txt"), u("proj/b.txt"));
    await vscode.workspace.fs.copy(u("proj/b.txt"), u("proj/c.txt"));
    assert.deepEqual((await vscode.workspace.fs.readDirectory(u("proj"))).map(([n]) => n).sort(), ["b.txt", "c.txt"]);
    assert.equal(await code(vscode.workspace.fs.copy(u("proj/b.txt"), u("proj/c.txt"), { overwrite: false })), "FileExists");
    await vscode.workspace.fs.copy(u("proj/b.txt"), u("proj/c.txt"), { overwrite: true });
    await vscode.workspace.fs.delete(u("proj"), { recursive: true });
    assert.equal(await code(vscode.workspace.fs.stat(u("proj"))), "FileNotFound");
    assert.equal((await sh(s, id, `test -e ${home}/proj; echo $?`)).result.trim(), "1");
  });

  it("honours the provider's create/overwrite contract with FileSystemError codes", async () => {
    const fsp = s.fileSystem;
    const data = enc.encode("x");
    await vscode.workspace.fs.createDirectory(u("contract"));
    assert.equal(await code(fsp.writeFile(u("contract/new.txt"), data, { create: false, overwrite: true })), "FileNotFound");
    await fsp.writeFile(u("contract/new.txt"), data, { create: true, overwrite: false });
    assert.equal(await code(fsp.writeFile(u("contract/new.txt"), data, { create: true, overwrite: false })), "FileExists");
    assert.equal(await code(fsp.writeFile(u("contract"), data, { create: true, overwrite: true })), "FileIsADirectory");
    assert.equal(await code(fsp.writeFile(u("missing-dir/f.txt"), data, { create: true, overwrite: true })), "FileNotFound");
    assert.equal(await code(fsp.createDirectory(u("contract"))), "FileExists");
    assert.equal(await code(fsp.rename(u("contract/nope"), u("contract/x"), { overwrite: false })), "FileNotFound");
    assert.equal(await code(fsp.delete(u("contract/nope"), { recursive: false })), "FileNotFound");
    assert.equal(await code(fsp.readFile(u("contract/nope"))), "FileNotFound");
  });

  it("keeps a file's mode on save; a write the sandbox refuses is NoPermissions", async () => {
    await vscode.workspace.fs.writeFile(u("run.sh"), enc.encode("#!/bin/sh\necho one\n"));
    await sh(s, id, `chmod 750 ${home}/run.sh`);
    s.fileSystem.cache.clear();
    await vscode.workspace.fs.writeFile(u("run.sh"), enc.encode("#!/bin/sh\necho two\n"));
    assert.equal((await sh(s, id, `stat -c %a ${home}/run.sh`)).result.trim(), "750");
    const sys = vscode.Uri.parse(`daytona://${id}/etc/hostname`);
    const st = await vscode.workspace.fs.stat(vscode.Uri.parse(`daytona://${id}/etc`));
    assert.equal(st.type, vscode.FileType.Directory);
    assert.equal(await code(vscode.workspace.fs.writeFile(sys, enc.encode("x"))), "NoPermissions");
  });

  it("lists a folder in one request and stats its children for free", async () => {
    await vscode.workspace.fs.createDirectory(u("many"));
    for (let i = 0; i < 5; i++) await vscode.workspace.fs.writeFile(u(`many/f${i}.txt`), enc.encode(String(i)));
    s.fileSystem.cache.clear();
    await resetLocalStats(s);
    const entries = await vscode.workspace.fs.readDirectory(u("many"));
    for (const [name] of entries) await vscode.workspace.fs.stat(u(`many/${name}`));
    const stats = await localStats(s);
    assert.equal(stats.requests, 1, `one request for a listing and five stats: ${JSON.stringify(stats.byRoute)}`);
  });

  it("opens, edits and saves a document; a failed save keeps the edit and the next save succeeds", async () => {
    await vscode.workspace.fs.writeFile(u("doc.txt"), enc.encode("line one\n"));
    const doc = await vscode.workspace.openTextDocument(u("doc.txt"));
    await vscode.window.showTextDocument(doc);
    const edit = new vscode.WorkspaceEdit();
    edit.insert(doc.uri, new vscode.Position(1, 0), "line two\n");
    assert.ok(await vscode.workspace.applyEdit(edit));
    assert.ok(await doc.save(), "first save");
    assert.equal((await sh(s, id, `cat ${home}/doc.txt`)).result, "line one\nline two\n");

    // The sandbox stops under the editor: the save fails, the edit stays.
    await s.connection.client().stop(id);
    const edit2 = new vscode.WorkspaceEdit();
    edit2.insert(doc.uri, new vscode.Position(2, 0), "line three\n");
    await vscode.workspace.applyEdit(edit2);
    s.fileSystem.cache.clear();
    const saved = await doc.save().then((ok) => ok, () => false);
    assert.equal(saved, false, "the save failed");
    assert.equal(doc.isDirty, true, "the editor is still dirty");
    assert.match(doc.getText(), /line three/);
    await s.connection.client().start(id);
    await waitFor(async () => (await doc.save().then((ok) => ok, () => false)) && !doc.isDirty, "the next save succeeds", 30_000);
    assert.equal((await sh(s, id, `cat ${home}/doc.txt`)).result, "line one\nline two\nline three\n");
    await vscode.commands.executeCommand("workbench.action.closeAllEditors");
  });

  it("uploads a local folder into the sandbox and downloads it back, keeping contents", async () => {
    const fsn = await import("node:fs");
    const os = await import("node:os");
    const pathm = await import("node:path");
    const local = fsn.mkdtempSync(pathm.join(os.tmpdir(), "daytona-up-"));
    fsn.mkdirSync(pathm.join(local, "pkg", "sub"), { recursive: true });
    fsn.writeFileSync(pathm.join(local, "pkg", "a.txt"), "alpha");
    fsn.writeFileSync(pathm.join(local, "pkg", "sub", "b.bin"), Buffer.from([0, 1, 2, 255]));
    await vscode.workspace.fs.createDirectory(u("inbox"));
    const up = await vscode.commands.executeCommand<{ files: number }>("daytona.files.upload", u("inbox"), undefined, [vscode.Uri.file(pathm.join(local, "pkg"))]);
    assert.equal(up?.files, 2);
    assert.equal((await sh(s, id, `cat ${home}/inbox/pkg/a.txt; od -An -tx1 ${home}/inbox/pkg/sub/b.bin`)).result.replace(/\s+/g, " ").trim(), "alpha 00 01 02 ff");
    const back = fsn.mkdtempSync(pathm.join(os.tmpdir(), "daytona-down-"));
    const down = await vscode.commands.executeCommand<{ files: number }>("daytona.files.download", u("inbox/pkg"), undefined, vscode.Uri.file(back));
    assert.equal(down?.files, 2);
    assert.equal(fsn.readFileSync(pathm.join(back, "pkg", "a.txt"), "utf8"), "alpha");
    assert.deepEqual([...fsn.readFileSync(pathm.join(back, "pkg", "sub", "b.bin"))], [0, 1, 2, 255]);
  });

  it("refuses to download a folder whose listing holds a name with control characters (issue 18 finding 14)", async () => {
    const fsn = await import("node:fs");
    const os = await import("node:os");
    const pathm = await import("node:path");
    await sh(s, id, `mkdir -p ${home}/hostile && echo ok > ${home}/hostile/ok.txt && printf x > "${home}/hostile/$(printf 'bad\\nname')"`);
    const back = fsn.mkdtempSync(pathm.join(os.tmpdir(), "daytona-down-"));
    const down = await vscode.commands.executeCommand<{ files: number } | undefined>("daytona.files.download", u("hostile"), undefined, vscode.Uri.file(back));
    assert.equal(down, undefined, "the download is refused");
    assert.deepEqual(fsn.readdirSync(back), [], "nothing was written");
  });

  it("Open Files in Explorer adds the sandbox's home as a workspace folder", async () => {
    await vscode.commands.executeCommand("workbench.view.extension.daytona");
    await waitFor(() => s.sandboxes.provider.nodeFor(id) !== undefined, "the sandbox is in the tree");
    const uri = await vscode.commands.executeCommand<vscode.Uri>("daytona.sandbox.openFiles", s.sandboxes.provider.nodeFor(id), undefined, home);
    assert.ok(uri);
    await waitFor(() => !!vscode.workspace.workspaceFolders?.some((f) => f.uri.toString() === uri.toString()), "the folder is in the workspace");
    const folder = vscode.workspace.workspaceFolders!.find((f) => f.uri.toString() === uri.toString())!;
    vscode.workspace.updateWorkspaceFolders(folder.index, 1);
  });
});
