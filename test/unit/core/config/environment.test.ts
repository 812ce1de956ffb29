import assert from "node:assert/strict";
import { describe } from "node:test";
import { runCases, y } from "./harness";

describe("environment and interpolation", () => {
  runCases("env", [
    {
      name: "list form: split at the first =, bare key from the environment, unset bare key dropped",
      files: { "compose.yaml": y(`
        services:
          app:
            image: a
            environment:
              - URL=postgres://u:p@db/x?a=b
              - EMPTY=
              - FROM_SHELL
              - NOT_SET
      `) },
      env: { FROM_SHELL: "yes" },
      warnings: ["compose.yaml:8:9 services.app.environment[3]"],
      check: (p) => assert.deepEqual(p.sandbox.envVars, { URL: "postgres://u:p@db/x?a=b", EMPTY: "", FROM_SHELL: "yes" }),
    },
    {
      name: "map form: scalars as strings, null takes the environment or is dropped",
      files: { "compose.yaml": y(`
        services:
          app:
            image: a
            environment:
              PORT: 8080
              DEBUG: true
              RATIO: 0.5
              FROM_SHELL:
              GONE: ~
      `) },
      env: { FROM_SHELL: "s" },
      warnings: ["compose.yaml:9:7 services.app.environment.GONE"],
      check: (p) => assert.deepEqual(p.sandbox.envVars, { PORT: "8080", DEBUG: "true", RATIO: "0.5", FROM_SHELL: "s" }),
    },
    {
      name: "environment errors: nested value, empty name, wrong type",
      files: { "compose.yaml": y(`
        services:
          app:
            image: a
            environment:
              NESTED: {a: 1}
          two:
            image: b
            environment: ["=x", [1]]
          three:
            image: c
            environment: 5
      `) },
      errors: ["compose.yaml:5:15 services.app.environment.NESTED", "compose.yaml:8:19 services.two.environment[0]", "compose.yaml:8:25 services.two.environment[1]", "compose.yaml:11:18 services.three.environment"],
    },
    {
      name: "env_file then environment, x-daytona env_vars over both",
      files: {
        "compose.yaml": y(`
          x-daytona:
            env_vars: {C: from-x}
          services:
            app:
              image: a
              env_file: [common.env, {path: missing.env, required: false}]
              environment: {B: from-environment}
        `),
        "common.env": "# comment\nexport A=from-file\nB=file\nC='single # quoted'\nD=\"a\\nb\" # trailing\n",
      },
      check: (p) => assert.deepEqual(p.sandbox.envVars, { A: "from-file", B: "from-environment", C: "from-x", D: "a\nb" }),
    },
    { name: "a required env_file that is missing", files: { "compose.yaml": "services:\n  app:\n    image: a\n    env_file: nope.env\n" }, errors: ["compose.yaml:4:15 services.app.env_file"] },
    {
      name: "interpolation: braces, defaults, $$, .env, and the given env wins over .env",
      files: {
        "compose.yaml": y(`
          services:
            app:
              image: "repo/\${IMAGE:-base}:\${TAG}"
              environment:
                - PRICE=$$5
                - WHO=$USER
                - ALT=\${UNSET-fallback}
                - PLUS=\${TAG:+tagged}
                - NESTED=\${UNSET:-\${TAG}-x}
        `),
        ".env": "TAG=from-dotenv\nUSER=dotenv-user\n",
      },
      env: { USER: "shell-user" },
      check: (p) => {
        assert.deepEqual(p.sandbox.image, { kind: "name", name: "repo/base:from-dotenv" });
        assert.deepEqual(p.sandbox.envVars, { PRICE: "$5", WHO: "shell-user", ALT: "fallback", PLUS: "tagged", NESTED: "from-dotenv-x" });
      },
    },
    {
      name: "interpolation errors: required variable, lone $, unclosed brace",
      files: { "compose.yaml": y(`
        services:
          app:
            image: "\${IMAGE:?set IMAGE to the image to run}"
            environment: ["A=5$", "B=\${OPEN"]
      `) },
      errors: ["compose.yaml:3:12 services.app.image", "compose.yaml:4:19 services.app.environment[0]", "compose.yaml:4:27 services.app.environment[1]"],
      messages: ["required variable IMAGE is not set: set IMAGE to the image to run", "write $$ for a literal $", 'unclosed "${"'],
    },
    {
      name: "interpolated values are cast by type like Compose",
      files: { "compose.yaml": y(`
        x-daytona:
          public: \${PUBLIC}
          auto_stop_interval: \${STOP}
        services:
          app:
            image: a
            cpus: \${CPUS}
      `) },
      env: { PUBLIC: "true", STOP: "45", CPUS: "2.5" },
      check: (p) => {
        assert.equal(p.sandbox.public, true);
        assert.equal(p.sandbox.autoStopInterval, 45);
        assert.equal(p.sandbox.resources?.cpu, 3);
      },
    },
    {
      name: "a bad .env line is reported in the .env file",
      files: { "compose.yaml": "services:\n  app:\n    image: a\n", ".env": "OK=1\n  this is not valid\nQ=\"unclosed\n" },
      errors: [".env:2:3 this", ".env:3:1 Q"],
    },
  ]);
});
