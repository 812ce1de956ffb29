import type { Services } from "../../services";

export function clearFilter(services: Services) {
  return (): void => services.sandboxes.setFilter({});
}
