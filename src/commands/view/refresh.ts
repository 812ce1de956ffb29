import type { Services } from "../../services";

export function refresh(services: Services) {
  return (): void => {
    services.log.debug("refresh requested");
    services.refreshViews();
  };
}
