import assert from "node:assert/strict";
import { describe } from "node:test";
import { runCases, y } from "./harness";

const DF = "FROM ubuntu:24.04\n";
const one = (svc: string) => y(`
  services:
    app:
${svc.split("\n").map((l) => `      ${l}`).join("\n")}
`);

describe("discovery", () => {
  runCases("discovery", [
    {
      name: "empty folder: Daytona's default snapshot",
      files: { "README.md": "hi" },
      check: (p) => {
        assert.equal(p.kind, "default");
        assert.equal(p.sandbox.labels["daytona.vscode/source"], ".");
      },
    },
    {
      name: "compose.yaml wins over docker-compose.yml and Dockerfile",
      files: { "compose.yaml": one("image: a"), "docker-compose.yml": one("image: b"), Dockerfile: DF },
      check: (p) => assert.deepEqual(p.kind === "compose-single" && p.sandbox.image, { kind: "name", name: "a" }),
    },
    {
      name: "docker-compose.yml wins over Dockerfile",
      files: { "docker-compose.yml": one("image: b"), Dockerfile: DF },
      check: (p) => assert.equal(p.kind === "compose-single" && p.file, "/ws/docker-compose.yml"),
    },
    {
      name: "only a Dockerfile: built with its folder as context",
      files: { Dockerfile: "# syntax=docker/dockerfile:1\nARG V=1\nFROM node:${V}\n" },
      check: (p) => assert.deepEqual(p.kind === "dockerfile" && p.sandbox.image, { kind: "dockerfile", dockerfile: "/ws/Dockerfile", context: "/ws" }),
    },
    {
      name: "a right-clicked api.Dockerfile is used as it is",
      files: { "sub/api.Dockerfile": DF, "compose.yaml": one("image: x") },
      target: "sub/api.Dockerfile",
      check: (p) => {
        assert.equal(p.kind, "dockerfile");
        assert.equal(p.folder, "/ws/sub");
        assert.equal(p.sandbox.labels["daytona.vscode/source"], "api.Dockerfile");
      },
    },
    { name: "missing target", files: {}, target: "nope", errors: ["nope:1:1 "], messages: ["no such file or folder"] },
    { name: "a file that is neither compose nor Dockerfile", files: { "notes.txt": "x" }, target: "notes.txt", errors: ["notes.txt:1:1 "] },
    {
      name: "Dockerfile whose first instruction is not FROM",
      files: { Dockerfile: "# comment\n\n  RUN echo hi\nFROM x\n" },
      errors: ["Dockerfile:3:3 RUN"],
      messages: ["the first instruction must be FROM"],
    },
    { name: "empty Dockerfile", files: { Dockerfile: "# only a comment\n" }, errors: ["Dockerfile:1:1 FROM"] },
    { name: "FROM without an image", files: { Dockerfile: "FROM\n" }, errors: ["Dockerfile:1:1 FROM"] },
  ]);
});

describe("build versus image", () => {
  runCases("build", [
    { name: "image only", files: { "compose.yaml": one("image: python:3.12") }, check: (p) => assert.deepEqual(p.sandbox.image, { kind: "name", name: "python:3.12" }) },
    {
      name: "build string form: <dir>/<build>/Dockerfile",
      files: { "compose.yaml": one("build: ./api"), "api/Dockerfile": DF },
      check: (p) => assert.deepEqual(p.sandbox.image, { kind: "dockerfile", dockerfile: "/ws/api/Dockerfile", context: "/ws/api" }),
    },
    {
      name: "build object form with context and dockerfile",
      files: { "compose.yaml": one("build:\n  context: api\n  dockerfile: docker/Dev.Dockerfile"), "api/docker/Dev.Dockerfile": DF },
      check: (p) => assert.deepEqual(p.sandbox.image, { kind: "dockerfile", dockerfile: "/ws/api/docker/Dev.Dockerfile", context: "/ws/api" }),
    },
    {
      name: "build wins over image",
      files: { "compose.yaml": one("image: myapp:dev\nbuild: ."), Dockerfile: DF },
      check: (p) => assert.equal(p.sandbox.image?.kind, "dockerfile"),
    },
    { name: "neither build nor image", files: { "compose.yaml": one("user: me") }, errors: ["compose.yaml:2:3 services.app"], messages: ["neither build nor image"] },
    {
      name: "missing Dockerfile names the path at the build key",
      files: { "compose.yaml": one("build:\n  context: .\n  dockerfile: Dockerfile.dev") },
      errors: ["compose.yaml:5:19 services.app.build.dockerfile"],
      messages: ["Dockerfile not found: /ws/Dockerfile.dev"],
    },
    {
      name: "a Dockerfile named by compose is checked for FROM",
      files: { "compose.yaml": one("build: ."), Dockerfile: "RUN x\n" },
      errors: ["Dockerfile:1:1 RUN"],
    },
    { name: "remote build context cannot be a single sandbox", files: { "compose.yaml": one("build: https://github.com/a/b.git") }, errors: ["compose.yaml:3:12 services.app.build"] },
    {
      name: "build args and target: the one service is built by compose in Docker-in-Docker, never built without them",
      files: { "compose.yaml": one("build:\n  context: .\n  args: {A: 1}\n  target: dev"), Dockerfile: DF },
      warnings: ["compose.yaml:6:7 services.app.build.target"],
      check: (p) => assert.equal(p.kind, "compose-dind"),
    },
    { name: "unknown build key is an error", files: { "compose.yaml": one("build:\n  contxt: ."), Dockerfile: DF }, errors: ["compose.yaml:4:7 services.app.build.contxt"] },
  ]);
});
