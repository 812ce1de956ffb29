import type { Services } from "../../services";

export function showLog(services: Services) {
  return (): void => services.log.show(true);
}
