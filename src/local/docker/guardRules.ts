// The create-call rules of the DinD guard (guard.ts): each body is checked and rewritten in place.
// Lookups of what the sandbox owns are passed in, so the rules are testable without an engine.

/** Marks containers with bind mounts of the sandbox's paths (they start with the sandbox frozen). */
export const BINDS_LABEL = "io.daytona.local.dind.binds";

export class GuardRefusal extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export interface CreateChecks {
  /** Labels put on everything the sandbox makes. */
  labels: Record<string, string>;
  /** The sandbox's own network: where containers asking for the default one go. */
  ownNetwork: string;
  ensureOwnNetwork(): Promise<void>;
  /** Resolves with the container's full id: what is forwarded, so no name can be re-pointed in between. */
  ownedContainer(idOrName: string): Promise<string>;
  ownedNetwork(idOrName: string): Promise<void>;
  ownedVolume(name: string): Promise<void>;
  /** True when the (own) container has bind mounts of the sandbox's paths (BINDS_LABEL). */
  hasBinds(id: string): Promise<boolean>;
  /** An in-sandbox path as a bind source: checked (no symbolic link on the way) and mapped to the host. */
  translateBind(insidePath: string): Promise<string>;
}

function refuse(message: string): never {
  throw new GuardRefusal(403, `local Daytona sandbox: ${message}`);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return Boolean(v) && typeof v === "object" && !Array.isArray(v);
}

function setLabels(body: Record<string, unknown>, labels: Record<string, string>): void {
  body.Labels = { ...(isRecord(body.Labels) ? body.Labels : {}), ...labels };
}

const nonEmpty = (v: unknown): boolean => (Array.isArray(v) ? v.length > 0 : isRecord(v) ? Object.keys(v).length > 0 : Boolean(v));

/** "container:<x>" modes name another container: it must be the sandbox's too (rewritten to its id). */
async function namespaceMode(hc: Record<string, unknown>, name: string, allowed: string[], checks: CreateChecks): Promise<void> {
  const value = hc[name];
  if (value === undefined || value === null || value === "") return;
  if (typeof value !== "string") refuse(`${name} must be a string`);
  if (allowed.includes(value)) return;
  if (value.startsWith("container:")) {
    hc[name] = `container:${await checks.ownedContainer(value.slice("container:".length))}`;
    return;
  }
  refuse(`${name}=${value} is not available (it would share a namespace of the host)`);
}

export async function checkContainerCreate(body: Record<string, unknown>, checks: CreateChecks): Promise<void> {
  setLabels(body, checks.labels);
  const hc = isRecord(body.HostConfig) ? body.HostConfig : {};
  body.HostConfig = hc;
  if (hc.Privileged) refuse("privileged containers are not available");
  if (nonEmpty(hc.CapAdd)) refuse(`added capabilities (${JSON.stringify(hc.CapAdd)}) are not available`);
  if (nonEmpty(hc.Devices) || nonEmpty(hc.DeviceRequests) || nonEmpty(hc.DeviceCgroupRules)) refuse("host devices are not available");
  if (nonEmpty(hc.Sysctls)) refuse("sysctls are not available");
  if (nonEmpty(hc.CgroupParent)) refuse("CgroupParent is not available");
  if (hc.Runtime && hc.Runtime !== "runc") refuse(`runtime ${String(hc.Runtime)} is not available`);
  for (const opt of Array.isArray(hc.SecurityOpt) ? hc.SecurityOpt : []) {
    if (typeof opt !== "string" || !/^no-new-privileges(?:[:=]true)?$/.test(opt)) refuse(`security option ${JSON.stringify(opt)} is not available`);
  }
  // MaskedPaths/ReadonlyPaths replace the engine's defaults: [] (what --security-opt
  // systempaths=unconfined sends) leaves /proc/sys writable, and root in the container could set the
  // host's sysctls (kernel.core_pattern runs a program as host root).
  if (hc.MaskedPaths != null || hc.ReadonlyPaths != null) refuse("MaskedPaths/ReadonlyPaths (systempaths=unconfined) are not available");
  // Logging drivers other than files dial from the engine, on the host's network (its loopback too).
  const log = isRecord(hc.LogConfig) ? hc.LogConfig : {};
  if (log.Type && !["json-file", "local", "none"].includes(String(log.Type))) refuse(`log driver ${String(log.Type)} is not available (json-file, local or none)`);
  if (hc.VolumeDriver && hc.VolumeDriver !== "local") refuse(`volume driver ${String(hc.VolumeDriver)} is not available`);
  if (nonEmpty(hc.Cgroup)) refuse("Cgroup is not available");
  if (typeof hc.OomScoreAdj === "number" && hc.OomScoreAdj < 0) refuse("a negative OomScoreAdj is not available (the host's processes would be killed first)");
  if (hc.CpuRealtimePeriod || hc.CpuRealtimeRuntime) refuse("realtime CPU scheduling is not available");
  for (const k of ["BlkioWeightDevice", "BlkioDeviceReadBps", "BlkioDeviceWriteBps", "BlkioDeviceReadIOps", "BlkioDeviceWriteIOps"]) if (nonEmpty(hc[k])) refuse(`${k} names host devices: not available`);
  if (hc.UsernsMode === "host") refuse("UsernsMode=host is not available");
  if (hc.CgroupnsMode === "host") refuse("CgroupnsMode=host is not available");
  await namespaceMode(hc, "PidMode", [], checks);
  await namespaceMode(hc, "IpcMode", ["private", "shareable", "none"], checks);
  await namespaceMode(hc, "UTSMode", [], checks);
  let binds = false;
  if (Array.isArray(hc.Binds)) {
    const out: string[] = [];
    for (const b of hc.Binds as unknown[]) {
      if (typeof b !== "string") refuse("HostConfig.Binds must hold strings");
      const [src, ...rest] = b.split(":");
      if (src.startsWith("/")) {
        // A path as the sandbox sees it (compose resolves ./site against the project folder there).
        out.push([await checks.translateBind(src), ...rest].join(":"));
        binds = true;
        continue;
      }
      if (src.startsWith(".") || src.includes("/")) refuse(`bind source ${src} must be an absolute path in the sandbox`);
      await checks.ownedVolume(src);
      out.push(b);
    }
    hc.Binds = out;
  }
  for (const m of Array.isArray(hc.Mounts) ? hc.Mounts : []) {
    if (!isRecord(m)) refuse("HostConfig.Mounts must hold objects");
    if (m.Type === "tmpfs") continue;
    if (m.Type === "bind") {
      if (typeof m.Source !== "string" || !m.Source.startsWith("/")) refuse("a bind mount needs an absolute Source in the sandbox");
      if (isRecord(m.BindOptions) && m.BindOptions.Propagation && !["private", "rprivate"].includes(String(m.BindOptions.Propagation))) refuse("bind propagation other than private is not available");
      m.Source = await checks.translateBind(m.Source);
      binds = true;
      continue;
    }
    if (m.Type !== "volume") refuse(`${String(m.Type)} mounts are not available: use a named volume`);
    const vo = isRecord(m.VolumeOptions) ? m.VolumeOptions : {};
    if (nonEmpty(vo.DriverConfig)) refuse("volume driver options are not available");
    if (m.Source) await checks.ownedVolume(String(m.Source));
  }
  if (Array.isArray(hc.VolumesFrom)) {
    const out: string[] = [];
    for (const v of hc.VolumesFrom as unknown[]) {
      const [from, ...mode] = String(v).split(":");
      const id = await checks.ownedContainer(from);
      // Its bind sources would be mounted again at this container's start, unchecked (binds.ts).
      if (await checks.hasBinds(id)) refuse(`volumes-from ${from} is not available: it binds the sandbox's folders; bind the folder itself (-v /path/in/sandbox:/target)`);
      out.push([id, ...mode].join(":"));
    }
    hc.VolumesFrom = out;
  }
  for (const l of Array.isArray(hc.Links) ? hc.Links : []) await checks.ownedContainer(String(l).split(":")[0].replace(/^\//, ""));
  if (binds) {
    (body.Labels as Record<string, string>)[BINDS_LABEL] = "1";
    checkRestartPolicy(hc.RestartPolicy);
  }
  // The network: the default ones are shared with every container of the host; use the sandbox's own.
  const mode = typeof hc.NetworkMode === "string" ? hc.NetworkMode : "";
  if (mode === "host") refuse("the host network is not available");
  if (mode === "" || mode === "default" || mode === "bridge") {
    await checks.ensureOwnNetwork();
    hc.NetworkMode = checks.ownNetwork;
  } else if (mode.startsWith("container:")) hc.NetworkMode = `container:${await checks.ownedContainer(mode.slice("container:".length))}`;
  else if (mode !== "none") await checks.ownedNetwork(mode);
  const nc = isRecord(body.NetworkingConfig) ? body.NetworkingConfig : undefined;
  const endpoints = nc && isRecord(nc.EndpointsConfig) ? nc.EndpointsConfig : {};
  for (const net of Object.keys(endpoints)) {
    if (net === "bridge" || net === "default") {
      endpoints[checks.ownNetwork] = endpoints[net];
      delete endpoints[net];
      await checks.ensureOwnNetwork();
    } else await checks.ownedNetwork(net);
  }
  // Published ports answer on the host's loopback only, never on its other addresses.
  if (isRecord(hc.PortBindings)) {
    for (const list of Object.values(hc.PortBindings)) {
      for (const pb of Array.isArray(list) ? list : []) if (isRecord(pb)) pb.HostIp = "127.0.0.1";
    }
  }
  if (hc.PublishAllPorts) refuse("PublishAllPorts is not available: publish ports one by one");
}

/** The engine restarts by policy without the proxy, re-mounting binds unchecked (binds.ts). */
export function checkRestartPolicy(policy: unknown): void {
  const name = isRecord(policy) ? policy.Name : undefined;
  if (name !== undefined && name !== "" && name !== "no") refuse(`restart policy ${String(name)} is not available for a container with bind mounts of the sandbox's folders (the engine would mount them again unchecked): use a named volume, or restart it with docker start`);
}

export function checkExecCreate(body: Record<string, unknown>): void {
  if (body.Privileged) refuse("privileged exec is not available");
}

export function checkNetworkCreate(body: Record<string, unknown>, labels: Record<string, string>): void {
  if (typeof body.Name !== "string" || !body.Name) refuse("a network needs a Name");
  const driver = body.Driver ?? "bridge";
  if (driver !== "bridge") refuse(`network driver ${String(driver)} is not available (bridge only)`);
  if (body.ConfigFrom || body.ConfigOnly || body.Ingress || body.Scope === "swarm") refuse("these network options are not available");
  const opts = isRecord(body.Options) ? body.Options : {};
  for (const k of Object.keys(opts)) if (k.startsWith("com.docker.network.bridge.")) refuse(`network option ${k} is not available`);
  // A subnet or gateway of one's choosing becomes the host's own address and route: the host's LAN
  // and its default gateway's address would be taken over (the engine checks overlaps only for the
  // subnets it picks itself).
  const ipam = isRecord(body.IPAM) ? body.IPAM : {};
  if (ipam.Driver && ipam.Driver !== "default") refuse(`IPAM driver ${String(ipam.Driver)} is not available`);
  const pools = Array.isArray(ipam.Config) ? ipam.Config : [];
  if (pools.some((c) => !isRecord(c) || Object.values(c).some(nonEmpty))) refuse("custom subnets, ranges and gateways are not available (they would become the host's own addresses and routes): the engine picks the subnet");
  setLabels(body, labels);
}

export function checkVolumeCreate(body: Record<string, unknown>, labels: Record<string, string>): void {
  const driver = body.Driver ?? "local";
  if (driver !== "local" && driver !== "") refuse(`volume driver ${String(driver)} is not available`);
  // A "local" volume with driver options (type=none, o=bind, device=/...) is a host bind mount.
  if (nonEmpty(body.DriverOpts)) refuse("volume driver options are not available");
  setLabels(body, labels);
}
