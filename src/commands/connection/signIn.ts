// Sign in with an API key: Daytona's cloud or a self-hosted URL. The key goes to SecretStorage only
// after it has worked once; nothing is saved when the connection fails.
import * as vscode from "vscode";
import { CLOUD_API_URL, normaliseApiUrl, profileIdFor, validateApiKey, validateApiUrl, type Profile } from "../../core/daytona/profiles";
import type { Services } from "../../services";

/**
 * Optional argument for non-interactive use (tests, other extensions): `executeCommand("daytona.signIn",
 * { kind: "selfHosted", apiUrl, apiKey })` signs in without quick picks or input boxes, and on failure
 * shows the error without waiting for an answer. Anything else (a tree node from a menu) is ignored.
 */
export interface SignInArgs {
  kind: "cloud" | "selfHosted";
  apiUrl?: string;
  apiKey: string;
}

function isSignInArgs(a: unknown): a is SignInArgs {
  const x = a as Partial<SignInArgs> | undefined;
  return typeof x === "object" && x !== null && (x.kind === "cloud" || x.kind === "selfHosted") && typeof x.apiKey === "string" && (x.apiUrl === undefined || typeof x.apiUrl === "string");
}

export function signIn(services: Services) {
  return async (arg?: unknown): Promise<boolean> => {
    const given = isSignInArgs(arg) ? arg : undefined;
    if (given) {
      const bad = (given.apiUrl !== undefined ? validateApiUrl(given.apiUrl) : undefined) ?? validateApiKey(given.apiKey);
      if (bad) throw new Error(`daytona.signIn: ${bad}`);
    }
    const where = given ? { profileKind: given.kind } : await vscode.window.showQuickPick(
      [
        { label: "$(cloud) Daytona", description: new URL(CLOUD_API_URL).host, profileKind: "cloud" as const },
        { label: "$(server) Self-hosted Daytona", description: "enter its API URL", profileKind: "selfHosted" as const },
      ],
      { title: "Daytona: sign in to" },
    );
    if (!where) return false;
    const cfg = vscode.workspace.getConfiguration("daytona");
    let apiUrl = cfg.get<string>("cloud.apiUrl", CLOUD_API_URL) || CLOUD_API_URL;
    if (given?.apiUrl) apiUrl = normaliseApiUrl(given.apiUrl);
    else if (where.profileKind === "selfHosted") {
      if (given) throw new Error("daytona.signIn: a self-hosted sign-in needs apiUrl");
      const typed = await vscode.window.showInputBox({ title: "Daytona: API URL", placeHolder: "https://daytona.example.com/api", validateInput: validateApiUrl, ignoreFocusOut: true });
      if (!typed) return false;
      apiUrl = normaliseApiUrl(typed);
    }
    const apiKey = given ? given.apiKey : await vscode.window.showInputBox({
      title: "Daytona: API key",
      prompt: `Create one in the Daytona dashboard (Keys). It is kept in VS Code's secret storage.`,
      password: true,
      ignoreFocusOut: true,
      validateInput: validateApiKey,
    });
    if (!apiKey) return false;
    const target = cfg.get<string>("cloud.target", "us");
    const organizationId = cfg.get<string>("cloud.organizationId", "") || undefined;
    const host = new URL(apiUrl).host;
    const profile: Profile = {
      id: profileIdFor(where.profileKind, apiUrl, organizationId),
      kind: where.profileKind,
      label: where.profileKind === "cloud" ? "Daytona" : host,
      apiUrl,
      target,
      organizationId,
    };
    // Saved first so connect() can read the key; removed again if the connection does not work.
    const previous = await services.connection.profiles.apiKey(profile.id);
    await services.connection.profiles.save(profile, apiKey.trim());
    const state = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Daytona: signing in to ${profile.label}…` }, () =>
      services.connection.connect(profile),
    );
    if (state.kind === "connected") {
      void vscode.window.showInformationMessage(`Daytona: signed in to ${profile.label}.`);
      return true;
    }
    if (previous) await services.connection.profiles.storeApiKey(profile.id, previous);
    else await services.connection.profiles.remove(profile.id);
    const reason = state.kind === "failed" ? state.error.message : "the connection did not complete";
    if (given) {
      void vscode.window.showErrorMessage(`Failed to sign in to ${profile.label}: ${reason}`);
      return false;
    }
    const choice = await vscode.window.showErrorMessage(`Failed to sign in to ${profile.label}: ${reason}`, "Try Again", "Show Output");
    if (choice === "Try Again") return (await vscode.commands.executeCommand<boolean>("daytona.signIn")) ?? false;
    if (choice === "Show Output") services.log.show(true);
    return false;
  };
}
