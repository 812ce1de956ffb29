// Secondary check of the corpus against a real Compose implementation: Debian's docker-compose v1
// (`docker-compose config`, which reads files without a daemon). Docker Compose v2 is in neither
// Debian's nor npm's packages (see docs/compose.md), so only the projects where v1 and v2 agree are
// compared (index.json `v1: true`): service names, images, environment and ports.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { test } from "node:test";
import { parse } from "yaml";
import { corpus, CORPUS, planCase } from "./corpus";

const v1 = spawnSync("docker-compose", ["version", "--short"], { encoding: "utf8" });
const missing = v1.status !== 0 ? "docker-compose v1 is not installed (scripts/setup-docker.sh installs it)" : undefined;

interface V1Service {
  image?: string;
  environment?: Record<string, string | number | null>;
  ports?: Array<Port | string>;
}

type Port = { target: string | number; published?: string | number; protocol?: string; hostIp?: string; host_ip?: string };
/** v1 prints long syntax, except a mapping with a host IP, which it keeps as the short string. */
const portKey = (p: Port | string): string => {
  if (typeof p === "string") {
    const [spec, protocol = "tcp"] = p.split("/");
    const parts = spec.split(":");
    const target = parts.pop();
    const published = parts.pop() ?? "";
    return `${parts.join(":")}:${published}:${target}/${protocol}`;
  }
  return `${p.hostIp ?? p.host_ip ?? ""}:${p.published ?? ""}:${p.target}/${p.protocol ?? "tcp"}`;
};

for (const c of corpus.filter((x) => x.v1)) {
  test(`docker-compose v1 config agrees with the plan: ${c.id}`, { skip: missing }, async () => {
    const r = await planCase(c);
    assert.ok(r.plan, JSON.stringify(r.diagnostics));
    const folder = r.plan.folder;
    const files = r.plan.kind === "compose-dind" ? r.plan.composeFiles : [r.plan.kind === "compose-single" ? r.plan.file : ""];
    const env = { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: process.env.HOME ?? "/tmp", PWD: folder, ...c.env, ...(c.env?.PWD ? { PWD: folder } : {}) };
    const out = spawnSync("docker-compose", [...files.flatMap((f) => ["-f", f]), "--project-directory", folder, "config"], { cwd: folder, env, encoding: "utf8", timeout: 60_000 });
    assert.equal(out.status, 0, `docker-compose config failed:\n${out.stderr}`);
    const model = parse(out.stdout) as { services: Record<string, V1Service> };
    const mine = r.plan.kind === "compose-dind"
      ? r.plan.services.map((s) => ({ name: s.name, image: s.image, env: s.envVars, ports: s.ports }))
      : r.plan.kind === "compose-single"
        ? [{ name: r.plan.service, image: r.plan.sandbox.image?.kind === "name" ? r.plan.sandbox.image.name : undefined, env: r.plan.sandbox.envVars, ports: undefined }]
        : [];
    // v1's config lists every service; the plan starts the active ones and names the others.
    const inactive = r.plan.kind === "compose-dind" ? r.plan.inactiveServices : [];
    assert.deepEqual([...mine.map((s) => s.name), ...inactive].sort(), Object.keys(model.services).sort(), "the same services");
    for (const s of mine) {
      const theirs = model.services[s.name];
      if (s.image !== undefined) assert.equal(s.image, theirs.image, `${s.name}: image`);
      const env = Object.fromEntries(Object.entries(theirs.environment ?? {}).filter(([, v]) => v !== null).map(([k, v]) => [k, String(v)]));
      assert.deepEqual(s.env, env, `${s.name}: environment`);
      if (s.ports) assert.deepEqual(s.ports.map(portKey).sort(), (theirs.ports ?? []).map(portKey).sort(), `${s.name}: ports`);
    }
  });
}

test("the v1 check covers a good part of the corpus", () => {
  assert.ok(corpus.filter((x) => x.v1).length >= 15);
  assert.ok(path.isAbsolute(CORPUS));
});
