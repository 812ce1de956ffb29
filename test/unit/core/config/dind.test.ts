import assert from "node:assert/strict";
import { describe } from "node:test";
import type { CreatePlan } from "../../../../src/core/config";
import { runCases, y } from "./harness";

const dind = (p: CreatePlan) => {
  assert.equal(p.kind, "compose-dind");
  return p as Extract<CreatePlan, { kind: "compose-dind" }>;
};

describe("two or more services: Docker-in-Docker", () => {
  runCases("dind", [
    {
      name: "declared resources summed plus 1 CPU and 1 GiB for the daemon, snapshot named by shape, project from the folder",
      files: {
        "compose.yaml": y(`
          services:
            web:
              build: ./web
              ports: ["8080:80", "127.0.0.1:9000-9001:9000-9001/udp", {target: 5432, published: "15432"}]
              depends_on: [db]
              deploy: {resources: {limits: {cpus: "1.5", memory: 2g}}}
              working_dir: /srv
              user: "1000"
            db:
              image: postgres:16
              environment: {POSTGRES_PASSWORD: "\${PGPASS:-dev}"}
              mem_limit: 1073741824
              deploy:
                resources:
                  reservations:
                    devices: [{capabilities: [gpu], count: 1}]
        `),
        "web/Dockerfile": "FROM node:20\n",
      },
      check: (p) => {
        const d = dind(p);
        assert.deepEqual(d.dindSnapshot, { name: "daytona-vscode-dind-3cpu-4gb-1gpu", image: "docker:28.3.3-dind", resources: { cpu: 3, memory: 4, gpu: 1 } });
        assert.equal(d.sandbox.snapshot, d.dindSnapshot.name);
        assert.equal(d.project, "ws");
        assert.equal(d.defaultService, "web");
        assert.deepEqual(d.services.map((s) => [s.name, s.dependsOn]), [["web", ["db"]], ["db", []]]);
        assert.deepEqual(d.services[0].ports, [
          { target: "80", protocol: "tcp", published: "8080" },
          { target: "9000-9001", protocol: "udp", published: "9000-9001", hostIp: "127.0.0.1" },
          { target: "5432", protocol: "tcp", published: "15432" },
        ]);
        assert.deepEqual(d.composeEnv, {});
      },
    },
    {
      name: "default service: named main when none is marked",
      files: { "compose.yaml": "services:\n  db: {image: d}\n  main: {image: m}\n" },
      check: (p) => assert.equal(dind(p).defaultService, "main"),
    },
    {
      name: "default service: default wins over main",
      files: { "compose.yaml": "services:\n  main: {image: m}\n  default: {image: d}\n" },
      check: (p) => assert.equal(dind(p).defaultService, "default"),
    },
    {
      name: "default service: x-default true wins over names",
      files: { "compose.yaml": "services:\n  default: {image: d}\n  tools: {image: t, x-default: true}\n" },
      check: (p) => assert.equal(dind(p).defaultService, "tools"),
    },
    {
      name: "default service: two x-default and a non-boolean x-default are errors",
      files: { "compose.yaml": "services:\n  a: {image: a, x-default: true}\n  b: {image: b, x-default: true}\n  c: {image: c, x-default: yes}\n" },
      errors: ["compose.yaml:3:17 services.b.x-default", "compose.yaml:4:28 services.c.x-default"],
    },
    {
      name: "x-daytona resources override the sums; a named snapshot is used as it is",
      files: { "compose.yaml": "x-daytona:\n  resources: {cpu: 8, disk: 20}\n  snapshot: my-dind\n  os_user: root\nservices:\n  a: {image: a}\n  b: {image: b}\n" },
      check: (p) => {
        const d = dind(p);
        assert.deepEqual(d.dindSnapshot, { name: "my-dind", resources: { cpu: 8, memory: 4, gpu: 0, disk: 20 } });
        assert.equal(d.sandbox.user, "root");
      },
    },
    {
      name: "network_block_all cannot apply and is reported",
      files: { "compose.yaml": "x-daytona:\n  network_block_all: true\nservices:\n  a: {image: a}\n  b: {image: b, network_mode: none}\n" },
      warnings: ["compose.yaml:2:3 x-daytona.network_block_all"],
      check: (p) => assert.equal(p.sandbox.networkBlockAll, undefined),
    },
    {
      name: "build contexts outside the folder are uploaded too; bind mounts outside it are reported",
      files: {
        "app/compose.yaml": y(`
          name: My_Project!
          services:
            a:
              build: {context: ../shared, dockerfile: a.Dockerfile}
              volumes: ["./data:/data", "../secrets:/s", "/var/run/docker.sock:/var/run/docker.sock", "named:/v"]
            b:
              build: .
              volumes: [{type: bind, source: ../x, target: /x}]
        `),
        "app/Dockerfile": "FROM alpine\n",
        "shared/a.Dockerfile": "FROM alpine\n",
      },
      target: "app",
      warnings: ["app/compose.yaml:5:31 services.a.volumes[1]", "app/compose.yaml:5:48 services.a.volumes[2]", "app/compose.yaml:8:15 services.b.volumes[0]"],
      check: (p) => {
        const d = dind(p);
        assert.deepEqual(d.buildContexts, ["/ws/shared"]);
        assert.equal(d.project, "my_project");
        assert.deepEqual(d.services[0].build, { context: "/ws/shared", dockerfile: "/ws/shared/a.Dockerfile" });
      },
    },
    {
      name: "every service needs build or image, and named Dockerfiles must exist",
      files: { "compose.yaml": "services:\n  a: {user: x}\n  b: {build: ./b}\n" },
      errors: ["compose.yaml:2:3 services.a", "compose.yaml:3:14 services.b.build"],
    },
    {
      name: "interpolated variables are passed on for compose in the sandbox",
      files: { "compose.yaml": "services:\n  a: {image: \"a:${TAG}\"}\n  b: {image: b, environment: [\"X=${UNSET:-d}\"]}\n", ".env": "TAG=1.2\n" },
      check: (p) => assert.deepEqual(dind(p).composeEnv, { TAG: "1.2" }),
    },
    {
      name: "bad ports are errors",
      files: { "compose.yaml": "services:\n  a: {image: a, ports: [\"80:http\", {published: 1}]}\n  b: {image: b, ports: 80}\n" },
      errors: ["compose.yaml:2:25 services.a.ports[0]", "compose.yaml:2:36 services.a.ports[1].target", "compose.yaml:3:24 services.b.ports"],
    },
  ]);
});
