import assert from "node:assert/strict";
import { test } from "node:test";
import { DaytonaRequestError, redact, toDaytonaError } from "../../../../src/core/daytona/errors";

test("HTTP statuses map to kinds", () => {
  const cases: [number, string][] = [[401, "unauthorized"], [403, "forbidden"], [404, "notFound"], [409, "conflict"], [400, "invalid"], [503, "server"], [504, "timeout"]];
  for (const [status, kind] of cases) assert.equal(toDaytonaError(Object.assign(new Error("x"), { statusCode: status })).kind, kind, String(status));
});

test("network failures are unreachable and transient; cancellations are cancelled", () => {
  const refused = toDaytonaError(Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:1"), { code: "ECONNREFUSED" }));
  assert.equal(refused.kind, "unreachable");
  assert.equal(refused.transient, true);
  assert.equal(toDaytonaError(Object.assign(new Error("timeout of 100ms exceeded"), { code: "ECONNABORTED" })).kind, "timeout");
  assert.equal(toDaytonaError(Object.assign(new Error("canceled"), { name: "CanceledError" })).kind, "cancelled");
  assert.equal(toDaytonaError(new Error("x")).transient, false);
});

test("messages never carry the key or a bearer token", () => {
  const key = "dtn_supersecretkey123";
  const e = toDaytonaError(new Error(`request with Authorization: Bearer ${key} failed, key ${key}`), [key]);
  assert.ok(!e.message.includes(key));
  assert.equal(redact("Bearer abc.def"), "Bearer ***");
  assert.ok(e instanceof DaytonaRequestError);
});
