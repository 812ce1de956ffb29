// Labels as a person types them: "key=value, other=thing". Keys follow Daytona's (Kubernetes-like)
// label rules loosely: letters, digits, and . _ - / in the key; values may be empty.

const KEY = /^[A-Za-z0-9]([A-Za-z0-9._/-]{0,251}[A-Za-z0-9])?$/;

export function formatLabels(labels: Record<string, string>): string {
  return Object.entries(labels)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k}=${v}`)
    .join(", ");
}

export function parseLabels(text: string): { labels: Record<string, string> } | { error: string } {
  const labels: Record<string, string> = {};
  for (const raw of text.split(",")) {
    const part = raw.trim();
    if (!part) continue;
    const eq = part.indexOf("=");
    if (eq <= 0) return { error: `"${part}" is not key=value` };
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (!KEY.test(key)) return { error: `"${key}" is not a valid label key (letters, digits, . _ - /; starts and ends with a letter or digit)` };
    if (value.length > 1024) return { error: `the value of "${key}" is longer than 1024 characters` };
    if (key in labels) return { error: `"${key}" appears twice` };
    labels[key] = value;
  }
  return { labels };
}
