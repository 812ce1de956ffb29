// Memory of opening and saving a 100 MB file through the daytona: file system's path (SandboxTarget,
// the same read/write the FileSystemProvider calls), against a local server in its own process so
// only the extension side is measured. Baseline: the file's size; a ratio near 1 means one copy held.
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as readline from "node:readline";
import { DaytonaClient } from "../src/core/daytona/client";
import { SandboxTarget } from "../src/core/targets/sandboxTarget";
import { row, type Row } from "./lib";

const SIZE = 100 * 1024 * 1024;

function sampler(): { stop(): number } {
  const base = process.memoryUsage();
  let peak = 0;
  const take = () => {
    const m = process.memoryUsage();
    peak = Math.max(peak, m.rss - base.rss, m.arrayBuffers - base.arrayBuffers);
  };
  const timer = setInterval(take, 5);
  return {
    stop() {
      clearInterval(timer);
      take();
      return peak;
    },
  };
}

export async function benchLargeFile(): Promise<Row[]> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "daytona-bench-large-"));
  const child = spawn(process.execPath, [path.resolve(__dirname, "../dist/local-server.js"), "--port", "0", "--data", dataDir], { stdio: ["ignore", "pipe", "ignore"] });
  try {
    const info = JSON.parse(await new Promise<string>((r) => readline.createInterface({ input: child.stdout! }).once("line", r))) as { apiUrl: string; token: string };
    const client = new DaytonaClient({ apiUrl: info.apiUrl, apiKey: info.token, target: "local" });
    const sb = await client.createSandbox({ name: "large-file" });
    const sdk = await client.toolbox(sb.id);
    await sdk.process.executeCommand("head -c 104857600 /dev/urandom > ~/big.bin");
    const target = await SandboxTarget.create(sdk, sb.name);
    const home = await target.homeDir();
    global.gc?.();
    const readMem = sampler();
    const [, listed] = (await target.list(home)).find(([n]) => n === "big.bin")!;
    const data = await target.read(`${home}/big.bin`, listed.size);
    const readPeak = readMem.stop();
    if (data.byteLength !== SIZE) throw new Error(`read ${data.byteLength} bytes`);
    const writeMem = sampler();
    await target.write(`${home}/big-copy.bin`, data);
    const writePeak = writeMem.stop();
    const same = await sdk.process.executeCommand("cmp ~/big.bin ~/big-copy.bin && echo same");
    if (!same.result?.includes("same")) throw new Error("the saved copy differs");
    await client.delete(sb.id);
    await client.dispose();
    const mb = (n: number) => n / 1024 / 1024;
    return [
      row("open a 100 MB file: peak memory", 0, mb(readPeak), mb(SIZE), "MB", "peak growth of RSS or array buffers in the extension's process while reading; baseline = the file's size"),
      row("save a 100 MB file: extra peak memory", 0, mb(writePeak), mb(SIZE), "MB", "peak growth while writing it back, the content already in memory; baseline = the file's size"),
    ];
  } finally {
    child.kill("SIGTERM");
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  void benchLargeFile().then((rows) => console.log(JSON.stringify(rows, null, 2)));
}
