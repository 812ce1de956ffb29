// Collecting diagnostics: every report names a file, a 1-based position and the dotted field.
import type { Diagnostic } from "./plan";

export interface Pos {
  line: number;
  column: number;
  /** The file the position is in, when it is not the one being reported on (merged and included files). */
  file?: string;
}

export const START: Pos = { line: 1, column: 1 };

export class Reporter {
  readonly items: Diagnostic[] = [];

  error(file: string, pos: Pos, field: string, message: string): void {
    this.items.push({ file: pos.file ?? file, line: pos.line, column: pos.column, field, message, severity: "error" });
  }

  warning(file: string, pos: Pos, field: string, message: string): void {
    this.items.push({ file: pos.file ?? file, line: pos.line, column: pos.column, field, message, severity: "warning" });
  }

  get hasErrors(): boolean {
    return this.items.some((d) => d.severity === "error");
  }

  /** Stable order: by file, then position, then errors before warnings; duplicates (an anchor used twice) once. */
  sorted(): Diagnostic[] {
    const seen = new Set<string>();
    const unique = this.items.filter((d) => {
      const k = `${d.file}\0${d.line}\0${d.column}\0${d.severity}\0${d.message}`;
      return seen.has(k) ? false : (seen.add(k), true);
    });
    return unique.sort(
      (a, b) =>
        (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) ||
        a.line - b.line ||
        a.column - b.column ||
        (a.severity === b.severity ? 0 : a.severity === "error" ? -1 : 1),
    );
  }
}

/** `file:line:col: severity: message (field)`, the form compilers print and editors link. */
export function formatDiagnostic(d: Diagnostic): string {
  return `${d.file}:${d.line}:${d.column}: ${d.severity}: ${d.message}${d.field ? ` (${d.field})` : ""}`;
}

/** A dotted field path; keys that contain dots or spaces are quoted so the path stays readable. */
export function field(...parts: (string | number)[]): string {
  return parts
    .filter((p) => p !== "")
    .map((p) => (typeof p === "number" ? `[${p}]` : /^[A-Za-z0-9_-]+$/.test(p) ? p : JSON.stringify(p)))
    .join(".")
    .replace(/\.\[/g, "[");
}
