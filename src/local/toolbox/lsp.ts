// The LSP routes (/lsp/...): one language server per (language, project) in a sandbox, run inside it
// over stdio. Python uses pylsp (Debian: python3-pylsp), TypeScript/JavaScript use
// typescript-language-server; when the sandbox has neither installed, start says so (400) instead of
// pretending. Paths in URIs may be relative: they are under the home dir, as for every toolbox route.
import * as path from "node:path";
import { ToolboxError, type SandboxRuntime, type SandboxRuntimeInfo } from "../contract";
import { ignorePipeErrors, invalidBody, optString, query, readJson, sendJson, type Ctx, type Route } from "./http";
import { LspClient, METHOD_NOT_FOUND } from "./lspClient";

/** argv that starts the language's server, or explains on stderr what to install and exits 127. */
const SERVERS: Record<string, string[]> = {
  python: [
    "/bin/sh",
    "-c",
    'command -v pylsp >/dev/null 2>&1 && exec pylsp; python3 -c "import pylsp" >/dev/null 2>&1 && exec python3 -m pylsp; echo "no Python language server in the sandbox: install python3-pylsp (Debian) or python-lsp-server (pip)" >&2; exit 127',
  ],
  typescript: [
    "/bin/sh",
    "-c",
    'command -v typescript-language-server >/dev/null 2>&1 && exec typescript-language-server --stdio; echo "no TypeScript language server in the sandbox: install typescript-language-server and typescript (npm)" >&2; exit 127',
  ],
};
SERVERS.javascript = SERVERS.typescript;

interface RawSymbol {
  name: string;
  kind: number;
  location?: { uri: string; range: unknown };
  range?: unknown;
  children?: RawSymbol[];
}

class Server {
  readonly open = new Set<string>();
  constructor(
    readonly client: LspClient,
    readonly root: string,
  ) {}
}

export class LspManager {
  private readonly servers = new Map<string, Map<string, Server>>();

  constructor(private readonly runtime: SandboxRuntime) {}

  private key(languageId: string, project: string): string {
    return `${languageId}\0${project}`;
  }

  private dir(info: SandboxRuntimeInfo, p: string): string {
    return path.posix.resolve(this.runtime.homeDir(info), p);
  }

  /** `file://` + a path (relative ones under the home dir) as the absolute URI the server knows. */
  uri(info: SandboxRuntimeInfo, raw: string): { uri: string; file: string } {
    const file = this.dir(info, decodeURIComponent(raw.replace(/^file:\/\//, "")));
    return { uri: `file://${file.split("/").map(encodeURIComponent).join("/")}`, file };
  }

  async start(info: SandboxRuntimeInfo, languageId: string, project: string): Promise<void> {
    const argv = Object.hasOwn(SERVERS, languageId) ? SERVERS[languageId] : undefined;
    if (!argv) throw new ToolboxError(400, "BAD_REQUEST", `bad request: unsupported language: ${languageId}`);
    const m = this.servers.get(info.id) ?? new Map<string, Server>();
    this.servers.set(info.id, m);
    const key = this.key(languageId, project);
    if (m.has(key)) return;
    const root = this.dir(info, project);
    const proc = await this.runtime.spawn(info, argv, { cwd: root });
    ignorePipeErrors(proc);
    const client = new LspClient(proc);
    const rootUri = this.uri(info, root).uri;
    try {
      await Promise.race([
        client.request("initialize", {
          processId: null,
          rootUri,
          rootPath: root,
          workspaceFolders: [{ uri: rootUri, name: path.posix.basename(root) }],
          capabilities: { textDocument: { documentSymbol: { hierarchicalDocumentSymbolSupport: true }, completion: { completionItem: { snippetSupport: false } } }, workspace: { symbol: {} } },
        }),
        client.exited.then((code) => {
          throw new Error(`exited with code ${code}`);
        }),
      ]);
    } catch (e) {
      client.kill();
      throw new ToolboxError(400, "BAD_REQUEST", `could not start the ${languageId} language server: ${e instanceof Error ? e.message : String(e)}`);
    }
    client.notify("initialized", {});
    const server = new Server(client, root);
    m.set(key, server);
    void client.exited.then(() => m.get(key) === server && m.delete(key));
  }

  get(info: SandboxRuntimeInfo, languageId: string, project: string): Server {
    const s = this.servers.get(info.id)?.get(this.key(languageId, project));
    if (!s) throw new ToolboxError(400, "LSP_SERVER_NOT_INITIALIZED", "LSP server not initialized");
    return s;
  }

  async stop(info: SandboxRuntimeInfo, languageId: string, project: string): Promise<void> {
    const s = this.get(info, languageId, project);
    this.servers.get(info.id)?.delete(this.key(languageId, project));
    await s.client.stop();
  }

  /** A document as the server needs it open: its text, read inside the sandbox. */
  async didOpen(info: SandboxRuntimeInfo, s: Server, languageId: string, raw: string): Promise<void> {
    const { uri, file } = this.uri(info, raw);
    const proc = await this.runtime.spawn(info, ["cat", "--", file]);
    ignorePipeErrors(proc);
    proc.stdin.end();
    const chunks: Buffer[] = [];
    proc.stdout.on("data", (d: Buffer) => chunks.push(d));
    proc.stderr.resume();
    const code = await proc.exited;
    if (code !== 0) throw new ToolboxError(404, "FILE_NOT_FOUND", `file not found: ${file}`);
    await new Promise<void>((r) => (proc.stdout.readableEnded ? r() : proc.stdout.once("close", () => r())));
    if (s.open.has(uri)) s.client.notify("textDocument/didClose", { textDocument: { uri } });
    s.open.add(uri);
    s.client.notify("textDocument/didOpen", { textDocument: { uri, languageId, version: 1, text: Buffer.concat(chunks).toString("utf8") } });
  }

  didClose(info: SandboxRuntimeInfo, s: Server, raw: string): void {
    const { uri } = this.uri(info, raw);
    s.open.delete(uri);
    s.client.notify("textDocument/didClose", { textDocument: { uri } });
  }

  async documentSymbols(info: SandboxRuntimeInfo, s: Server, raw: string): Promise<unknown[]> {
    const { uri } = this.uri(info, raw);
    const result = await s.client.request<RawSymbol[] | null>("textDocument/documentSymbol", { textDocument: { uri } });
    return flatten(result ?? [], uri);
  }

  async workspaceSymbols(s: Server, q: string): Promise<unknown[]> {
    try {
      const result = await s.client.request<RawSymbol[] | null>("workspace/symbol", { query: q });
      return flatten(result ?? [], "");
    } catch (e) {
      // Older servers (Debian's pylsp 1.7) do not implement it: say so rather than answer an empty list.
      if ((e as { rpcCode?: unknown }).rpcCode === METHOD_NOT_FOUND) throw new ToolboxError(400, "BAD_REQUEST", "this language server does not support workspace symbols (workspace/symbol)");
      throw e;
    }
  }

  async completions(info: SandboxRuntimeInfo, s: Server, raw: string, position: unknown, context: unknown): Promise<{ isIncomplete: boolean; items: unknown[] }> {
    const { uri } = this.uri(info, raw);
    const r = await s.client.request<{ isIncomplete?: boolean; items?: unknown[] } | unknown[] | null>("textDocument/completion", {
      textDocument: { uri },
      position,
      ...(context ? { context } : {}),
    });
    if (Array.isArray(r)) return { isIncomplete: false, items: r };
    return { isIncomplete: r?.isIncomplete ?? false, items: r?.items ?? [] };
  }

  closeSandbox(sandboxId: string): void {
    for (const s of this.servers.get(sandboxId)?.values() ?? []) s.client.kill();
    this.servers.delete(sandboxId);
  }

  closeAll(): void {
    for (const id of [...this.servers.keys()]) this.closeSandbox(id);
  }
}

/** Daytona's LspSymbol list from either answer shape (SymbolInformation[] or nested DocumentSymbol[]). */
function flatten(symbols: RawSymbol[], uri: string): unknown[] {
  const out: unknown[] = [];
  const walk = (list: RawSymbol[]) => {
    for (const s of list) {
      out.push({ name: s.name, kind: s.kind, location: s.location ?? { uri, range: s.range } });
      if (s.children) walk(s.children);
    }
  };
  walk(symbols);
  return out;
}

function position(v: unknown): { line: number; character: number } {
  const p = v as { line?: unknown; character?: unknown } | undefined;
  if (!p || !Number.isInteger(p.line) || !Number.isInteger(p.character)) throw invalidBody("position must be {line, character} integers");
  return { line: p.line as number, character: p.character as number };
}

export function lspRoutes(lsp: LspManager): Route[] {
  const server = async (ctx: Ctx) => {
    const body = await readJson(ctx.req);
    const languageId = optString(body, "languageId");
    const project = optString(body, "pathToProject");
    if (!languageId || !project) throw invalidBody("languageId and pathToProject are required");
    return { body, languageId, project };
  };
  const started = (ctx: Ctx, languageId: string, project: string) => lsp.get(ctx.info, languageId, project);
  const uriOf = (body: Record<string, unknown>) => {
    const uri = optString(body, "uri");
    if (!uri) throw invalidBody("uri is required");
    return uri;
  };
  return [
    {
      method: "POST",
      pattern: /^\/lsp\/start$/,
      handler: async (ctx) => {
        const r = await server(ctx);
        await lsp.start(ctx.info, r.languageId, r.project);
        sendJson(ctx.res, 200, {});
      },
    },
    {
      method: "POST",
      pattern: /^\/lsp\/stop$/,
      handler: async (ctx) => {
        const r = await server(ctx);
        await lsp.stop(ctx.info, r.languageId, r.project);
        sendJson(ctx.res, 200, {});
      },
    },
    {
      method: "POST",
      pattern: /^\/lsp\/did-open$/,
      handler: async (ctx) => {
        const r = await server(ctx);
        await lsp.didOpen(ctx.info, started(ctx, r.languageId, r.project), r.languageId, uriOf(r.body));
        sendJson(ctx.res, 200, {});
      },
    },
    {
      method: "POST",
      pattern: /^\/lsp\/did-close$/,
      handler: async (ctx) => {
        const r = await server(ctx);
        lsp.didClose(ctx.info, started(ctx, r.languageId, r.project), uriOf(r.body));
        sendJson(ctx.res, 200, {});
      },
    },
    {
      method: "POST",
      pattern: /^\/lsp\/completions$/,
      handler: async (ctx) => {
        const r = await server(ctx);
        const s = started(ctx, r.languageId, r.project);
        sendJson(ctx.res, 200, await lsp.completions(ctx.info, s, uriOf(r.body), position(r.body.position), r.body.context));
      },
    },
    {
      method: "GET",
      pattern: /^\/lsp\/document-symbols$/,
      handler: async (ctx) => {
        const s = started(ctx, query(ctx, "languageId"), query(ctx, "pathToProject"));
        sendJson(ctx.res, 200, await lsp.documentSymbols(ctx.info, s, query(ctx, "uri")));
      },
    },
    {
      method: "GET",
      pattern: /^\/lsp\/workspacesymbols$/,
      handler: async (ctx) => {
        const s = started(ctx, query(ctx, "languageId"), query(ctx, "pathToProject"));
        sendJson(ctx.res, 200, await lsp.workspaceSymbols(s, ctx.url.searchParams.get("query") ?? ""));
      },
    },
  ];
}
