// Compose variable interpolation: $VAR, ${VAR}, ${VAR:-default}, ${VAR-default}, ${VAR:?message},
// ${VAR?message}, ${VAR:+other}, ${VAR+other}, nested defaults, and $$ for a literal $.
// A lone "$" that starts none of these is an error, as in Compose ("You may need to escape any $ with another $").

export type Lookup = (name: string) => string | undefined;

const NAME = /^[A-Za-z_][A-Za-z0-9_]*/;

/**
 * `unset` hears each variable that was substituted as a blank string because it is not set (Compose
 * warns about those). Defaults are evaluated only when used, so `${A:-${B}}` with A set says nothing of B.
 */
export function interpolate(text: string, lookup: Lookup, unset?: (name: string) => void): { value: string } | { error: string } {
  try {
    return { value: new Scanner(text, lookup, unset).run(text.length, false) };
  } catch (e) {
    if (e instanceof InterpolationError) return { error: e.message };
    throw e;
  }
}

class InterpolationError extends Error {}

class Scanner {
  i = 0;
  /** >0 while reading a default that is not used: syntax is still checked, nothing is looked up or required. */
  private quiet = 0;
  constructor(
    private readonly s: string,
    private readonly lookup: Lookup,
    private readonly unset?: (name: string) => void,
  ) {}

  private plain(name: string): string {
    if (this.quiet) return "";
    const v = this.lookup(name);
    if (v === undefined) this.unset?.(name);
    return v ?? "";
  }

  /** Reads up to `end`, or up to the "}" that closes the current ${...} when `nested`. */
  run(end: number, nested: boolean): string {
    let out = "";
    while (this.i < end) {
      const c = this.s[this.i];
      if (nested && c === "}") return out;
      if (c !== "$") {
        out += c;
        this.i++;
        continue;
      }
      const next = this.s[this.i + 1];
      if (next === "$") {
        out += "$";
        this.i += 2;
      } else if (next === "{") {
        this.i += 2;
        out += this.braced();
      } else {
        const m = NAME.exec(this.s.slice(this.i + 1));
        if (!m) throw new InterpolationError(`invalid interpolation in "${this.s}": write $$ for a literal $`);
        this.i += 1 + m[0].length;
        out += this.plain(m[0]);
      }
    }
    if (nested) throw new InterpolationError(`unclosed "\${" in "${this.s}"`);
    return out;
  }

  private braced(): string {
    const m = NAME.exec(this.s.slice(this.i));
    if (!m) throw new InterpolationError(`invalid interpolation in "${this.s}": \${ must be followed by a variable name`);
    const name = m[0];
    this.i += name.length;
    const rest = this.s.slice(this.i);
    const op = /^(:-|-|:\?|\?|:\+|\+)/.exec(rest)?.[0];
    if (!op) {
      if (this.i >= this.s.length) throw new InterpolationError(`unclosed "\${" in "${this.s}"`);
      if (this.s[this.i] !== "}") throw new InterpolationError(`invalid interpolation in "${this.s}" after \${${name}`);
      this.i++;
      return this.plain(name);
    }
    this.i += op.length;
    const value = this.quiet ? undefined : this.lookup(name);
    const unsetOrEmpty = value === undefined || value === "";
    const absent = op.startsWith(":") ? unsetOrEmpty : value === undefined;
    const used = op.endsWith("+") ? !absent : absent;
    if (!used) this.quiet++;
    const arg = this.run(this.s.length, true); // the argument may itself hold ${...}
    if (!used) this.quiet--;
    this.i++; // the closing "}"
    if (this.quiet) return "";
    switch (op) {
      case ":-":
      case "-":
        return absent ? arg : (value ?? "");
      case ":?":
      case "?":
        if (absent) throw new InterpolationError(`required variable ${name} is ${value === undefined ? "not set" : "empty"}${arg ? `: ${arg}` : ""}`);
        return value ?? "";
      default:
        return absent ? "" : arg;
    }
  }
}

/** Names a string refers to through interpolation (for passing them on to compose inside the sandbox). */
export function referencedNames(text: string): string[] {
  const names: string[] = [];
  const re = /\$\$|\$\{?([A-Za-z_][A-Za-z0-9_]*)/g;
  for (let m = re.exec(text); m; m = re.exec(text)) if (m[1]) names.push(m[1]);
  return names;
}
