// Which compose keys a plan honours. A single service becomes a Daytona sandbox directly, so most
// container settings cannot apply: they are warnings (the sandbox still works, the setting is not
// applied). Keys whose absence changes what the service *is* are errors. In Docker-in-Docker compose
// itself runs the file, so service keys are honoured there. `extends` and `include` are resolved while
// loading (load.ts), so no service here still has them.

/** Service keys the single-sandbox plan reads. */
export const HONOURED_SINGLE = new Set([
  "image", "build", "environment", "env_file", "user", "network_mode", "deploy", "cpus", "mem_limit",
  "mem_reservation", "gpus", "profiles", "depends_on", "container_name", "pull_policy",
]);

/** Errors in every mode: ignoring them would create something other than what the file describes. */
export const ERROR_KEYS: Record<string, string> = {};

const WHY: Record<string, string> = {
  command: "a sandbox runs Daytona's own process; run the command in a terminal",
  entrypoint: "a sandbox runs Daytona's own process; run the entrypoint in a terminal",
  ports: "ports are reached through Daytona's preview links instead",
  expose: "ports are reached through Daytona's preview links instead",
  volumes: "nothing is mounted; the workspace folder is uploaded instead",
  volumes_from: "nothing is mounted; the workspace folder is uploaded instead",
  tmpfs: "nothing is mounted",
  healthcheck: "the sandbox is not health-checked",
  restart: "Daytona manages the sandbox's lifecycle (see x-daytona.auto_stop_interval)",
  working_dir: "terminals open in the sandbox user's home",
  networks: "a sandbox has Daytona's network (see x-daytona.network_allow_list)",
  labels: "container labels are not sandbox labels (see x-daytona.labels)",
};

export function singleModeReason(key: string): string {
  return (Object.prototype.hasOwnProperty.call(WHY, key) ? WHY[key] : undefined) ?? "it does not apply to a Daytona sandbox";
}

/** Every service key of the Compose specification; anything else (but x-*) is an error, as in Compose. */
export const COMPOSE_SERVICE_KEYS = new Set([
  "annotations", "attach", "blkio_config", "build", "cap_add", "cap_drop", "cgroup", "cgroup_parent", "command",
  "configs", "container_name", "cpu_count", "cpu_percent", "cpu_period", "cpu_quota", "cpu_rt_period",
  "cpu_rt_runtime", "cpu_shares", "cpus", "cpuset", "credential_spec", "depends_on", "deploy", "develop",
  "device_cgroup_rules", "devices", "dns", "dns_opt", "dns_search", "domainname", "driver_opts", "entrypoint",
  "env_file", "environment", "expose", "extends", "external_links", "extra_hosts", "gpus", "group_add",
  "healthcheck", "hostname", "image", "init", "ipc", "isolation", "label_file", "labels", "links", "logging",
  "mac_address", "mem_limit", "mem_reservation", "mem_swappiness", "memswap_limit", "models", "network_mode",
  "networks", "oom_kill_disable", "oom_score_adj", "pid", "pids_limit", "platform", "ports", "post_start",
  "pre_stop", "privileged", "profiles", "provider", "pull_policy", "read_only", "restart", "runtime", "scale",
  "secrets", "security_opt", "shm_size", "stdin_open", "stop_grace_period", "stop_signal", "storage_opt",
  "sysctls", "tmpfs", "tty", "ulimits", "use_api_socket", "user", "userns_mode", "uts", "volumes",
  "volumes_from", "working_dir",
]);

export const TOP_LEVEL_KEYS = new Set(["version", "name", "services", "networks", "volumes", "configs", "secrets", "include", "models"]);

/** deploy.* keys besides resources: honoured by compose in DinD, not applied to a single sandbox. */
export const DEPLOY_KEYS = new Set(["resources", "mode", "replicas", "labels", "placement", "restart_policy", "rollback_config", "update_config", "endpoint_mode"]);

/** build.* keys Daytona's Dockerfile build takes (context and file); the rest only work under compose. */
export const BUILD_KEYS = new Set([
  "context", "dockerfile", "dockerfile_inline", "args", "ssh", "cache_from", "cache_to", "additional_contexts",
  "extra_hosts", "isolation", "labels", "network", "no_cache", "platforms", "privileged", "pull", "secrets",
  "shm_size", "tags", "target", "ulimits", "entitlements", "provenance", "sbom",
]);
