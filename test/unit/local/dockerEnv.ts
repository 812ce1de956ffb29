// For the tests that need a real Docker engine (the DinD tests): is one here, with the local image?
// Outside CI a missing engine skips those tests with a loud line; with CI=true it fails them, because
// CI runs scripts/setup-docker.sh and a skip there would hide a broken set-up.
import type { TestContext } from "node:test";
import { engineAvailable, engineRequest } from "../../../src/local/docker/engine";

export const SERVICE_IMAGE = "daytona-local/busybox:latest";

let probe: Promise<string | undefined> | undefined;

/** undefined when the engine answers and has SERVICE_IMAGE; otherwise why not. */
function whyUnavailable(): Promise<string | undefined> {
  probe ??= (async () => {
    if (!(await engineAvailable())) return "no Docker engine answers on its socket";
    const img = await engineRequest("GET", `/images/${SERVICE_IMAGE}/json`);
    if (img.status !== 200) return `the image ${SERVICE_IMAGE} is missing`;
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
