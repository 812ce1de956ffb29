// Compose's merge rules (docs: compose-file/merge) on the positioned tree, one rule a case: the base
// and the override are YAML, the expected result is the plain data `docker compose config` would show
// for those keys.
import assert from "node:assert/strict";
import { test } from "node:test";
import { Reporter } from "../../../../src/core/config/diagnostics";
import { mergeNode } from "../../../../src/core/config/merge";
import { parseYamlTree, type PNode } from "../../../../src/core/config/yamlTree";

const tree = (text: string): PNode => {
  const report = new Reporter();
  const t = parseYamlTree(text, "/c.yaml", report);
  assert.deepEqual(report.items.filter((d) => d.severity === "error"), []);
  return t!;
};
const plain = (n: PNode | undefined): unknown =>
  n === undefined ? undefined : n.kind === "scalar" ? n.value : n.kind === "seq" ? n.items.map(plain) : Object.fromEntries([...n.entries].map(([k, e]) => [k, plain(e.value)]));
const merged = (base: string, over: string) => (plain(mergeNode(tree(base), tree(over), [])) as { services: Record<string, Record<string, unknown>> }).services.s;

const cases: Array<[string, string, string, Record<string, unknown>]> = [
  ["mappings merge key by key; scalars are replaced", "services: {s: {image: a, user: u}}", "services: {s: {image: b, init: true}}", { image: "b", user: "u", init: true }],
  ["sequences append (names once)", "services: {s: {dns: [1.1.1.1], cap_add: [NET_ADMIN]}}", "services: {s: {dns: [8.8.8.8], cap_add: [NET_ADMIN, SYS_TIME]}}", { dns: ["1.1.1.1", "8.8.8.8"], cap_add: ["NET_ADMIN", "SYS_TIME"] }],
  ["command and entrypoint are replaced", "services: {s: {command: [echo, foo], entrypoint: [a]}}", "services: {s: {command: [echo, bar], entrypoint: [b]}}", { command: ["echo", "bar"], entrypoint: ["b"] }],
  ["healthcheck.test is replaced, the rest merges", "services: {s: {healthcheck: {test: [CMD, a], interval: 5s}}}", "services: {s: {healthcheck: {test: [CMD, b]}}}", { healthcheck: { test: ["CMD", "b"], interval: "5s" } }],
  ["volumes are unique by target", "services: {s: {volumes: ['foo:/work', 'x:/x']}}", "services: {s: {volumes: ['bar:/work']}}", { volumes: ["bar:/work", "x:/x"] }],
  ["ports are unique by ip, published, target and protocol", "services: {s: {ports: ['8080:80', '53:53/udp']}}", "services: {s: {ports: ['8080:80', '53:53']}}", { ports: ["8080:80", "53:53/udp", "53:53"] }],
  ["secrets are unique by target", "services: {s: {secrets: [a, {source: b, target: t}]}}", "services: {s: {secrets: [{source: c, target: t}]}}", { secrets: ["a", { source: "c", target: "t" }] }],
  ["environment merges by name across list and mapping forms", "services: {s: {environment: [A=1, B=1]}}", "services: {s: {environment: {B: 2, C: 3}}}", { environment: { A: "1", B: 2, C: 3 } }],
  ["labels merge by name", "services: {s: {labels: {a: '1'}}}", "services: {s: {labels: [b=2]}}", { labels: { a: "1", b: "2" } }],
  ["depends_on: a list is a mapping of service_started", "services: {s: {depends_on: [db]}}", "services: {s: {depends_on: {cache: {condition: service_healthy}}}}", { depends_on: { db: { condition: "service_started" }, cache: { condition: "service_healthy" } } }],
  ["a string build is its context", "services: {s: {build: ./app}}", "services: {s: {build: {target: dev}}}", { build: { context: "./app", target: "dev" } }],
  ["!reset removes, !override replaces", "services: {s: {ports: ['80:80'], environment: {A: '1', B: '2'}, labels: {x: '1'}}}", "services: {s: {ports: !reset [], environment: {A: !reset null}, labels: !override {y: '2'}}}", { environment: { B: "2" }, labels: { y: "2" } }],
];

for (const [name, base, over, want] of cases) test(`merge: ${name}`, () => assert.deepEqual(merged(base, over), want));
