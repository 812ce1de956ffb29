// A real VS Code for tests, offline: code-server (VS Code's server + web workbench) in its own process
// group, and headless Debian chromium driven by playwright-core. Shared by the integration runner
// (extension tests inside the remote extension host) and the UI runner (what a person sees).
import { spawn, execFileSync } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { chromium } from "playwright-core";
import { globSync } from "glob";

const root = path.resolve(import.meta.dirname, "../..");

/**
 * Every local server the run started (the extension's own, a suite's extra ones) keeps its data dir
 * under `dir` and marks it with engine-instance: each one's containers, images, networks and volumes
 * are removed from the engine (local-server --purge), never another instance's. Servers are gone by now.
 */
export function purgeLocalServers(dir) {
  const server = path.join(root, "dist", "local-server.js");
  for (const marker of globSync("**/engine-instance", { cwd: dir, dot: true, absolute: true })) {
    const dataDir = path.dirname(marker);
    try {
      const out = execFileSync(process.execPath, [server, "--purge", "--data", dataDir], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], timeout: 120_000 });
      console.log(`[host] purged local server data ${dataDir}: ${out.trim()}`);
    } catch (e) {
      console.log(`[host] !!! could not purge ${dataDir} from the engine: ${e.message}`);
    }
  }
}

/** Runs test/host/setup-host.sh (idempotent) and returns its exports, or throws with what is missing. */
export function ensureHost() {
  const script = path.join(import.meta.dirname, "setup-host.sh");
  const out = execFileSync("bash", [script], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
  const env = {};
  for (const m of out.matchAll(/(\w+)=(\S+)/g)) env[m[1]] = m[2];
  return env;
}

export async function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

const defaultSettings = {
  "workbench.startupEditor": "none",
  "workbench.secondarySideBar.defaultVisibility": "hidden",
  "chat.disableAIFeatures": true,
  "telemetry.telemetryLevel": "off",
  "extensions.autoCheckUpdates": false,
  "extensions.autoUpdate": false,
  "update.mode": "none",
  "workbench.enableExperiments": false,
  "git.enabled": false,
  "security.workspace.trust.enabled": false,
  "terminal.integrated.gpuAcceleration": "off",
  "workbench.reduceMotion": "on",
  "workbench.tips.enabled": false,
};

function healthy(port) {
  return new Promise((r) =>
    http
      .get({ host: "127.0.0.1", port, path: "/healthz", timeout: 1000 }, (res) => {
        res.resume();
        r(res.statusCode === 200);
      })
      .on("error", () => r(false)),
  );
}

/**
 * Starts code-server. `env` is passed to the server and so to the extension host (tests read their
 * results file name and the local server's address from it).
 */
export async function startCodeServer({ host, extDir, workspace, outDir, settings = {}, env = {}, port: wanted }) {
  const port = wanted ?? (await freePort());
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "daytona-vsc-"));
  const run = path.join(tmp, "run");
  fs.mkdirSync(path.join(run, "ud/User"), { recursive: true });
  fs.writeFileSync(path.join(run, "ud/User/settings.json"), JSON.stringify({ ...defaultSettings, ...settings }, null, 2));
  const xdg = path.join(run, "xdg");
  const childEnv = {
    ...process.env,
    ...env,
    TMPDIR: tmp,
    XDG_CONFIG_HOME: `${xdg}/config`,
    XDG_DATA_HOME: `${xdg}/data`,
    XDG_CACHE_HOME: `${xdg}/cache`,
    XDG_STATE_HOME: `${xdg}/state`,
    PATH: `${host.NODE24_BIN}:${process.env.PATH}`,
  };
  const args = [
    "--bind-addr", `127.0.0.1:${port}`, "--auth", "none", "--disable-telemetry", "--disable-update-check",
    "--disable-workspace-trust", "--reconnection-grace-time", "5", "--user-data-dir", `${run}/ud`,
    "--extensions-dir", `${run}/ext`, "--config", `${run}/config.yaml`,
    // Without the smoke-test driver the workbench ignores the payload that names the extension under test.
    "--vscode-option", "enable-smoke-test-driver",
    workspace,
  ];
  fs.mkdirSync(outDir, { recursive: true });
  const log = fs.openSync(path.join(outDir, "code-server.log"), "w");
  const cs = spawn(host.CODE_SERVER, args, { env: childEnv, detached: true, stdio: ["ignore", log, log] });
  const kill = (sig) => {
    try {
      process.kill(-cs.pid, sig);
    } catch {
      /* already gone */
    }
  };
  const onExit = () => kill("SIGKILL");
  process.on("exit", onExit);
  for (let i = 0; !(await healthy(port)); i++) {
    if (i > 600 || cs.exitCode !== null) throw new Error(`code-server did not start, see ${outDir}/code-server.log`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const origin = `127.0.0.1:${port}`;
  return {
    port,
    /** The user settings.json the workbench writes to (checks compare it before and after). */
    settingsFile: path.join(run, "ud/User/settings.json"),
    /** The workbench URL for `workspace`, with the extension under development and optionally its tests. */
    url(testsEntry) {
      const payload = [["extensionDevelopmentPath", `vscode-remote://${origin}${extDir}`]];
      if (testsEntry) payload.push(["extensionTestsPath", `vscode-remote://${origin}${testsEntry}`]);
      return `http://${origin}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
    },
    async stop() {
      kill("SIGTERM");
      const deadline = Date.now() + 4000;
      while (cs.exitCode === null && cs.signalCode === null && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      kill("SIGKILL");
      process.off("exit", onExit);
      purgeLocalServers(tmp);
      fs.rmSync(tmp, { recursive: true, force: true });
    },
  };
}

export async function launchBrowser(host, outDir) {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), "daytona-chrome-"));
  const ctx = await chromium.launchPersistentContext(profile, {
    executablePath: host.CHROMIUM || "/usr/bin/chromium",
    headless: true,
    viewport: { width: 1280, height: 800 },
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  const browserLog = path.join(outDir, "browser.log");
  ctx.on("page", (page) => {
    page.on("pageerror", (e) => fs.appendFileSync(browserLog, `pageerror ${e}\n`));
    page.on("console", (m) => fs.appendFileSync(browserLog, `${m.type()} ${m.text()}\n`));
  });
  return {
    ctx,
    async close() {
      await ctx.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}
