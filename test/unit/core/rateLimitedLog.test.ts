import * as assert from "node:assert/strict";
import { describe, it } from "node:test";
import { RateLimitedLog, causeKey } from "../../../src/core/rateLimitedLog";

describe("RateLimitedLog", () => {
  it("writes a cause once per window and says how many repeats were left out", () => {
    let now = 0;
    const lines: string[] = [];
    const log = new RateLimitedLog({ warn: (m) => lines.push(m), error: (m) => lines.push(`E ${m}`), info: () => undefined }, 60_000, () => now);
    // Nine watchers of a stopped sandbox every 5 s for a minute: 108 attempts.
    for (let tick = 0; tick < 12; tick++, now += 5000) for (let w = 0; w < 9; w++) log.warn(`daytona fs: list /home/daytona/dir${w}: run docker: sandbox 1a2b3c4d5e is stopped`);
    assert.equal(lines.length, 1);
    now = 61_000;
    log.warn("daytona fs: list /x: run docker: sandbox 1a2b3c4d5e is stopped");
    assert.equal(lines.length, 2);
    assert.match(lines[1], /and 107 more like it in the last 61 s/);
    log.error("connect ECONNREFUSED 127.0.0.1:4567");
    log.warn("another cause");
    assert.equal(lines.length, 4);
  });
  it("a cause is the message without its paths, ids and numbers", () => {
    assert.equal(causeKey("stat /a/b: ECONNREFUSED 127.0.0.1:4000"), causeKey("stat /c: ECONNREFUSED 127.0.0.1:4001"));
    assert.notEqual(causeKey("stat /a: not found"), causeKey("stat /a: permission denied"));
  });
});
