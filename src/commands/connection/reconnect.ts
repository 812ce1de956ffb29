import type { Services } from "../../services";

export function reconnect(services: Services) {
  return async (): Promise<void> => {
    await services.connection.reconnect();
  };
}
