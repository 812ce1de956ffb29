// Create a volume: a named store of files that sandboxes mount and that outlives them.
import * as vscode from "vscode";
import type { Services } from "../../services";
import { reportFailure } from "../errors";

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;

export function createVolume(services: Services) {
  // nameArg: non-interactive use (tests, other extensions).
  return async (nameArg?: string): Promise<string | undefined> => {
    const name =
      typeof nameArg === "string"
        ? nameArg
        : await vscode.window.showInputBox({
            title: "Daytona: name of the new volume",
            prompt: "Sandboxes mount a volume by this name; its files outlive them",
            validateInput: (v) => (NAME.test(v) ? undefined : "Letters, digits, . _ - (up to 63, starting with a letter or digit)"),
          });
    if (!name) return undefined;
    try {
      const volume = await services.connection.client().createVolume(name);
      services.log.info(`created volume ${volume.name} (${volume.id}, ${volume.state})`);
      services.volumes.refresh();
      return volume.id;
    } catch (err) {
      await reportFailure(services, `create volume ${name}`, err);
      return undefined;
    }
  };
}
