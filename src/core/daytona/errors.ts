// SDK and network errors mapped to a small typed set, so the UI can say what to do (sign in again,
// retry, nothing) without knowing the SDK's classes. The message never includes credentials.

export type DaytonaErrorKind =
  | "unauthorized" // 401: the key is wrong or revoked -> sign in again
  | "forbidden"
  | "notFound"
  | "conflict" // e.g. a state change the sandbox's state does not allow
  | "invalid" // 400/422
  | "unreachable" // connection refused, DNS, reset
  | "timeout"
  | "server" // 5xx
  | "cancelled"
  | "other";

export class DaytonaRequestError extends Error {
  constructor(
    readonly kind: DaytonaErrorKind,
    message: string,
    readonly status?: number,
    override readonly cause?: unknown,
  ) {
    super(message);
    this.name = "DaytonaRequestError";
  }

  /** Safe to try again without asking (the operation did not reach the server or can be repeated). */
  get transient(): boolean {
    return this.kind === "unreachable" || this.kind === "timeout" || this.kind === "server";
  }
}

const NETWORK_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH", "EPIPE", "ERR_SOCKET_CONNECTION_TIMEOUT"]);
const TIMEOUT_CODES = new Set(["ETIMEDOUT", "ECONNABORTED", "ERR_TIMEOUT"]);

function kindForStatus(status: number): DaytonaErrorKind {
  if (status === 401) return "unauthorized";
  if (status === 403) return "forbidden";
  if (status === 404) return "notFound";
  if (status === 408 || status === 504) return "timeout";
  if (status === 409 || status === 410) return "conflict";
  if (status === 400 || status === 422) return "invalid";
  if (status >= 500) return "server";
  return "other";
}

/** Removes anything that looks like a bearer token or an API key from a message. */
export function redact(message: string, secrets: readonly string[] = []): string {
  let out = message.replace(/Bearer\s+[\w.~+/=-]+/gi, "Bearer ***");
  for (const s of secrets) if (s && s.length >= 6) out = out.split(s).join("***");
  return out;
}

export function toDaytonaError(err: unknown, secrets: readonly string[] = []): DaytonaRequestError {
  if (err instanceof DaytonaRequestError) return err;
  const e = (err ?? {}) as { name?: string; message?: string; statusCode?: number; status?: number; code?: string; cause?: { code?: string }; response?: { status?: number } };
  const message = redact(typeof e.message === "string" && e.message ? e.message : String(err), secrets);
  if (e.name === "AbortError" || e.name === "CanceledError" || e.code === "ERR_CANCELED") return new DaytonaRequestError("cancelled", "cancelled", undefined, err);
  const status = e.statusCode ?? e.response?.status ?? (typeof e.status === "number" ? e.status : undefined);
  if (typeof status === "number" && status >= 400) return new DaytonaRequestError(kindForStatus(status), message, status, err);
  const code = e.code ?? e.cause?.code;
  if ((code && TIMEOUT_CODES.has(code)) || e.name === "DaytonaTimeoutError" || /timed? ?out/i.test(message)) return new DaytonaRequestError("timeout", message, undefined, err);
  if ((code && NETWORK_CODES.has(code)) || e.name === "DaytonaConnectionError" || /network error|socket hang up|ECONNREFUSED/i.test(message)) {
    return new DaytonaRequestError("unreachable", message, undefined, err);
  }
  if (e.name === "DaytonaAuthenticationError") return new DaytonaRequestError("unauthorized", message, 401, err);
  return new DaytonaRequestError("other", message, undefined, err);
}
