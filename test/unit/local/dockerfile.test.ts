// The pure Dockerfile parser and substitution helpers, as tables of cases.
import { test } from "node:test";
import assert from "node:assert/strict";
import { parseDockerfile, parseKeyValues, splitWords, substitute } from "../../../src/local/build/dockerfile";

const parseCases: { name: string; input: string; want: { line: number; keyword: string; args: string; json?: string[]; flags?: Record<string, string> }[] }[] = [
  { name: "simple", input: "FROM alpine\nRUN echo hi", want: [{ line: 1, keyword: "FROM", args: "alpine" }, { line: 2, keyword: "RUN", args: "echo hi" }] },
  { name: "lowercase keyword", input: "from alpine", want: [{ line: 1, keyword: "FROM", args: "alpine" }] },
  { name: "comments and blank lines", input: "# syntax=docker/dockerfile:1\n\nFROM a\n  # indented comment\nRUN x", want: [{ line: 3, keyword: "FROM", args: "a" }, { line: 5, keyword: "RUN", args: "x" }] },
  { name: "continuation", input: "RUN apt-get update && \\\n    apt-get install -y git\nENV A=1", want: [{ line: 1, keyword: "RUN", args: "apt-get update &&     apt-get install -y git" }, { line: 3, keyword: "ENV", args: "A=1" }] },
  { name: "comment inside continuation", input: "RUN a \\\n# note\n  b", want: [{ line: 1, keyword: "RUN", args: "a   b" }] },
  { name: "json form", input: 'CMD ["sleep", "infinity"]', want: [{ line: 1, keyword: "CMD", args: '["sleep", "infinity"]', json: ["sleep", "infinity"] }] },
  { name: "broken json is shell form", input: "CMD [oops", want: [{ line: 1, keyword: "CMD", args: "[oops" }] },
  { name: "flags", input: "COPY --chown=1000:1000 --from=build a b", want: [{ line: 1, keyword: "COPY", args: "a b", flags: { chown: "1000:1000", from: "build" } }] },
  { name: "CRLF", input: "FROM a\r\nRUN b\r\n", want: [{ line: 1, keyword: "FROM", args: "a" }, { line: 2, keyword: "RUN", args: "b" }] },
  { name: "continuation joins without a space", input: "RUN ab\\\ncd", want: [{ line: 1, keyword: "RUN", args: "abcd" }] },
  { name: "trailing continuation at EOF", input: "RUN a \\", want: [{ line: 1, keyword: "RUN", args: "a" }] },
];

for (const c of parseCases) {
  test(`parseDockerfile: ${c.name}`, () => {
    const got = parseDockerfile(c.input).map((i) => ({ line: i.line, keyword: i.keyword, args: i.args, ...(i.json ? { json: i.json } : {}), ...(Object.keys(i.flags).length ? { flags: i.flags } : {}) }));
    assert.deepEqual(got, c.want);
  });
}

const wordCases: [string, string[]][] = [
  ["a b  c", ["a", "b", "c"]],
  ['"a b" c', ["a b", "c"]],
  ["'a $b' \"c\\\"d\"", ["a $b", 'c"d']],
  ["a\\ b", ["a b"]],
  ['""', [""]],
];
for (const [input, want] of wordCases) test(`splitWords ${JSON.stringify(input)}`, () => assert.deepEqual(splitWords(input), want));
test("splitWords rejects an open quote", () => assert.throws(() => splitWords('"abc'), /unterminated/));

const kvCases: [string, [string, string][]][] = [
  ["A=1 B=two", [["A", "1"], ["B", "two"]]],
  ['A="x y" B=z', [["A", "x y"], ["B", "z"]]],
  ["LEGACY value with spaces", [["LEGACY", "value with spaces"]]],
];
for (const [input, want] of kvCases) test(`parseKeyValues ${JSON.stringify(input)}`, () => assert.deepEqual(parseKeyValues(input), want));

const subCases: [string, Record<string, string>, string][] = [
  ["$A/${B}", { A: "1", B: "2" }, "1/2"],
  ["${MISSING:-dflt}", {}, "dflt"],
  ["${SET:-dflt}", { SET: "v" }, "v"],
  ["${SET:+alt}", { SET: "v" }, "alt"],
  ["${UNSET:+alt}", {}, ""],
  ["\\$A", { A: "1" }, "$A"],
  ["$UNKNOWN-x", {}, "-x"],
];
for (const [input, vars, want] of subCases) test(`substitute ${JSON.stringify(input)}`, () => assert.equal(substitute(input, vars), want));
