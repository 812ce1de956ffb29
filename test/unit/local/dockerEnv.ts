// For the tests that need the DinD service image: is it on the engine? Outside CI a missing image
// skips those tests with a loud line; with CI=true it fails them, because CI runs the set-up scripts
// and a skip there would hide a broken set-up. (The local server itself needs the engine anyway.)
import type { TestContext } from "node:test";
import Docker from "dockerode";

export const SERVICE_IMAGE = "daytona-local/busybox:latest";
export const docker = new Docker({ socketPath: process.env.DOCKER_HOST?.startsWith("unix://") ? process.env.DOCKER_HOST.slice(7) : "/var/run/docker.sock" });

let probe: Promise<string | undefined> | undefined;

/** undefined when the engine answers and has SERVICE_IMAGE; otherwise why not. */
function whyUnavailable(): Promise<string | undefined> {
  probe ??= (async () => {
    try {
      await docker.ping();
    } catch {
      return "no Docker engine answers on its socket";
    }
    try {
      await docker.getImage(SERVICE_IMAGE).inspect();
    } catch {
      return `the image ${SERVICE_IMAGE} is missing`;
    }
    return undefined;
  })();
  return probe;
}

/** True when the test may go on; false after marking it skipped (outside CI). Throws in CI. */
export async function requireDocker(t: TestContext): Promise<boolean> {
  const why = await whyUnavailable();
  if (!why) return true;
  const line = `!!! DOCKER UNAVAILABLE: ${why} (run: bash scripts/setup-docker.sh)`;
  if (process.env.CI === "true") throw new Error(`${line}; CI must run the Docker tests`);
  console.error(line);
  t.skip(line);
  return false;
}
