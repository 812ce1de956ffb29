// Parsers against output captured for real (samples/real-output.json: docker 28.2.2, docker-compose
// 1.29.2, busybox 1.35) and, for compose v2's JSON, hand-written samples (marked below).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { isDead, isUp, parseComposeDetect, parseComposePsJson, parseLabelPs } from "../../../../src/core/dind/parse";
import { fileOpError, parseStatRecords, recordToStat } from "../../../../src/core/dind/statParse";
import { FileKind } from "../../../../src/core/targets/target";

type Sample = { exitCode: number; output: string };
const real = JSON.parse(readFileSync(path.join(__dirname, "samples", "real-output.json"), "utf8")) as Record<string, Sample>;

test("compose detection: v1 standalone (real), v2 plugin and v2 standalone (hand-written), none", () => {
  assert.deepEqual(parseComposeDetect(real.detect.output), { argv: ["docker-compose"], v2: false, version: "1.29.2" });
  // Hand-written, in the form compose 2.x prints.
  assert.deepEqual(parseComposeDetect("cli=plugin\nDocker Compose version v2.39.1"), { argv: ["docker", "compose"], v2: true, version: "v2.39.1" });
  assert.deepEqual(parseComposeDetect("cli=standalone\nDocker Compose version 2.20.2"), { argv: ["docker-compose"], v2: true, version: "2.20.2" });
  assert.throws(() => parseComposeDetect("cli=none\nsh: docker-compose: not found"), /Neither `docker compose` nor `docker-compose` works in the sandbox: sh: docker-compose: not found/);
  assert.throws(() => parseComposeDetect("cli=plugin\ngarbage"), /Could not read the compose version/);
});

test("docker ps by labels (real v1 project: healthy, plain running, exited)", () => {
  const rows = parseLabelPs(`WARNING: a stray line\n${real.labelPs.output}`);
  assert.deepEqual(
    rows.map((r) => [r.service, r.state, r.health, isUp(r), isDead(r)]),
    [
      ["web", "running", "healthy", true, false],
      ["sleeper", "running", undefined, true, false],
      ["bad", "exited", undefined, false, true],
    ],
  );
  assert.equal(rows[0].id.length, 64);
  assert.match(rows[2].status, /^Exited \(1\)/);
  // Hand-written: states docker prints while a healthcheck runs or fails.
  const [starting, unhealthy] = parseLabelPs("0123456789ab|running|db|Up 2 seconds (health: starting)\n0123456789ac|running|db|Up 1 minute (unhealthy)");
  assert.equal(isUp(starting), false);
  assert.equal(isDead(starting), false);
  assert.equal(isDead(unhealthy), true);
});

test("compose v2 ps --format json: array (before 2.21) and NDJSON (after) [hand-written samples]", () => {
  const arr = '[{"ID":"aaaaaaaaaaaa","Name":"p-web-1","Service":"web","State":"running","Health":"healthy","Status":"Up 3 seconds (healthy)"},{"ID":"bbbbbbbbbbbb","Name":"p-job-1","Service":"job","State":"exited","Health":"","Status":"Exited (1) 2 seconds ago"}]';
  const nd = 'time="x" level=warning msg="version is obsolete"\n{"ID":"aaaaaaaaaaaa","Service":"web","State":"running","Health":"","Status":"Up 3 seconds"}\n{"ID":"cccccccccccc","Service":"db","State":"running","Health":"starting","Status":"Up 1 second (health: starting)"}';
  assert.deepEqual(parseComposePsJson(arr).map((r) => [r.service, r.state, r.health]), [["web", "running", "healthy"], ["job", "exited", undefined]]);
  assert.deepEqual(parseComposePsJson(nd).map((r) => [r.service, isUp(r)]), [["web", true], ["db", false]]);
  assert.deepEqual(parseComposePsJson(""), []);
});

test("stat records from busybox (real): hidden, dangling and directory links, a newline and a | in names", () => {
  const recs = parseStatRecords(real.list.output);
  assert.deepEqual(recs.map((r) => r.name), [".hid", "dangling", "ldir", "new\nline", "sp ace"]);
  const stats = Object.fromEntries(recs.map((r) => [r.name, recordToStat(r, "root")]));
  assert.equal(stats[".hid"].type, FileKind.File);
  assert.equal(stats[".hid"].mode, 0o600);
  assert.equal(stats[".hid"].owner, "nobody");
  assert.equal(stats["dangling"].type, FileKind.File | FileKind.SymbolicLink);
  assert.equal(stats["ldir"].type, FileKind.Directory | FileKind.SymbolicLink);
  assert.equal(stats["new\nline"].size, 3);
  assert.equal(stats["sp ace"].type, FileKind.Directory);
  assert.equal(stats["sp ace"].mtime, 1795433331000);
  // Not root and not the owner: a 0644 file is read-only, a 0600 one of someone else's too.
  assert.equal(recordToStat(recs[3], "nobody").readonly, true);
  assert.equal(recordToStat(recs[0], "nobody").readonly, false);
  const [file] = parseStatRecords(real.statFile.output);
  assert.equal(file.name, "/d/sp ace/f|x");
  assert.equal(file.size, 2);
  const [link] = parseStatRecords(real.statLink.output);
  assert.equal(recordToStat(link).type, FileKind.Directory | FileKind.SymbolicLink);
  assert.deepEqual(parseStatRecords(""), []);
});

test("error text maps to the same codes as the toolbox's (real busybox and docker messages)", () => {
  const code = (s: Sample) => fileOpError("op", s.output, s.exitCode).code;
  assert.equal(code(real.statMissing), "notFound");
  assert.equal(code(real.listMissing), "notFound");
  assert.equal(code(real.listFile), "notDirectory");
  assert.equal(code(real.readDir), "isDirectory");
  assert.equal(code(real.readMissing), "notFound");
  assert.equal(code(real.mkdirExists), "exists");
  assert.equal(code(real.mkdirNoParent), "notFound");
  assert.equal(code(real.noContainer), "unavailable");
  // Hand-written, as GNU coreutils and dash print them.
  assert.equal(fileOpError("op", "cat: /root/x: Permission denied", 1).code, "noPermissions");
  assert.equal(fileOpError("op", "sh: 1: cannot create /nope/x: Directory nonexistent", 2).code, "notFound");
  assert.equal(fileOpError("op", "mv: cannot move 'a' to 'b': Read-only file system", 1).code, "noPermissions");
  assert.equal(fileOpError("op", "rmdir: '/d': Directory not empty", 1).code, "other");
  const e = fileOpError("read /x", "", 3);
  assert.equal(e.message, "read /x: exit code 3");
});
