// Which images make a Docker-in-Docker sandbox on the local server.
//
// Rule: the Docker official image ("docker", "library/docker", "docker.io/library/docker") with a tag
// that contains "dind", for example docker:28.3.3-dind (what the extension's DinD snapshots ask for).
// The mark travels in ImageConfig.dind: snapshots made from such an image, sandboxes made from those
// snapshots, Dockerfiles whose FROM names one, forks and snapshots of such sandboxes all carry it.
// Only marked sandboxes get a docker socket (see runtime/docker.ts): anything else never sees one.
const DOCKER_REPOS = new Set(["docker", "library/docker", "docker.io/library/docker", "index.docker.io/library/docker"]);

export function isDindImage(ref: string): boolean {
  const at = ref.indexOf("@");
  const noDigest = at < 0 ? ref : ref.slice(0, at);
  const colon = noDigest.lastIndexOf(":");
  if (colon < 0 || noDigest.indexOf("/", colon) >= 0) return false;
  const repo = noDigest.slice(0, colon).toLowerCase();
  const tag = noDigest.slice(colon + 1).toLowerCase();
  return DOCKER_REPOS.has(repo) && tag.includes("dind");
}
