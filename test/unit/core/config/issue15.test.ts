// Issue 15: real-world compose projects read as `docker compose config` reads them. One test (or a
// few) per numbered item of the issue; each failed on the planner before the change.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { planFromPath, type CreatePlan, type PlanOptions, type PlanResult } from "../../../../src/core/config";
import { memoryFiles, ROOT, y } from "./harness";

type Dind = Extract<CreatePlan, { kind: "compose-dind" }>;

async function plan(files: Record<string, string>, o: PlanOptions & { target?: string } = {}): Promise<PlanResult> {
  return planFromPath(`${ROOT}/${o.target ?? ""}`, { ...o, files: memoryFiles(files) });
}
function dind(r: PlanResult): Dind {
  assert.ok(r.plan, `no plan: ${JSON.stringify(r.diagnostics, null, 1)}`);
  assert.equal(r.plan.kind, "compose-dind");
  return r.plan as Dind;
}
const where = (r: PlanResult, severity: "error" | "warning") =>
  r.diagnostics.filter((d) => d.severity === severity).map((d) => `${d.file.replace(`${ROOT}/`, "")}:${d.line}:${d.column} ${d.field}: ${d.message}`);

describe("issue 15.1: .env and env_file values are interpolated", () => {
  test("unquoted and double-quoted .env values use earlier values and the environment; single quotes are literal", async () => {
    const r = await plan({
      "compose.yaml": y(`
        services:
          api:
            image: \${IMAGE_NAME}:latest
            environment:
              DATASOURCE: \${DATASOURCE}
              LITERAL: \${LITERAL}
          db: {image: "postgres:16"}
      `),
      ".env": 'POSTGRES_USER=u\nPOSTGRES_PASSWORD=p\nDATASOURCE=postgres://${POSTGRES_USER}:${POSTGRES_PASSWORD}@db/x\nIMAGE_NAME="${IMAGE_NAME:-backend}"\nLITERAL=\'${POSTGRES_USER}\'\n',
    });
    const d = dind(r);
    assert.equal(d.services[0].image, "backend:latest");
    assert.deepEqual(d.services[0].envVars, { DATASOURCE: "postgres://u:p@db/x", LITERAL: "${POSTGRES_USER}" });
    // What compose in the sandbox is given is the interpolated value, never the literal.
    assert.equal(d.composeEnv.IMAGE_NAME, "backend");
    assert.equal(d.composeEnv.DATASOURCE, "postgres://u:p@db/x");
  });

  test("the environment wins over .env, and .env interpolation sees it", async () => {
    const r = await plan({ "compose.yaml": "services:\n  a: {image: \"${IMG}\"}\n  b: {image: x}\n", ".env": "TAG=dotenv\nIMG=repo:${TAG}\n" }, { env: { TAG: "shell" } });
    assert.equal(dind(r).services[0].image, "repo:shell");
  });

  test("env_file values are interpolated from the project's variables and earlier lines", async () => {
    const r = await plan({
      "compose.yaml": "services:\n  a:\n    image: x\n    env_file: app.env\n  b: {image: y}\n",
      ".env": "HOST=db\n",
      "app.env": "PORT=5432\nURL=postgres://${HOST}:${PORT}/app\nRAW='${HOST}'\n",
    });
    assert.deepEqual(dind(r).services[0].envVars, { PORT: "5432", URL: "postgres://db:5432/app", RAW: "${HOST}" });
  });
});

describe("issue 15.2: Docker-in-Docker sized from what services declare, capped at Daytona's limits", () => {
  const many = (n: number, extra = "") => `services:\n${Array.from({ length: n }, (_, i) => `  s${i}:\n    image: nginx\n${extra}`).join("")}`;

  test("no per-service floor: services that declare nothing add nothing beyond the base size", async () => {
    const d = dind(await plan({ "compose.yaml": many(60) }));
    assert.deepEqual(d.dindSnapshot.resources, { cpu: 2, memory: 4, gpu: 0 });
    assert.equal(d.dindSnapshot.name, "daytona-vscode-dind-2cpu-4gb-0gpu");
  });

  test("declared limits and reservations are summed (fractions before rounding) plus the daemon's share", async () => {
    const r = await plan({
      "compose.yaml": y(`
        services:
          a: {image: x, cpus: 0.5, mem_limit: 512m}
          b: {image: x, deploy: {resources: {reservations: {cpus: "0.5", memory: 1g}}}}
          c: {image: x, deploy: {resources: {limits: {cpus: "1", memory: 1536m}}}}
      `),
    });
    // 1 (daemon) + 0.5 + 0.5 + 1 = 3 CPUs; 1 GiB + 0.5 + 1 + 1.5 = 4 GiB
    assert.deepEqual(dind(r).dindSnapshot.resources, { cpu: 3, memory: 4, gpu: 0 });
  });

  test("a sum over 4 vCPU / 8 GiB is capped, with a warning naming the sum and the cap", async () => {
    const r = await plan({ "compose.yaml": many(20, "    deploy: {resources: {limits: {cpus: '1', memory: 1g}}}\n") });
    const d = dind(r);
    assert.deepEqual(d.dindSnapshot.resources, { cpu: 4, memory: 8, gpu: 0 });
    const w = r.diagnostics.filter((x) => x.severity === "warning" && /capped/.test(x.message));
    assert.equal(w.length, 1, JSON.stringify(r.diagnostics));
    assert.match(w[0].message, /21 CPUs and 21 GiB/);
    assert.match(w[0].message, /4 CPUs and 8 GiB/);
    assert.match(w[0].message, /x-daytona\.resources/);
  });

  test("x-daytona.resources raises the cap for organizations that have more", async () => {
    const r = await plan({ "compose.yaml": `x-daytona:\n  resources: {cpu: 16, memory: 32}\n${many(20, "    deploy: {resources: {limits: {cpus: '1', memory: 1g}}}\n")}` });
    assert.deepEqual(dind(r).dindSnapshot.resources, { cpu: 16, memory: 32, gpu: 0 });
    assert.ok(!r.diagnostics.some((x) => /capped/.test(x.message)));
  });
});

describe("issue 15.3: port short syntax", () => {
  test("an empty host IP (`${EXPOSE_PORT-:2283:2283}`) is valid", async () => {
    const r = await plan({ "compose.yaml": 'services:\n  a:\n    image: x\n    ports: ["${EXPOSE_PORT-:2283:2283}", ":8080:80/udp", "[::1]:53:53"]\n  b: {image: y}\n' });
    assert.deepEqual(dind(r).services[0].ports, [
      { target: "2283", published: "2283", hostIp: "", protocol: "tcp" },
      { target: "80", published: "8080", hostIp: "", protocol: "udp" },
      { target: "53", published: "53", hostIp: "::1", protocol: "tcp" },
    ]);
  });
});

describe("issue 15.4: unset variables", () => {
  test('warn "variable is not set. Defaulting to a blank string" at the value', async () => {
    const r = await plan({ "compose.yaml": "services:\n  db:\n    image: postgres:${PG_TAG}\n  b: {image: \"${B:-ok}\"}\n" });
    assert.deepEqual(where(r, "warning"), ['compose.yaml:3:12 services.db.image: The "PG_TAG" variable is not set. Defaulting to a blank string.']);
  });
});

describe("issue 15.5: override files and COMPOSE_* variables", () => {
  const base = y(`
    services:
      web:
        image: web:1
        ports: ["8080:80"]
        environment: [A=1, B=1]
      db: {image: postgres}
  `);
  test("compose.override.yaml is merged and passed to compose in the sandbox", async () => {
    const r = await plan({ "compose.yaml": base, "compose.override.yaml": "services:\n  web:\n    environment: {B: 2}\n    ports: [\"9090:90\"]\n  cache: {image: redis}\n" });
    const d = dind(r);
    assert.deepEqual(d.composeFiles, [`${ROOT}/compose.yaml`, `${ROOT}/compose.override.yaml`]);
    assert.deepEqual(d.services.map((s) => s.name), ["web", "db", "cache"]);
    assert.deepEqual(d.services[0].envVars, { A: "1", B: "2" });
    assert.deepEqual(d.services[0].ports.map((p) => p.published), ["8080", "9090"]);
  });
  test("docker-compose.override.yml next to docker-compose.yml", async () => {
    const r = await plan({ "docker-compose.yml": base, "docker-compose.override.yml": "services:\n  db: {image: postgres:17}\n" });
    assert.equal(dind(r).services[1].image, "postgres:17");
  });
  test("a right-clicked file is used alone, as `docker compose -f file` does", async () => {
    const r = await plan({ "compose.yaml": base, "compose.override.yaml": "services:\n  db: {image: postgres:17}\n" }, { target: "compose.yaml" });
    assert.equal(dind(r).services[1].image, "postgres");
    assert.deepEqual(dind(r).composeFiles, [`${ROOT}/compose.yaml`]);
  });
  test("COMPOSE_FILE (with the path separator), COMPOSE_PROJECT_NAME and COMPOSE_PROFILES in .env", async () => {
    const r = await plan({
      "compose.yaml": base,
      "compose.override.yaml": "services:\n  db: {image: never}\n",
      "deploy/prod.yaml": "services:\n  web:\n    image: web:prod\n  tools: {image: t, profiles: [debug]}\n",
      ".env": "COMPOSE_FILE=compose.yaml;deploy/prod.yaml\nCOMPOSE_PATH_SEPARATOR=;\nCOMPOSE_PROJECT_NAME=my_shop\nCOMPOSE_PROFILES=debug\n",
    });
    const d = dind(r);
    assert.deepEqual(d.composeFiles, [`${ROOT}/compose.yaml`, `${ROOT}/deploy/prod.yaml`]);
    assert.equal(d.project, "my_shop");
    assert.deepEqual(d.services.map((s) => `${s.name}=${s.image}`), ["web=web:prod", "db=postgres", "tools=t"]);
  });
});

describe("issue 15.6: ${PWD}", () => {
  test("is the project folder, and the local path is not shipped to the sandbox", async () => {
    const r = await plan({ "compose.yaml": "services:\n  a:\n    image: x\n    environment: {DATA: \"${PWD}/data\"}\n  b: {image: y}\n" }, { env: { PWD: "/somewhere/else" } });
    const d = dind(r);
    assert.equal(d.services[0].envVars.DATA, `${ROOT}/data`);
    assert.equal(d.composeEnv.PWD, undefined);
  });
});

describe("issue 15.7: the smaller items", () => {
  test("cpus and deploy.resources.limits.cpus with distinct values are refused as Compose does", async () => {
    const r = await plan({ "compose.yaml": "services:\n  a:\n    image: x\n    cpus: 0.5\n    deploy: {resources: {limits: {cpus: \"4\"}}}\n" });
    assert.deepEqual(where(r, "error"), ["compose.yaml:4:11 services.a.cpus: can't set distinct values on 'cpus' and 'deploy.resources.limits.cpus'"]);
    const same = await plan({ "compose.yaml": "services:\n  a:\n    image: x\n    cpus: 2\n    deploy: {resources: {limits: {cpus: \"2.0\"}}}\n" });
    assert.equal(where(same, "error").length, 0);
  });

  test("!reset and !override tags: no YAML warning, and the override file resets or replaces", async () => {
    const r = await plan({
      "compose.yaml": "services:\n  app:\n    image: a\n    ports: [\"8080:80\"]\n    environment: {FOO: bar, KEEP: 1}\n  db: {image: d, ports: [\"5432:5432\"]}\n",
      "compose.override.yaml": "services:\n  app:\n    ports: !reset []\n    environment:\n      FOO: !reset null\n  db:\n    ports: !override [\"15432:5432\"]\n",
    });
    assert.deepEqual(r.diagnostics, []);
    const d = dind(r);
    assert.deepEqual(d.services[0].ports, []);
    assert.deepEqual(d.services[0].envVars, { KEEP: "1" });
    assert.deepEqual(d.services[1].ports, [{ target: "5432", published: "15432", protocol: "tcp" }]);
  });

  test("both compose.yaml and docker-compose.yml: a warning naming both and the one used", async () => {
    const r = await plan({ "compose.yaml": "services:\n  a: {image: x}\n", "docker-compose.yml": "services:\n  b: {image: y}\n" });
    assert.deepEqual(where(r, "warning"), [`compose.yaml:1:1 : Found multiple config files with supported names: ${ROOT}/compose.yaml, ${ROOT}/docker-compose.yml. Using ${ROOT}/compose.yaml`]);
  });

  test("multi-line quoted .env values", async () => {
    const r = await plan({ "compose.yaml": "services:\n  a:\n    image: x\n    environment: {K: \"${KEY}\", S: \"${S}\"}\n", ".env": 'KEY="-----BEGIN-----\nabc\n-----END-----"\nS=\'one\ntwo\'\nNEXT=1\n' });
    assert.ok(r.plan, JSON.stringify(r.diagnostics));
    assert.deepEqual(r.plan.sandbox.envVars, { K: "-----BEGIN-----\nabc\n-----END-----", S: "one\ntwo" });
  });

  test("a single service's build.target / build.args are honoured by building it with compose in Docker-in-Docker", async () => {
    const r = await plan({
      "compose.yaml": "services:\n  app:\n    build:\n      context: .\n      target: dev\n      args: {NODE: \"20\"}\n",
      Dockerfile: "ARG NODE\nFROM node:${NODE} AS base\nFROM base AS dev\n",
    });
    const d = dind(r);
    assert.deepEqual(d.services.map((s) => s.name), ["app"]);
    assert.deepEqual(d.services[0].build, { context: ROOT, dockerfile: `${ROOT}/Dockerfile`, target: "dev", args: { NODE: "20" } });
    assert.ok(r.diagnostics.some((x) => x.severity === "warning" && /build\.target/.test(x.message) && /Docker-in-Docker/.test(x.message)));
  });

  test("runtime: and platform: wasi/wasm are refused as impossible in a Docker-in-Docker sandbox", async () => {
    const r = await plan({ "compose.yaml": "services:\n  a:\n    image: x\n    runtime: io.containerd.wasmedge.v1\n  b:\n    image: y\n    platform: wasi/wasm\n  c: {image: z, runtime: runc}\n" });
    assert.deepEqual(where(r, "error").map((s) => s.split(": ")[0]), ["compose.yaml:4:14 services.a.runtime", "compose.yaml:7:15 services.b.platform"]);
  });

  test("env files, configs, secrets and build contexts compose needs are listed to sync even when ignored", async () => {
    const r = await plan({
      "compose.yaml": y(`
        services:
          a:
            build: ./app
            env_file: [.env.local, {path: opt.env, required: false}]
            secrets: [db_pw]
            configs: [nginx]
          b: {image: y}
        secrets:
          db_pw: {file: ./secrets/db.txt}
          api: {environment: API_KEY}
        configs:
          nginx: {file: ./conf/nginx.conf}
      `),
      "app/Dockerfile": "FROM x\n",
      ".env.local": "A=1\n",
      "secrets/db.txt": "hunter2\n",
      "conf/nginx.conf": "x\n",
      ".gitignore": ".env*\nsecrets/\n",
    });
    const d = dind(r);
    assert.deepEqual(d.requiredFiles, [
      { path: `${ROOT}/.env.local`, field: "services.a.env_file[0]", secret: false },
      { path: `${ROOT}/app`, field: "services.a.build", secret: false },
      { path: `${ROOT}/compose.yaml`, field: "compose file", secret: false },
      { path: `${ROOT}/conf/nginx.conf`, field: "configs.nginx.file", secret: false },
      { path: `${ROOT}/secrets/db.txt`, field: "secrets.db_pw.file", secret: true },
    ]);
    assert.ok(!JSON.stringify(r).includes("hunter2"), "a secret's content is never in the plan or diagnostics");
  });
});

describe("issue 15: extends and include", () => {
  test("extends from the same file and from another file (paths relative to that file)", async () => {
    const r = await plan({
      "compose.yaml": y(`
        services:
          base: {image: node:20, environment: {A: "1", B: "1"}}
          web:
            extends: base
            environment: {B: "2"}
          worker:
            extends: {file: common/services.yaml, service: job}
      `),
      "common/services.yaml": "services:\n  job:\n    build: ./job\n    env_file: job.env\n",
      "common/job/Dockerfile": "FROM x\n",
      "common/job.env": "J=1\n",
    });
    const d = dind(r);
    assert.deepEqual(d.services.map((s) => s.name), ["base", "web", "worker"]);
    assert.deepEqual(d.services[1].envVars, { A: "1", B: "2" });
    assert.equal(d.services[1].image, "node:20");
    assert.deepEqual(d.services[2].build, { context: `${ROOT}/common/job`, dockerfile: `${ROOT}/common/job/Dockerfile` });
    assert.deepEqual(d.services[2].envVars, { J: "1" });
  });

  test("an extends cycle and an unknown base are errors with file, line and field", async () => {
    const r = await plan({ "compose.yaml": "services:\n  a: {extends: b, image: x}\n  b: {extends: a}\n  c: {extends: nope}\n" });
    assert.deepEqual(where(r, "error"), ["compose.yaml:2:16 services.a.extends: extends cycle: a -> b -> a", "compose.yaml:4:16 services.c.extends: cannot extend service nope: it is not defined"]);
  });

  test("include brings in another project's services with its own folder; a name defined twice is an error", async () => {
    const r = await plan({
      "compose.yaml": "include:\n  - infra/compose.yaml\nservices:\n  web: {image: w, depends_on: [db]}\n",
      "infra/compose.yaml": "services:\n  db:\n    build: .\n    environment: {T: \"${TAG}\"}\n",
      "infra/.env": "TAG=from-infra\n",
      "infra/Dockerfile": "FROM postgres\n",
    });
    const d = dind(r);
    assert.deepEqual(d.services.map((s) => s.name), ["web", "db"]);
    assert.deepEqual(d.services[1].build, { context: `${ROOT}/infra`, dockerfile: `${ROOT}/infra/Dockerfile` });
    assert.equal(d.services[1].envVars.T, "from-infra");
    assert.deepEqual(d.composeFiles, [`${ROOT}/compose.yaml`]);
    const dup = await plan({ "compose.yaml": "include: [infra.yaml]\nservices:\n  db: {image: a}\n  b: {image: b}\n", "infra.yaml": "services:\n  db: {image: c}\n" });
    assert.deepEqual(where(dup, "error").map((s) => s.split(": ")[0]), ["compose.yaml:3:3 services.db"]);
  });
});

describe("issue 15: COMPOSE_FILE problems and files outside the folder", () => {
  test("a file COMPOSE_FILE names that does not exist is an error at the .env line, or on the compose file when it comes from the environment", async () => {
    const files = { "compose.yaml": "services:\n  a: {image: x}\n", ".env": "A=1\nCOMPOSE_FILE=compose.yaml:nope.yaml\n" };
    const r = await plan(files);
    assert.deepEqual(where(r, "error"), [`.env:2:1 COMPOSE_FILE: COMPOSE_FILE names ${ROOT}/nope.yaml, which does not exist`]);
    const e = await plan({ "compose.yaml": files["compose.yaml"] }, { env: { COMPOSE_FILE: "other.yaml" } });
    assert.deepEqual(where(e, "error"), [`compose.yaml:1:1 COMPOSE_FILE: COMPOSE_FILE (from the environment) names ${ROOT}/other.yaml, which does not exist`]);
  });

  test("a COMPOSE_FILE entry outside the folder is uploaded with it", async () => {
    const r = await planFromPath(`${ROOT}/app`, { files: memoryFiles({ "app/compose.yaml": "services:\n  a: {image: x}\n", "shared/ops.yaml": "services:\n  b: {image: y}\n", "app/.env": "COMPOSE_FILE=compose.yaml:../shared/ops.yaml\n" }) });
    const d = dind(r);
    assert.deepEqual(d.composeFiles, [`${ROOT}/app/compose.yaml`, `${ROOT}/shared/ops.yaml`]);
    assert.deepEqual(d.buildContexts, [`${ROOT}/shared`]);
  });
});

describe("issue 15.7: Compose's own refusals", () => {
  test("cpus / mem_limit / pids_limit against a limits mapping that leaves the key out count it as 0, as Compose does", async () => {
    const r = await plan({ "compose.yaml": "services:\n  a:\n    image: x\n    mem_limit: 1g\n    pids_limit: 100\n    deploy: {resources: {limits: {cpus: \"1\"}}}\n" });
    assert.deepEqual(where(r, "error").map((s) => s.split(": ")[0]), ["compose.yaml:4:16 services.a.mem_limit", "compose.yaml:5:17 services.a.pids_limit"]);
    const fine = await plan({ "compose.yaml": "services:\n  a:\n    image: x\n    mem_limit: 1g\n    deploy: {resources: {reservations: {cpus: \"1\"}}}\n" });
    assert.deepEqual(where(fine, "error"), []);
  });
});

describe("issue 15.7: secrets and configs as Compose checks them", () => {
  test("an undefined secret or config, and a secret with no source, are errors", async () => {
    const r = await plan({ "compose.yaml": "services:\n  a:\n    image: x\n    secrets: [nope]\n    configs: [gone]\n  b: {image: y}\nsecrets:\n  empty: {}\n" });
    assert.deepEqual(where(r, "error"), [
      "compose.yaml:4:5 services.a.secrets: service a refers to undefined secret nope",
      "compose.yaml:5:5 services.a.configs: service a refers to undefined config gone",
      "compose.yaml:8:3 secrets.empty: secret empty must declare either file or environment",
    ]);
  });
});
