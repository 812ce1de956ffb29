// The one line the extension adds to the user's ~/.ssh/config: `Include daytona_config`, at the
// very top (an Include after a Host line would only apply inside that Host block). Nothing else of
// the user's file is touched: the line is prepended once, and found again however it was written.
import { configWord } from "./ownedConfig";

export const INCLUDE_COMMENT = "# Added by the Daytona Sandboxes VS Code extension (its sandboxes' SSH hosts). Remove both lines to opt out.";

/** The forms an Include of `ownedPath` may take in ~/.ssh/config (relative paths are under ~/.ssh). */
function includeForms(ownedPath: string, home: string): Set<string> {
  const forms = new Set([ownedPath]);
  const sshDir = `${home.replace(/\/+$/, "")}/.ssh/`;
  if (ownedPath.startsWith(sshDir)) {
    const rel = ownedPath.slice(sshDir.length);
    forms.add(rel);
    forms.add(`~/.ssh/${rel}`);
  }
  if (ownedPath.startsWith(`${home}/`)) forms.add(`~/${ownedPath.slice(home.length + 1)}`);
  return forms;
}

function unquote(word: string): string {
  return word.length >= 2 && word.startsWith('"') && word.endsWith('"') ? word.slice(1, -1) : word;
}

/** Does the config already Include the owned file (at top level, before any Host or Match)? */
export function hasInclude(userConfig: string, ownedPath: string, home: string): boolean {
  const forms = includeForms(ownedPath, home);
  for (const raw of userConfig.split(/\r?\n/)) {
    const line = raw.trim();
    if (/^(host|match)\b/i.test(line)) return false;
    const m = /^include(?:\s*=\s*|\s+)(.*)$/i.exec(line);
    if (!m) continue;
    const words = m[1].match(/"[^"]*"|\S+/g) ?? [];
    if (words.some((w) => forms.has(unquote(w)))) return true;
  }
  return false;
}

/** The user's config with the Include prepended (unchanged when it is already there). */
export function withInclude(userConfig: string, ownedPath: string, home: string): { text: string; changed: boolean } {
  if (hasInclude(userConfig, ownedPath, home)) return { text: userConfig, changed: false };
  // The absolute path: ssh expands "~" from the passwd entry, not $HOME, so only this names the
  // file the extension writes in every case.
  const word = configWord(ownedPath);
  const eol = userConfig.includes("\r\n") ? "\r\n" : "\n";
  const block = `${INCLUDE_COMMENT}${eol}Include ${word}${eol}${eol}`;
  return { text: block + userConfig, changed: true };
}
