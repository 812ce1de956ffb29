import assert from "node:assert/strict";
import { test } from "node:test";
import { normaliseApiUrl, profileIdFor, validateApiKey, validateApiUrl } from "../../../../src/core/daytona/profiles";

test("API URLs: full http(s) URLs without credentials, query or fragment", () => {
  assert.equal(validateApiUrl("https://daytona.example.com/api"), undefined);
  assert.equal(validateApiUrl("http://127.0.0.1:3000/api"), undefined);
  assert.match(validateApiUrl("daytona.example.com") ?? "", /full URL/);
  assert.match(validateApiUrl("ftp://x/api") ?? "", /https:\/\//);
  assert.match(validateApiUrl("https://u:p@x/api") ?? "", /credentials/);
  assert.match(validateApiUrl("https://x/api?token=1") ?? "", /query/);
  assert.equal(normaliseApiUrl(" https://x/api/// "), "https://x/api");
});

test("profile ids come from the address, so signing in again updates one profile", () => {
  assert.equal(profileIdFor("cloud", "https://app.daytona.io/api"), "cloud:app.daytona.io/api");
  assert.equal(profileIdFor("selfHosted", "https://d.example.com/api/", "org1"), "selfHosted:d.example.com/api#org1");
  assert.equal(profileIdFor("local", "http://127.0.0.1:1234/api"), "local");
});

test("API keys: non-empty, no spaces", () => {
  assert.equal(validateApiKey("dtn_abc123"), undefined);
  assert.ok(validateApiKey("   "));
  assert.ok(validateApiKey("a b"));
});
