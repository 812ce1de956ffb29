// What a DinD sandbox's docker CLI may ask of the engine (an allow-list), checked by its proxy before
// anything is forwarded. Everything that would reach the host is refused: privileged containers, bind
// mounts of host paths (a bind source is a path in the sandbox, mapped onto its own file system and
// started race-free, see binds.ts), host pid/net/ipc/uts/userns/cgroup namespaces,
// devices, added capabilities, security options other than no-new-privileges, sysctls, cgroup parents,
// other runtimes, volumes with driver options (a "local" volume with o=bind is a host bind), remote
// build contexts (the engine would fetch them from the host's network), plugins and swarm. Every
// container, network and volume it makes is labelled as the sandbox's; only those can be touched
// later (the sandbox's own container is not one of them: it cannot raise its own limits). Published
// ports are bound to the host's 127.0.0.1 only. Containers on the default network join the sandbox's
// own network instead (the engine's default bridge is shared by every container of the host).
import type Docker from "dockerode";
import * as path from "node:path";
import { checkNoSymlinks, mergedDir, outsideBindStarts, startWithBinds } from "./binds";
import { BINDS_LABEL, checkContainerCreate, checkExecCreate, checkRestartPolicy, checkNetworkCreate, checkVolumeCreate, GuardRefusal, type CreateChecks } from "./guardRules";

/** The label the proxy puts on everything a DinD sandbox makes (the value: the sandbox id). */
export const DIND_LABEL = "io.daytona.local.dind.sandbox";
export const DIND_INSTANCE_LABEL = "io.daytona.local.instance";
/** On containers with bind mounts of the sandbox's paths: started only with the sandbox frozen (binds.ts). */
export const DIND_BINDS_LABEL = BINDS_LABEL;

export { GuardRefusal };

export interface GuardOptions {
  sandboxId: string;
  instance: string;
  /** The sandbox's own container name (connected to the networks the sandbox makes). */
  sandboxContainer: string;
}

export interface GuardDecision {
  /** The path to forward (query rewritten, e.g. list filters). */
  path: string;
  /** The body to forward instead of the client's (create calls). */
  body?: Buffer;
  /** Run after the engine answered 2xx (e.g. connect the sandbox to a network it made). */
  after?(responseBody: Buffer): Promise<void>;
  /** Wraps the engine call (`forward` resolves once the answer is in): a start with bind mounts. */
  around?(forward: () => Promise<void>): Promise<void>;
}

export interface Guard {
  /** True when `check` needs the request body (create calls are read whole and rewritten). */
  needsBody(method: string, path: string): boolean;
  /** Decide; throws GuardRefusal with the status and message the client gets. */
  check(method: string, rawPath: string, body?: Buffer): Promise<GuardDecision>;
  /** The sandbox's own network for containers asking for the default one (made on first use). */
  readonly ownNetwork: string;
}

const VERSION = /^\/v[0-9.]+(?=\/)/;

function parseJson(body: Buffer | undefined): Record<string, unknown> {
  if (!body || body.length === 0) return {};
  let v: unknown;
  try {
    v = JSON.parse(body.toString("utf8"));
  } catch {
    throw new GuardRefusal(400, "request body is not valid JSON");
  }
  if (!v || typeof v !== "object" || Array.isArray(v)) throw new GuardRefusal(400, "request body must be a JSON object");
  return v as Record<string, unknown>;
}

/** Adds `label=<DIND_LABEL>=<id>` to a list call's `filters` query parameter. */
function withLabelFilter(url: URL, label: string): string {
  let filters: Record<string, unknown> = {};
  try {
    filters = JSON.parse(url.searchParams.get("filters") || "{}") as Record<string, unknown>;
  } catch {
    throw new GuardRefusal(400, "filters is not valid JSON");
  }
  const labels = filters.label;
  // The two JSON shapes the engine accepts: ["k=v"] and {"k=v": true}.
  if (labels && typeof labels === "object" && !Array.isArray(labels)) (labels as Record<string, boolean>)[label] = true;
  else filters.label = [...(Array.isArray(labels) ? (labels as string[]) : []), label];
  url.searchParams.set("filters", JSON.stringify(filters));
  return url.pathname + url.search;
}

/** The path with its object segment (/containers/<x>/..., /networks/<x>/...) replaced by `id`. */
function withId(url: URL, id: string): string {
  const prefix = VERSION.exec(url.pathname)?.[0] ?? "";
  const parts = url.pathname.slice(prefix.length).split("/");
  parts[2] = encodeURIComponent(id);
  return prefix + parts.join("/") + url.search;
}

export function createGuard(docker: Docker, o: GuardOptions): Guard {
  const mine = `${DIND_LABEL}=${o.sandboxId}`;
  const labels = { [DIND_LABEL]: o.sandboxId, [DIND_INSTANCE_LABEL]: o.instance };
  const ownNetwork = `${o.sandboxContainer}-net`;

  const isMine = (l: Record<string, string> | null | undefined): boolean => l?.[DIND_LABEL] === o.sandboxId && l?.[DIND_INSTANCE_LABEL] === o.instance;

  // Both resolve with the full id, which is what gets forwarded: a name or id prefix could otherwise be
  // re-pointed between the check and the call (rename or remove one's own container named "ab", and
  // "ab" resolves as the id prefix of another one).
  async function ownedContainer(idOrName: string): Promise<string> {
    if (!idOrName || idOrName.includes("/")) throw new GuardRefusal(400, `bad container name ${JSON.stringify(idOrName)}`);
    const c = await docker
      .getContainer(idOrName)
      .inspect()
      .catch(() => undefined);
    if (!c || !isMine(c.Config.Labels)) throw new GuardRefusal(404, `No such container: ${idOrName} (a sandbox sees only its own containers)`);
    return c.Id;
  }
  async function hasBinds(id: string): Promise<boolean> {
    const c = await docker
      .getContainer(id)
      .inspect()
      .catch(() => undefined);
    return Boolean(c?.Config.Labels?.[DIND_BINDS_LABEL]);
  }
  async function ownedNetwork(idOrName: string, missingOk = false): Promise<string | undefined> {
    if (!idOrName || idOrName.includes("/")) throw new GuardRefusal(400, `bad network name ${JSON.stringify(idOrName)}`);
    const n = (await docker
      .getNetwork(idOrName)
      .inspect()
      .catch(() => undefined)) as { Id: string; Labels?: Record<string, string> } | undefined;
    if (!n) {
      if (missingOk) return undefined;
      throw new GuardRefusal(404, `network ${idOrName} not found`);
    }
    if (!isMine(n.Labels)) throw new GuardRefusal(403, `network ${idOrName} belongs to something else than this sandbox`);
    return n.Id;
  }
  async function ownedVolume(name: string, missingOk = false): Promise<boolean> {
    if (!name || name.includes("/")) throw new GuardRefusal(400, `bad volume name ${JSON.stringify(name)}`);
    const v = (await docker
      .getVolume(name)
      .inspect()
      .catch(() => undefined)) as { Labels?: Record<string, string> | null } | undefined;
    if (!v) {
      if (missingOk) return false;
      throw new GuardRefusal(404, `volume ${name} not found`);
    }
    if (!isMine(v.Labels)) throw new GuardRefusal(403, `volume ${name} belongs to something else than this sandbox`);
    return true;
  }
  async function ownedImageOrNew(name: string): Promise<void> {
    if (/^daytona-local\//i.test(name)) throw new GuardRefusal(403, `image names under daytona-local/ are the local server's`);
    const img = await docker
      .getImage(name)
      .inspect()
      .catch(() => undefined);
    if (img && !isMine(img.Config?.Labels)) throw new GuardRefusal(403, `image ${name} exists and is not this sandbox's: choose another name`);
  }
  async function ensureOwnNetwork(): Promise<void> {
    if (await ownedNetwork(ownNetwork, true)) return;
    await docker.createNetwork({ Name: ownNetwork, Driver: "bridge", CheckDuplicate: true, Labels: labels }).catch((e: unknown) => {
      if ((e as { statusCode?: number }).statusCode !== 409) throw e;
    });
    await connectSandbox(ownNetwork);
  }
  async function connectSandbox(network: string): Promise<void> {
    await docker
      .getNetwork(network)
      .connect({ Container: o.sandboxContainer })
      .catch((e: unknown) => {
        const msg = String((e as { message?: string }).message ?? e);
        if (!/already exists|already attached/i.test(msg)) throw e;
      });
  }

  const checks: CreateChecks = {
    labels,
    async translateBind(inside) {
      await checkNoSymlinks(docker, o.sandboxContainer, inside);
      return (await mergedDir(docker, o.sandboxContainer)) + path.posix.normalize(inside);
    },
    ownNetwork,
    ensureOwnNetwork,
    ownedContainer,
    hasBinds,
    ownedNetwork: (n) => ownedNetwork(n).then(() => undefined),
    ownedVolume: async (name) => {
      await ownedVolume(name, false);
    },
  };

  return {
    ownNetwork,
    needsBody(method, rawPath) {
      const p = rawPath.replace(VERSION, "").split("?")[0];
      return method === "POST" && (/^\/(containers|networks|volumes)\/create$/.test(p) || /^\/containers\/[^/]+\/(exec|update)$/.test(p) || /^\/networks\/[^/]+\/(connect|disconnect)$/.test(p));
    },
    async check(method, rawPath, body) {
      const url = new URL(rawPath, "http://docker");
      const p = url.pathname.replace(VERSION, "");
      const seg = p.split("/").filter(Boolean).map(decodeURIComponent);
      const pass = (): GuardDecision => ({ path: rawPath });
      const [top, id, action] = seg;
      switch (top) {
        case "_ping":
        case "version":
        case "info":
          return pass();
        case "events":
          // Only the sandbox's own containers' events (the engine's stream names every container of the host).
          return { path: withLabelFilter(url, mine) };
        case "system":
          if (id === "df" && method === "GET") return pass();
          break;
        case "containers": {
          if (id === "json" && method === "GET") return { path: withLabelFilter(url, mine) };
          if (id === "create" && method === "POST") {
            const spec = parseJson(body);
            // A 404 on create makes the docker CLI pull the image ("Unable to find image"): a container
            // named in the body that is not the sandbox's is a refusal (403) with the same message.
            await checkContainerCreate(spec, checks).catch((e: unknown) => {
              throw e instanceof GuardRefusal && e.status === 404 ? new GuardRefusal(403, e.message) : e;
            });
            return { path: rawPath, body: Buffer.from(JSON.stringify(spec)) };
          }
          if (id === "prune") throw new GuardRefusal(403, "prune is not available in a sandbox: remove containers one by one");
          if (!id) break;
          const full = await ownedContainer(id);
          const byId = withId(url, full);
          const post = method === "POST";
          if (await hasBinds(full)) {
            // The engine mounts the bind sources again at every start and every copy (binds.ts).
            const startChecked = (forward: () => Promise<void>) => startWithBinds(docker, { sandboxContainer: o.sandboxContainer, label: mine, container: full, start: forward });
            if (action === "start" && post) return { path: byId, around: startChecked };
            if (action === "restart" && post) {
              const t = Number(url.searchParams.get("t") ?? "10");
              return {
                path: withId(new URL(`${url.pathname.replace(/\/restart$/, "/start")}`, "http://docker"), full),
                around: async (forward) => {
                  await docker.getContainer(full).stop({ t: Number.isFinite(t) ? t : 10 }).catch((e: unknown) => {
                    if ((e as { statusCode?: number }).statusCode !== 304) throw e;
                  });
                  await startChecked(forward);
                },
              };
            }
            if (action === "archive" || action === "export") throw new GuardRefusal(403, `local Daytona sandbox: copying files in or out of a container with bind mounts of the sandbox's folders is not available (the engine would mount them unchecked): use the bound folder in the sandbox`);
            if (action === "update" && post) {
              const spec = parseJson(body);
              checkRestartPolicy(spec.RestartPolicy);
              return { path: byId, body: Buffer.from(JSON.stringify(spec)) };
            }
          }
          // A thawed container could write to the sandbox's files while a start with binds checks them.
          if (action === "unpause" && post) return { path: byId, around: (forward) => outsideBindStarts(o.sandboxContainer, forward) };
          if (action === "exec" && method === "POST") {
            const spec = parseJson(body);
            checkExecCreate(spec);
            return { path: byId, body: Buffer.from(JSON.stringify(spec)) };
          }
          // attach, wait, logs, resize, kill, rename, update, archive, ...: all on this container only.
          return { path: byId };
        }
        case "exec": {
          if (!id) break;
          const e = await docker
            .getExec(id)
            .inspect()
            .catch(() => undefined);
          if (!e) throw new GuardRefusal(404, `No such exec instance: ${id}`);
          await ownedContainer(e.ContainerID);
          return pass();
        }
        case "networks": {
          if (!id && method === "GET") return { path: withLabelFilter(url, mine) };
          if (id === "create" && method === "POST") {
            const spec = parseJson(body);
            checkNetworkCreate(spec, labels);
            const name = String(spec.Name);
            return {
              path: rawPath,
              body: Buffer.from(JSON.stringify(spec)),
              // The sandbox joins what it makes, so it reaches its services by name and address.
              after: () => connectSandbox(name),
            };
          }
          if (id === "prune") throw new GuardRefusal(403, "prune is not available in a sandbox");
          if (!id) break;
          // A name not in use: let the engine answer 404, as compose expects before creating.
          if (method === "GET" && !(await ownedNetwork(id, true))) return pass();
          const netId = withId(url, (await ownedNetwork(id)) ?? id);
          if (action === "connect" || action === "disconnect") {
            const spec = parseJson(body);
            spec.Container = await ownedContainer(String(spec.Container ?? ""));
            return { path: netId, body: Buffer.from(JSON.stringify(spec)) };
          }
          if (method === "DELETE" && !action) {
            // The sandbox joined the network when it made it: leave it first (`docker network rm`,
            // `docker-compose down`), and join again if the engine keeps the network (still in use).
            const full = (await ownedNetwork(id)) ?? id;
            return {
              path: netId,
              around: async (forward) => {
                await docker.getNetwork(full).disconnect({ Container: o.sandboxContainer, Force: true }).catch(() => undefined);
                await forward();
                if (await ownedNetwork(full, true)) await connectSandbox(full).catch(() => undefined);
              },
            };
          }
          return { path: netId };
        }
        case "volumes": {
          if (!id && method === "GET") return { path: withLabelFilter(url, mine) };
          if (id === "create" && method === "POST") {
            const spec = parseJson(body);
            checkVolumeCreate(spec, labels);
            return { path: rawPath, body: Buffer.from(JSON.stringify(spec)) };
          }
          if (id === "prune") throw new GuardRefusal(403, "prune is not available in a sandbox");
          if (!id) break;
          if (method === "GET" && !(await ownedVolume(id, true))) return pass();
          await ownedVolume(id);
          return pass();
        }
        case "images": {
          // Image names hold slashes: /images/<name>/<action>, or DELETE /images/<name>.
          const rest = decodeURIComponent(p.slice("/images/".length));
          const m = /^(.+)\/(json|tag|history|push|get)$/.exec(rest);
          const [name, act] = method === "DELETE" ? [rest, ""] : m ? [m[1], m[2]] : [rest, ""];
          if (method === "GET") return pass();
          if (name === "create" && method === "POST") {
            const repo = url.searchParams.get("repo") || url.searchParams.get("fromImage") || "";
            if (url.searchParams.get("fromSrc") && url.searchParams.get("fromSrc") !== "-") throw new GuardRefusal(403, "importing from a URL is not available in a sandbox");
            if (repo) await ownedImageOrNew(`${repo}${url.searchParams.get("tag") ? `:${url.searchParams.get("tag")}` : ""}`);
            return pass();
          }
          if (method === "DELETE" && name) {
            const img = await docker
              .getImage(name)
              .inspect()
              .catch(() => undefined);
            if (!img) return pass();
            if (!isMine(img.Config?.Labels)) throw new GuardRefusal(403, `image ${name} is not this sandbox's`);
            return pass();
          }
          if (act === "tag" && method === "POST") {
            await ownedImageOrNew(`${url.searchParams.get("repo") ?? ""}:${url.searchParams.get("tag") || "latest"}`);
            return pass();
          }
          break;
        }
        case "build": {
          if (method !== "POST") break;
          if (url.searchParams.get("remote")) throw new GuardRefusal(403, "remote build contexts are not available in a sandbox: send the context");
          const net = url.searchParams.get("networkmode") ?? "";
          if (!["", "default", "bridge", "none"].includes(net)) throw new GuardRefusal(403, `build network mode ${net} is not available in a sandbox`);
          // RUN steps run on the sandbox's own network, not the engine's default bridge (shared by every
          // container of the host that names no network).
          if (net !== "none") {
            await ensureOwnNetwork();
            url.searchParams.set("networkmode", ownNetwork);
          }
          if (url.searchParams.get("cgroupparent")) throw new GuardRefusal(403, "cgroupparent is not available in a sandbox");
          for (const t of url.searchParams.getAll("t")) await ownedImageOrNew(t.includes(":") ? t : `${t}:latest`);
          let given: Record<string, string> = {};
          try {
            given = JSON.parse(url.searchParams.get("labels") || "{}") as Record<string, string>;
          } catch {
            given = {};
          }
          url.searchParams.set("labels", JSON.stringify({ ...given, ...labels }));
          return { path: url.pathname + url.search };
        }
        case "commit": {
          if (method !== "POST") break;
          url.searchParams.set("container", await ownedContainer(url.searchParams.get("container") ?? ""));
          const repo = url.searchParams.get("repo");
          if (repo) await ownedImageOrNew(`${repo}:${url.searchParams.get("tag") || "latest"}`);
          return { path: url.pathname + url.search };
        }
        default:
          break;
      }
      throw new GuardRefusal(403, `${method} ${p} is not available to a local Daytona sandbox`);
    },
  };
}
