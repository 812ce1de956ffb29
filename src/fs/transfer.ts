// Copy files and folders between the local disk and a daytona: folder (either direction) through
// vscode.workspace.fs, with progress per file and cancellation between files.
import * as vscode from "vscode";
import { checkRemoteName } from "../core/targets/remoteName";

export interface TransferResult {
  files: number;
  bytes: number;
  cancelled: boolean;
}

async function collect(src: vscode.Uri, dst: vscode.Uri, out: Array<{ src: vscode.Uri; dst: vscode.Uri; dir: boolean }>, token: vscode.CancellationToken): Promise<void> {
  if (token.isCancellationRequested) return;
  const stat = await vscode.workspace.fs.stat(src);
  if (stat.type & vscode.FileType.Directory) {
    out.push({ src, dst, dir: true });
    for (const [name] of await vscode.workspace.fs.readDirectory(src)) {
      // A listing is the other side's answer: a name must be one segment before it becomes a path.
      checkRemoteName(name, src.toString());
      await collect(vscode.Uri.joinPath(src, name), vscode.Uri.joinPath(dst, name), out, token);
    }
  } else {
    out.push({ src, dst, dir: false });
  }
}

export async function transfer(sources: readonly vscode.Uri[], destinationFolder: vscode.Uri, title: string): Promise<TransferResult> {
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (progress, token) => {
    const items: Array<{ src: vscode.Uri; dst: vscode.Uri; dir: boolean }> = [];
    for (const src of sources) {
      const name = checkRemoteName(src.path.split("/").filter(Boolean).pop() ?? "file", src.toString());
      await collect(src, vscode.Uri.joinPath(destinationFolder, name), items, token);
    }
    const files = items.filter((i) => !i.dir).length;
    let done = 0;
    let bytes = 0;
    for (const item of items) {
      if (token.isCancellationRequested) return { files: done, bytes, cancelled: true };
      if (item.dir) {
        await vscode.workspace.fs.createDirectory(item.dst);
        continue;
      }
      const data = await vscode.workspace.fs.readFile(item.src);
      await vscode.workspace.fs.writeFile(item.dst, data);
      done++;
      bytes += data.byteLength;
      progress.report({ message: `${done}/${files} ${item.src.path.split("/").pop()}`, increment: 100 / Math.max(files, 1) });
    }
    return { files: done, bytes, cancelled: false };
  });
}
