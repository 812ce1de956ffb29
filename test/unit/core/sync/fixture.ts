// A generated workspace for the sync tests, and helpers to look at what a sync sent.
import * as fs from "node:fs/promises";
import * as path from "node:path";
import { Readable } from "node:stream";
import { inflateRawSync } from "node:zlib";
import assert from "node:assert/strict";
import * as tar from "tar";
import type { SyncTarget } from "../../../../src/core/sync";

export const HOSTILE = `we'ird $(touch pwned) "name"\nline ü.txt`;

/** Files that must arrive, with their content; everything else in the folder is ignored or refused. */
export async function makeWorkspace(root: string): Promise<Record<string, string>> {
  const files: Record<string, string> = {
    ".gitignore": "*.log\nbuild/\n!keep.log\n",
    ".daytonaignore": "big-data/\n",
    "keep.log": "kept by negation\n",
    "src/a.ts": "export const a = 1;\n",
    "src/nested/deep/b.ts": "export const b = 2;\n",
    "sub/.gitignore": "secret.txt\n/local-only/\n",
    "sub/visible.txt": "visible\n",
    "run.sh": "#!/bin/sh\necho run\n",
    [`src/${HOSTILE}`]: "hostile\n",
    "-dash.txt": "dash\n",
  };
  const ignored: Record<string, string> = {
    "app.log": "ignored\n",
    "build/out.js": "ignored\n",
    "sub/secret.txt": "ignored\n",
    "sub/local-only/x.txt": "ignored\n",
    "big-data/blob.bin": "ignored\n",
    ".git/HEAD": "ref: refs/heads/main\n",
    "src/.git": "gitdir: elsewhere\n",
  };
  for (const [p, c] of Object.entries({ ...files, ...ignored })) {
    await fs.mkdir(path.dirname(path.join(root, p)), { recursive: true });
    await fs.writeFile(path.join(root, p), c);
  }
  await fs.chmod(path.join(root, "run.sh"), 0o755);
  await fs.mkdir(path.join(root, "empty/inner"), { recursive: true });
  await fs.symlink("src/a.ts", path.join(root, "link-in"));
  await fs.symlink("../../etc/passwd", path.join(root, "link-out"));
  return files;
}

/** A target that records every upload body and command while passing them on. */
export function spyTarget(inner: SyncTarget): SyncTarget & { uploads: Buffer[]; commands: string[] } {
  const uploads: Buffer[] = [];
  const commands: string[] = [];
  return {
    id: inner.id,
    uploads,
    commands,
    upload(source, remotePath, signal) {
      const chunks: Buffer[] = [];
      const tee = Readable.from(
        (async function* () {
          for await (const c of source) {
            chunks.push(c as Buffer);
            yield c as Buffer;
          }
          uploads.push(Buffer.concat(chunks));
        })(),
      );
      return inner.upload(tee, remotePath, signal);
    },
    exec(command, cwd) {
      commands.push(command);
      return inner.exec(command, cwd);
    },
    download: (p) => inner.download(p),
  };
}

/** Entry paths in a recorded upload: gunzip the payload (the sections after it are ignored) and list. */
export function archiveEntries(upload: Buffer): string[] {
  // Raw inflate after zlib's fixed 10-byte gzip header stops at the last deflate block, so the gzip
  // trailer and the sections that follow are left alone (gunzip would reject them as a bad member).
  assert.deepEqual([...upload.subarray(0, 4)], [0x1f, 0x8b, 8, 0], "a gzip member without optional header fields");
  const plain = inflateRawSync(upload.subarray(10));
  const names: string[] = [];
  const parser = new tar.Parser({ onReadEntry: (e) => (names.push(e.path), e.resume()) });
  parser.end(plain);
  return names;
}
