// The ssh host alias of a sandbox: "daytona-<profile>-<name>", made only of [a-z0-9-], so that no
// sandbox or profile name (spaces, newlines, quotes, '#', '*', ...) can reach ssh_config as anything
// but part of one word. When the name had to be changed to fit, a piece of the id keeps it unique.
export const ALIAS_PREFIX = "daytona-";
const MAX_PART = 40;

export function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, MAX_PART)
    .replace(/-+$/g, "");
}

export function hostAlias(profileId: string, sandbox: { id: string; name: string }): string {
  const profile = slug(profileId) || "profile";
  const name = slug(sandbox.name);
  const exact = name === sandbox.name;
  const idPart = slug(sandbox.id).replace(/-/g, "").slice(0, 8) || "x";
  return `${ALIAS_PREFIX}${profile}-${name && exact ? name : `${name ? `${name}-` : ""}${idPart}`}`;
}

export const SAFE_ALIAS = /^[a-z0-9][a-z0-9-]{0,120}$/;
