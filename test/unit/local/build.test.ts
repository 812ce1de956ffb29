// Image.fromDockerfile: the context goes up through the S3 endpoint (single PUT and multipart for
// > 5 MiB), the engine builds it (FROM mapped onto local images), logs stream and end; failures say why.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile, mkdir } from "node:fs/promises";
import { randomBytes, createHash } from "node:crypto";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { Image } from "@daytonaio/sdk";
import { startTestServer } from "./helpers";

test("Dockerfile build with a COPY from the uploaded context, logs streamed", async (t) => {
  const ts = await startTestServer();
  const dir = await mkdtemp(path.join(tmpdir(), "ctx-"));
  t.after(async () => {
    await ts.stop();
    await rm(dir, { recursive: true, force: true });
  });
  await writeFile(path.join(dir, "hello.txt"), "hello from the context\n");
  await mkdir(path.join(dir, "app"));
  const big = randomBytes(6 * 1024 * 1024); // > 5 MiB: lib-storage switches to multipart
  await writeFile(path.join(dir, "app", "big.bin"), big);
  await writeFile(
    path.join(dir, "Dockerfile"),
    [
      "# a comment",
      "FROM python:3.12-slim",
      "ARG GREETING=hi",
      "ENV APP_HOME=/home/daytona/app \\",
      "    MODE=test",
      "WORKDIR $APP_HOME",
      "COPY hello.txt ./",
      "COPY app/ ./data/",
      'RUN echo "${GREETING} built in $(pwd) mode=$MODE" > built.txt && echo step-output-line',
      'CMD ["sleep", "infinity"]',
    ].join("\n"),
  );
  const logs: string[] = [];
  const sb = await ts.daytona.create({ image: Image.fromDockerfile(path.join(dir, "Dockerfile")) }, { timeout: 60, onSnapshotCreateLogs: (l) => logs.push(l) });
  assert.equal(sb.state, "started");
  const hello = await sb.process.executeCommand("cat /home/daytona/app/hello.txt");
  assert.equal(hello.result, "hello from the context\n");
  const built = await sb.fs.downloadFile("/home/daytona/app/built.txt");
  assert.equal(built.toString(), "hi built in /home/daytona/app mode=test\n");
  const bigBack = await sb.fs.downloadFile("/home/daytona/app/data/big.bin");
  assert.equal(createHash("md5").update(bigBack).digest("hex"), createHash("md5").update(big).digest("hex"));
  const joined = logs.join("\n");
  assert.match(joined, /step-output-line/);
  assert.match(joined, /Build finished/);
  const routes = ts.server.stats().byRoute;
  assert.ok((routes["GET /object-storage/push-access"] ?? 0) >= 1);
  assert.ok((routes["POST /s3"] ?? 0) >= 2, "multipart create + complete");
  assert.ok((routes["PUT /s3"] ?? 0) >= 2, "parts or PutObject");

  // The same context again: ListObjectsV2 finds it, nothing is uploaded twice.
  const putsBefore = routes["PUT /s3"] ?? 0;
  const again = await ts.daytona.create({ image: Image.fromDockerfile(path.join(dir, "Dockerfile")) });
  assert.equal(again.state, "started");
  assert.equal(ts.server.stats().byRoute["PUT /s3"] ?? 0, putsBefore);
});

test("a failing step fails the build with the engine's message; logs end", async (t) => {
  const ts = await startTestServer();
  t.after(() => ts.stop());
  const dockerfile = "FROM alpine\nRUN echo ok\nHEALTHCHECK CMD true\nRUN echo about-to-fail && exit 3\n";
  const r = await fetch(`${ts.server.apiUrl}/sandbox`, {
    method: "POST",
    headers: { authorization: `Bearer ${ts.server.token}`, "content-type": "application/json" },
    body: JSON.stringify({ name: "bad-build", buildInfo: { dockerfileContent: dockerfile, contextHashes: [] } }),
  });
  assert.equal(r.status, 200);
  const created = (await r.json()) as { id: string; state: string };
  assert.equal(created.state, "pending_build");
  const { url } = (await (await fetch(`${ts.server.apiUrl}/sandbox/${created.id}/build-logs-url`, { headers: { authorization: `Bearer ${ts.server.token}` } })).json()) as { url: string };
  const logRes = await fetch(`${url}?follow=true`, { headers: { authorization: `Bearer ${ts.server.token}` } });
  const text = await logRes.text(); // resolves only when the stream ends with the build
  assert.match(text, /line 1: FROM alpine: not on the local engine/);
  assert.match(text, /about-to-fail/);
  assert.match(text, /returned a non-zero code: 3/);
  const sb = await ts.daytona.get(created.id);
  assert.equal(sb.state, "build_failed");
  assert.match(sb.errorReason ?? "", /exit 3.*non-zero code: 3/);
});
