// Connection profiles: where to connect and how. Secrets are never part of a profile; the glue keeps
// each profile's API key in SecretStorage under secretKeyFor(profile.id).

export type ProfileKind = "cloud" | "selfHosted" | "local";

export interface Profile {
  id: string;
  kind: ProfileKind;
  label: string;
  /** Unset for the local profile: its address is known only once its server has started. */
  apiUrl?: string;
  target?: string;
  organizationId?: string;
}

export const CLOUD_API_URL = "https://app.daytona.io/api";
export const LOCAL_PROFILE: Profile = { id: "local", kind: "local", label: "Local sandboxes", target: "local" };

export function secretKeyFor(profileId: string): string {
  return `daytona.apiKey.${profileId}`;
}

/** An error message for a URL a person typed, or undefined when it is usable. */
export function validateApiUrl(input: string): string | undefined {
  let url: URL;
  try {
    url = new URL(input.trim());
  } catch {
    return "Enter a full URL, for example https://daytona.example.com/api";
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return "The URL must start with https:// or http://";
  if (url.username || url.password) return "Do not put credentials in the URL; the API key is asked for next";
  if (url.search || url.hash) return "The URL must not have a query or fragment";
  return undefined;
}

export function normaliseApiUrl(input: string): string {
  return input.trim().replace(/\/+$/, "");
}

/** A profile id derived from its address, so signing in twice to the same place updates one profile. */
export function profileIdFor(kind: ProfileKind, apiUrl: string, organizationId?: string): string {
  if (kind === "local") return LOCAL_PROFILE.id;
  const u = new URL(apiUrl);
  return `${kind}:${u.host}${u.pathname.replace(/\/+$/, "")}${organizationId ? `#${organizationId}` : ""}`;
}

export function validateApiKey(input: string): string | undefined {
  const key = input.trim();
  if (!key) return "Enter an API key";
  if (/\s/.test(key)) return "An API key has no spaces";
  return undefined;
}
