import type { Services } from "../../services";

export function refresh(services: Services) {
  return async (): Promise<void> => {
    services.log.debug("refresh requested");
    await Promise.all([services.sandboxes.refreshNow(), services.snapshots.refreshNow(), services.volumes.refreshNow()]);
  };
}
