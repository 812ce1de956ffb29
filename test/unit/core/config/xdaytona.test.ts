import assert from "node:assert/strict";
import { describe } from "node:test";
import { runCases, y } from "./harness";

const withX = (x: string, service = "image: a") => ({
  "compose.yaml": `x-daytona:\n${y(x).split("\n").filter(Boolean).map((l) => `  ${l}`).join("\n")}\nservices:\n  app:\n${service.split("\n").map((l) => `    ${l}`).join("\n")}\n`,
});

describe("x-daytona", () => {
  runCases("xdaytona", [
    {
      name: "every key with a valid value",
      files: withX(`
        auto_stop_interval: 0
        auto_archive_interval: 10080
        auto_delete_interval: -1
        network_block_all: false
        network_allow_list: 10.0.0.0/8,192.168.1.0/24
        language: typescript
        os_user: daytona
        public: true
        ephemeral: false
        timeout: 120.5
        resources: {cpu: 2, memory: 4, disk: 10, gpu: 0}
        env_vars: {A: x, N: 1}
        labels: {team: infra}
      `),
      check: (p) =>
        assert.deepEqual(p.sandbox, {
          envVars: { A: "x", N: "1" },
          labels: { team: "infra", created_by: "daytona-vscode", "daytona.vscode/source": "compose.yaml", "daytona.vscode/folder": p.sandbox.labels["daytona.vscode/folder"] },
          public: true, ephemeral: false, networkBlockAll: false, networkAllowList: "10.0.0.0/8,192.168.1.0/24", language: "typescript",
          autoStopInterval: 0, autoArchiveInterval: 10080, autoDeleteInterval: -1, timeoutSeconds: 120.5,
          image: { kind: "name", name: "a" }, resources: { cpu: 2, memory: 4, disk: 10, gpu: 0 }, user: "daytona",
        }),
    },
    {
      name: "every key with a wrong type is an error at its value",
      files: withX(`
        auto_stop_interval: "30"
        auto_archive_interval: 1.5
        auto_delete_interval: -2
        network_block_all: "yes"
        network_allow_list: 10.0.0.0
        language: rust
        os_user: ""
        public: 1
        ephemeral: null
        timeout: 0
        snapshot: [a]
        resources: {cpu: 0, memory: 1.5, ram: 2}
        env_vars: {A: {b: c}}
        labels: [a=b]
      `),
      errors: [
        "compose.yaml:2:23 x-daytona.auto_stop_interval", "compose.yaml:3:26 x-daytona.auto_archive_interval", "compose.yaml:4:25 x-daytona.auto_delete_interval",
        "compose.yaml:5:22 x-daytona.network_block_all", "compose.yaml:6:23 x-daytona.network_allow_list", "compose.yaml:7:13 x-daytona.language",
        "compose.yaml:8:12 x-daytona.os_user", "compose.yaml:9:11 x-daytona.public", "compose.yaml:10:14 x-daytona.ephemeral", "compose.yaml:11:12 x-daytona.timeout",
        "compose.yaml:12:13 x-daytona.snapshot", "compose.yaml:13:20 x-daytona.resources.cpu", "compose.yaml:13:31 x-daytona.resources.memory",
        "compose.yaml:13:36 x-daytona.resources.ram", "compose.yaml:14:17 x-daytona.env_vars.A", "compose.yaml:15:11 x-daytona.labels",
      ],
      messages: ["must be a whole number >= 0 (minutes), not the string \"30\"", "must be one of python, typescript, javascript", '"10.0.0.0" is not an IPv4 CIDR'],
    },
    {
      name: "unknown keys are warnings with a suggestion",
      files: withX(`auto_stop: 5\nfancy: true`),
      warnings: ["compose.yaml:2:3 x-daytona.auto_stop", "compose.yaml:3:3 x-daytona.fancy"],
      messages: ['did you mean "auto_stop_interval"?'],
    },
    {
      name: "x-daytona must be a mapping",
      files: { "compose.yaml": "x-daytona: [1]\nservices:\n  app:\n    image: a\n" },
      errors: ["compose.yaml:1:12 x-daytona"],
    },
    {
      name: "resources replace the service's key by key",
      files: withX(`resources: {memory: 16}`, "image: a\ncpus: 3\nmem_limit: 1g"),
      check: (p) => assert.deepEqual(p.sandbox.resources, { cpu: 3, memory: 16, gpu: 0 }),
    },
    {
      name: "resources alone start from 1 CPU, 1 GiB",
      files: withX(`resources: {gpu: 1}`),
      check: (p) => assert.deepEqual(p.sandbox.resources, { cpu: 1, memory: 1, gpu: 1 }),
    },
    {
      name: "snapshot: the service's image and resources are not used",
      files: withX(`snapshot: my-snap`, "image: a\ncpus: 2"),
      warnings: ["compose.yaml:2:3 x-daytona.snapshot"],
      check: (p) => {
        assert.equal(p.sandbox.snapshot, "my-snap");
        assert.equal(p.sandbox.image, undefined);
        assert.equal(p.sandbox.resources, undefined);
      },
    },
    { name: "snapshot with neither build nor image is fine", files: withX(`snapshot: s`, "user: me"), check: (p) => assert.equal(p.sandbox.snapshot, "s") },
    {
      name: "labels merge; the tool's labels win",
      files: withX(`labels: {created_by: me, daytona.vscode/source: x, team: a}`),
      labels: { team: "from-caller" },
      check: (p) => assert.deepEqual(p.sandbox.labels, { created_by: "daytona-vscode", "daytona.vscode/source": "compose.yaml", team: "from-caller", "daytona.vscode/folder": p.sandbox.labels["daytona.vscode/folder"] }),
    },
    {
      name: "env_vars win over environment; os_user over user",
      files: withX(`env_vars: {A: x}\nos_user: root`, "image: a\nuser: app\nenvironment: [A=service, B=kept]"),
      check: (p) => {
        assert.deepEqual(p.sandbox.envVars, { A: "x", B: "kept" });
        assert.equal(p.sandbox.user, "root");
      },
    },
    { name: "ephemeral conflicts with a non-zero auto_delete_interval", files: withX(`ephemeral: true\nauto_delete_interval: 60`), errors: ["compose.yaml:2:3 x-daytona.ephemeral"] },
    {
      name: "network_allow_list as a list",
      files: withX(`network_allow_list: [10.0.0.0/8, 172.16.0.0/12]`),
      check: (p) => assert.equal(p.sandbox.networkAllowList, "10.0.0.0/8,172.16.0.0/12"),
    },
    {
      name: "network_mode none blocks the network; x-daytona wins over it",
      files: withX(`network_block_all: false`, "image: a\nnetwork_mode: none"),
      check: (p) => assert.equal(p.sandbox.networkBlockAll, false),
    },
    {
      name: "x-daytona inside a service is reported",
      files: { "compose.yaml": "services:\n  app:\n    image: a\n    x-daytona: {public: true}\n" },
      warnings: ["compose.yaml:4:5 services.app.x-daytona"],
      check: (p) => assert.equal(p.sandbox.public, undefined),
    },
  ]);
});
