// Hostile names shared by the bad-input tests. Every string that a shell would act on creates the
// canary file, so "the canary does not exist afterwards" proves no text was run as a command.
import { randomBytes } from "node:crypto";

export function hostileSet(canary: string): string[] {
  return [
    "with space",
    "it's",
    'dq"x"',
    `$(touch ${canary})`,
    `\`touch ${canary}\``,
    `x; touch ${canary}`,
    `x\ntouch ${canary}`,
    `x && touch ${canary} || touch ${canary}`,
    `'$(touch ${canary})'`,
    "tab\there",
    "ünïcödé €",
    "-rf",
    "*",
    "\\back",
    `${"é".repeat(2490)} $(touch ${canary}) ${"x".repeat(2490)}`, // 5,000+ characters
  ];
}

export function newCanary(): string {
  return `/tmp/CANARY-${randomBytes(6).toString("hex")}`;
}
