// A small JSON-schema checker for Daytona's published contracts, shared by the contract tests: works on
// OpenAPI 3 documents (api.json: refs `#/components/schemas/X`, responses under `content`) and on
// Swagger 2 documents (toolbox.json: refs `#/definitions/X`, responses as `responses.<code>.schema`).
// It checks what a client relies on: required fields present, primitive types right, $ref and allOf
// resolved, enums respected, array items and map values (additionalProperties) checked in turn.
import assert from "node:assert/strict";

export type Schema = {
  $ref?: string;
  type?: string;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  allOf?: Schema[];
  enum?: unknown[];
  nullable?: boolean;
  "x-nullable"?: boolean;
  additionalProperties?: boolean | Schema;
};

type Response = { schema?: Schema; content?: Record<string, { schema?: Schema }> };

export interface SchemaDoc {
  paths: Record<string, Record<string, { responses?: Record<string, Response> }>>;
  /** OpenAPI 3 */
  components?: { schemas: Record<string, Schema> };
  /** Swagger 2 */
  definitions?: Record<string, Schema>;
}

const REF_PREFIXES: [string, (doc: SchemaDoc) => Record<string, Schema> | undefined][] = [
  ["#/components/schemas/", (doc) => doc.components?.schemas],
  ["#/definitions/", (doc) => doc.definitions],
];

export function resolveRef(doc: SchemaDoc, ref: string): Schema {
  for (const [prefix, table] of REF_PREFIXES) {
    if (!ref.startsWith(prefix)) continue;
    const s = table(doc)?.[ref.slice(prefix.length)];
    if (s) return s;
  }
  throw new Error(`unresolvable $ref ${ref}`);
}

/** Appends one line per mismatch (`<at>.<field>: <what>`) to `errors`. */
export function validate(doc: SchemaDoc, schema: Schema, value: unknown, at: string, errors: string[]): void {
  if (schema.$ref) return validate(doc, resolveRef(doc, schema.$ref), value, at, errors);
  if (schema.allOf) for (const s of schema.allOf) validate(doc, s, value, at, errors);
  if (value === null || value === undefined) {
    if (value === null && !schema.nullable && !schema["x-nullable"] && schema.type) errors.push(`${at}: null but not nullable`);
    return;
  }
  if (schema.enum && !schema.enum.includes(value)) errors.push(`${at}: ${JSON.stringify(value)} not in enum`);
  switch (schema.type) {
    case "string":
      if (typeof value !== "string") errors.push(`${at}: expected string, got ${typeof value}`);
      break;
    case "number":
    case "integer":
      if (typeof value !== "number") errors.push(`${at}: expected number, got ${typeof value}`);
      else if (schema.type === "integer" && !Number.isInteger(value)) errors.push(`${at}: expected integer, got ${value}`);
      break;
    case "boolean":
      if (typeof value !== "boolean") errors.push(`${at}: expected boolean, got ${typeof value}`);
      break;
    case "array":
      if (!Array.isArray(value)) errors.push(`${at}: expected array`);
      else if (schema.items) value.forEach((v, i) => validate(doc, schema.items as Schema, v, `${at}[${i}]`, errors));
      break;
    case "object":
    case undefined: {
      const map = typeof schema.additionalProperties === "object" ? schema.additionalProperties : undefined;
      if (!schema.properties && !schema.required && !map) break;
      if (typeof value !== "object" || Array.isArray(value)) {
        errors.push(`${at}: expected object`);
        break;
      }
      const obj = value as Record<string, unknown>;
      for (const r of schema.required ?? []) if (!(r in obj) || obj[r] === undefined) errors.push(`${at}.${r}: required, missing`);
      for (const [k, s] of Object.entries(schema.properties ?? {})) if (k in obj) validate(doc, s, obj[k], `${at}.${k}`, errors);
      if (map) for (const [k, v] of Object.entries(obj)) if (!schema.properties?.[k]) validate(doc, map, v, `${at}.${k}`, errors);
      break;
    }
  }
}

/**
 * The documented JSON schema of one answer: `status` given, that code's; otherwise the first 2xx.
 * Fails the test when the document has no such operation or no schema for it.
 */
export function responseSchema(doc: SchemaDoc, method: string, pathTemplate: string, status?: number): Schema {
  const op = doc.paths[pathTemplate]?.[method.toLowerCase()];
  assert.ok(op, `contract has no ${method} ${pathTemplate}`);
  const entry = Object.entries(op.responses ?? {}).find(([code]) => (status === undefined ? code.startsWith("2") : code === String(status)));
  const schema = entry?.[1].schema ?? entry?.[1].content?.["application/json"]?.schema;
  assert.ok(schema, `no JSON schema for ${method} ${pathTemplate}${status === undefined ? "" : ` ${status}`}`);
  return schema;
}
