import assert from "node:assert/strict";
import { join } from "node:path";
import { describe, it } from "node:test";
import { mapToLocal, parseLocation, parseLocations } from "../../../../src/core/testing";

const LOCAL = join("/local", "ws");

describe("mapToLocal", () => {
  const cases: [string, string | undefined][] = [
    ["/home/daytona/app/src/a.ts", join(LOCAL, "src", "a.ts")],
    ["/home/daytona/app/", LOCAL],
    ["/home/daytona/app/./src/../lib/b.js", join(LOCAL, "lib", "b.js")],
    ["file:///home/daytona/app/test/x%20y.mjs", join(LOCAL, "test", "x y.mjs")],
    ["src/a.ts", join(LOCAL, "src", "a.ts")],
    ["./src/a.ts", join(LOCAL, "src", "a.ts")],
    ["/home/daytona/application/a.ts", undefined],
    ["/home/daytona/app/node_modules/x/index.js", undefined],
    ["node_modules/x/index.js", undefined],
    ["/usr/lib/go-1.19/src/testing/testing.go", undefined],
    ["../other/a.ts", undefined],
    ["/home/daytona/app/../secret", undefined],
    ["", undefined],
  ];
  for (const [remote, local] of cases) {
    it(`${remote || "(empty)"} -> ${local ?? "undefined"}`, () => assert.equal(mapToLocal(remote, "/home/daytona/app", LOCAL), local));
  }
  it("a root of / keeps everything under it", () => assert.equal(mapToLocal("/a/b.ts", "/", LOCAL), join(LOCAL, "a", "b.ts")));
});

describe("parseLocation", () => {
  const root = "/home/daytona/app";
  const cases: [string, string, object | undefined][] = [
    ["node stack", "Error: x\n    at node:internal/a:1:2\n    at f (/home/daytona/app/node_modules/m/i.js:3:4)\n    at g (file:///home/daytona/app/t.test.mjs:15:12)", { file: "/home/daytona/app/t.test.mjs", line: 15, column: 12 }],
    ["outside the root", "at f (/opt/other/x.js:1:1)", undefined],
    ["go", "    math_test.go:17: Add(2, 2) = 4", { file: "math_test.go", line: 17 }],
    ["pytest", "test_sample.py:14: AssertionError", { file: "test_sample.py", line: 14 }],
    ["rust", "thread 'x' panicked at src/lib.rs:26:9:", { file: "src/lib.rs", line: 26, column: 9 }],
    ["rustc internals skipped", "at /rustc/abc/library/core/src/panicking.rs:80:14", undefined],
    ["no extension (node:internal style)", "at internal/test_runner/test:796:25", undefined],
    ["windows-style text is no match, nothing thrown", "C:\\x\\y.ts:1:2", undefined],
    ["line 0 is not a line", "a.ts:0:1", undefined],
  ];
  for (const [name, text, want] of cases) it(name, () => assert.deepEqual(parseLocation(text, root), want));
  it("without a root: the sandbox's system and toolchain paths are still skipped", () =>
    assert.deepEqual(parseLocation("\t/usr/lib/go-1.19/src/testing/testing.go:1396 +0x24e\n\t/app/sub/x_test.go:7 +0x2e"), { file: "/app/sub/x_test.go", line: 7 }));
  it("every candidate in order", () => assert.deepEqual(parseLocations("a.go:1: x\nb/c.go:2: y", root).map((l) => l.file), ["a.go", "b/c.go"]));
});
