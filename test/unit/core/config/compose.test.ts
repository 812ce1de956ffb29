import assert from "node:assert/strict";
import { describe } from "node:test";
import { runCases, y } from "./harness";

const compose = (text: string) => ({ "compose.yaml": y(text) });

describe("compose file rules", () => {
  runCases("compose", [
    {
      name: "unsupported keys of a single service are warnings naming the key",
      files: compose(`
        services:
          app:
            image: a
            command: npm start
            ports: ["3000:3000"]
            volumes: [".:/app"]
            healthcheck: {test: [CMD, "true"]}
            working_dir: /app
            cap_drop: [ALL]
            deploy: {replicas: 2}
      `),
      warnings: ["compose.yaml:4:5 services.app.command", "compose.yaml:5:5 services.app.ports", "compose.yaml:6:5 services.app.volumes", "compose.yaml:7:5 services.app.healthcheck", "compose.yaml:8:5 services.app.working_dir", "compose.yaml:9:5 services.app.cap_drop", "compose.yaml:10:14 services.app.deploy.replicas"],
      messages: ["command is not applied: a sandbox runs Daytona's own process"],
    },
    {
      name: "unknown keys are errors; a missing include is an error at the entry",
      files: compose(`
        include: [other.yaml]
        services:
          app:
            image: a
            extends: {service: base}
            imgae: b
            deploy: {replicaz: 1}
          base: {image: c}
        volumnes: {}
      `),
      errors: ["compose.yaml:1:11 include[0]", "compose.yaml:6:5 services.app.imgae", "compose.yaml:7:14 services.app.deploy.replicaz", "compose.yaml:9:1 volumnes"],
      messages: ['did you mean "image"?'],
    },
    {
      name: "version is obsolete; x- extension keys are ignored",
      files: compose(`
        version: "3.8"
        x-common: &common {image: a}
        services:
          app:
            <<: *common
            x-note: hello
      `),
      warnings: ["compose.yaml:1:1 version"],
      check: (p) => assert.deepEqual(p.sandbox.image, { kind: "name", name: "a" }),
    },
    {
      name: "anchors and merge keys: explicit keys win over merged ones",
      files: compose(`
        x-env: &env {A: "1", B: "2"}
        x-base: &base
          image: base
          environment: *env
        services:
          app:
            <<: [*base]
            image: own
      `),
      check: (p) => {
        assert.deepEqual(p.sandbox.image, { kind: "name", name: "own" });
        assert.deepEqual(p.sandbox.envVars, { A: "1", B: "2" });
      },
    },
    { name: "YAML syntax error with its position", files: compose(`services:\n  app:\n    image: [a\n`), errors: ["compose.yaml:4:1 "] },
    { name: "duplicate keys are an error", files: compose(`services:\n  app:\n    image: a\n    image: b\n`), errors: ["compose.yaml:4:5 "] },
    { name: "more than one YAML document", files: compose(`services: {app: {image: a}}\n---\nservices: {}\n`), errors: ["compose.yaml:2:1 "] },
    { name: "empty compose file", files: { "compose.yaml": "# nothing\n" }, errors: ["compose.yaml:1:1 "] },
    { name: "the top level must be a mapping", files: compose(`- services`), errors: ["compose.yaml:1:1 "] },
    { name: "no services mapping", files: compose(`name: x\nnetworks: {}`), errors: ["compose.yaml:1:1 services"] },
    { name: "services that is not a mapping", files: compose(`services: [a, b]`), errors: ["compose.yaml:1:11 services"] },
    { name: "a service that is not a mapping", files: compose(`services:\n  app: nginx`), errors: ["compose.yaml:2:8 services.app"] },
    {
      name: "keys named like JavaScript object members are plain keys",
      files: compose(`
        x-daytona:
          constructor: 1
          env_vars: {__proto__: kept}
          resources: {toString: 1}
        services:
          app:
            image: a
            constructor: x
            environment: {__proto__: "also kept", hasOwnProperty: "1"}
      `),
      errors: ["compose.yaml:4:15 x-daytona.resources.toString", "compose.yaml:8:5 services.app.constructor"],
      warnings: ["compose.yaml:2:3 x-daytona.constructor"],
      messages: ['"constructor" is not a Compose service key'],
    },
    {
      name: "environment keeps a __proto__ variable",
      files: compose(`services:\n  app:\n    image: a\n    environment: ["__proto__=v", "A=1"]`),
      check: (p) => assert.deepEqual(Object.entries(p.sandbox.envVars), [["__proto__", "v"], ["A", "1"]]),
    },
    {
      name: "network_mode none blocks the network, host does not",
      files: compose(`services:\n  app:\n    image: a\n    network_mode: none`),
      check: (p) => assert.equal(p.sandbox.networkBlockAll, true),
    },
    {
      name: "profiles: an inactive service is not started and is reported",
      files: compose(`
        services:
          app:
            image: a
          debug:
            image: b
            profiles: [debug]
      `),
      warnings: ["compose.yaml:6:5 services.debug.profiles"],
      check: (p) => assert.equal(p.kind === "compose-single" && p.service, "app"),
    },
    {
      name: "profiles: COMPOSE_PROFILES activates a service",
      files: compose(`services:\n  app:\n    image: a\n  debug:\n    image: b\n    profiles: [debug]`),
      env: { COMPOSE_PROFILES: "other,debug" },
      check: (p) => assert.equal(p.kind, "compose-dind"),
    },
    { name: "profiles: nothing left to start", files: compose(`services:\n  app:\n    image: a\n    profiles: [x]`), errors: ["compose.yaml:1:1 services"], warnings: ["compose.yaml:4:5 services.app.profiles"] },
    {
      name: "depends_on: unknown service, itself, a cycle, a service left out by profiles",
      files: compose(`
        services:
          a:
            image: a
            depends_on: [a, ghost, opt]
          b:
            image: b
            depends_on: {c: {condition: service_healthy}}
          c:
            image: c
            depends_on: {b: {condition: service_started, required: true}}
          opt:
            image: o
            profiles: [extra]
      `),
      errors: ["compose.yaml:4:18 services.a.depends_on.a", "compose.yaml:4:21 services.a.depends_on.ghost", "compose.yaml:4:28 services.a.depends_on.opt", "compose.yaml:10:18 services.c.depends_on.b"],
      messages: ["dependency cycle: b -> c -> b", "which is not defined", "which its profiles leave out"],
    },
    {
      name: "depends_on: a bad condition, and required: false on a left-out service is fine",
      files: compose(`
        services:
          a:
            image: a
            depends_on: {b: {condition: started}, opt: {required: false}}
          b: {image: b}
          opt: {image: o, profiles: [extra]}
      `),
      errors: ["compose.yaml:4:33 services.a.depends_on.b.condition"],
    },
  ]);
});
