// What create (and label updates) accept, checked before anything is made: a bad field is a 400 that
// names it, as Daytona's API answers, instead of a sandbox where every later exec fails.
import { HttpError, optNumber, optString } from "../http/util";

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
// A POSIX login name (what useradd accepts by default), so it can never be a path.
const USER_NAME = /^[a-z_][a-z0-9_-]{0,31}$/;
export const LIMITS = {
  cpu: [1, 64],
  gpu: [0, 16],
  memory: [1, 256],
  disk: [1, 1024],
  labels: 64,
  labelKey: 253,
  labelValue: 1024,
  env: 256,
  envValue: 128 * 1024,
} as const;

function fieldMap(body: Record<string, unknown>, key: string): Map<string, unknown> | undefined {
  const v = body[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "object" || Array.isArray(v)) throw new HttpError(400, `${key} must be an object of strings`);
  // Own keys only, "__proto__" included (JSON.parse makes it an own property; copying it into a
  // plain object would silently drop it).
  return new Map(Object.keys(v).map((k) => [k, (v as Record<string, unknown>)[k]]));
}

export function readLabels(body: Record<string, unknown>): Record<string, string> | undefined {
  const m = fieldMap(body, "labels");
  if (!m) return undefined;
  if (m.size > LIMITS.labels) throw new HttpError(400, `labels: at most ${LIMITS.labels} labels (got ${m.size})`);
  const out: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const [k, v] of m) {
    if (k === "__proto__") throw new HttpError(400, "labels: the key __proto__ is not allowed");
    if (k.length === 0 || k.length > LIMITS.labelKey) throw new HttpError(400, `labels: a key must be 1-${LIMITS.labelKey} characters`);
    // eslint-disable-next-line no-control-regex
    if (/[\x00-\x1f\x7f]/.test(k)) throw new HttpError(400, `labels: key ${JSON.stringify(k)} holds control characters`);
    if (typeof v !== "string") throw new HttpError(400, `labels.${k} must be a string`);
    if (v.length > LIMITS.labelValue) throw new HttpError(400, `labels.${k}: at most ${LIMITS.labelValue} characters`);
    out[k] = v;
  }
  return { ...out };
}

export function readEnv(body: Record<string, unknown>): Record<string, string> | undefined {
  const m = fieldMap(body, "env");
  if (!m) return undefined;
  if (m.size > LIMITS.env) throw new HttpError(400, `env: at most ${LIMITS.env} variables`);
  const out: Record<string, string> = {};
  for (const [k, v] of m) {
    if (!ENV_NAME.test(k)) throw new HttpError(400, `env: invalid variable name ${JSON.stringify(k)} (letters, digits and _, not starting with a digit)`);
    if (typeof v !== "string") throw new HttpError(400, `env.${k} must be a string`);
    if (v.includes("\0")) throw new HttpError(400, `env.${k} must not contain NUL`);
    if (v.length > LIMITS.envValue) throw new HttpError(400, `env.${k}: at most ${LIMITS.envValue} characters`);
    Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

export function readUser(body: Record<string, unknown>): string | undefined {
  const u = optString(body, "user");
  if (u === undefined || u === "") return undefined;
  if (!USER_NAME.test(u)) throw new HttpError(400, `user ${JSON.stringify(u)} is not a valid user name (lowercase letters, digits, _ and -, at most 32)`);
  return u;
}

/** An integer resource or interval within [min, max]; undefined when absent. */
export function readInt(body: Record<string, unknown>, key: string, min: number, max = Number.MAX_SAFE_INTEGER): number | undefined {
  const v = optNumber(body, key);
  if (v === undefined) return undefined;
  if (!Number.isInteger(v) || v < min || v > max) throw new HttpError(400, `${key} must be an integer from ${min} to ${max} (got ${v})`);
  return v;
}

export function readResource(body: Record<string, unknown>, key: "cpu" | "gpu" | "memory" | "disk"): number | undefined {
  const [min, max] = LIMITS[key];
  return readInt(body, key, min, max);
}
