// Pushed sandbox events over Daytona's socket.io gateway (the same endpoint and auth the SDK uses),
// so the views update without polling. Connects only while someone listens.
import { toSandboxRecord, type SandboxRecord, type SandboxState } from "./records";

export interface SandboxEvent {
  /** The full sandbox when the event carried one. */
  record?: SandboxRecord;
  id: string;
  newState?: SandboxState;
  kind: "created" | "stateUpdated";
}

export interface EventStreamHandlers {
  onEvent(event: SandboxEvent): void;
  /** Connected (true) or lost (false): the views poll while it is false and refetch when it returns. */
  onStatus(connected: boolean): void;
}

export interface EventStream {
  dispose(): void;
}

export interface EventStreamOptions {
  apiUrl: string;
  token: string;
  organizationId?: string;
}

function parse(kind: SandboxEvent["kind"], payload: unknown): SandboxEvent | undefined {
  try {
    if (kind === "created") {
      const record = toSandboxRecord(payload);
      return { kind, record, id: record.id, newState: record.state };
    }
    const p = payload as { sandbox?: unknown; newState?: unknown };
    const record = toSandboxRecord(p.sandbox);
    const newState = typeof p.newState === "string" ? (p.newState as SandboxState) : record.state;
    return { kind, record: { ...record, state: newState }, id: record.id, newState };
  } catch {
    return undefined; // a malformed event is dropped; the next list brings the truth
  }
}

export async function openEventStream(options: EventStreamOptions, handlers: EventStreamHandlers): Promise<EventStream> {
  const { io } = await import("socket.io-client");
  const url = new URL(options.apiUrl);
  const socket = io(url.origin, {
    path: `${url.pathname.replace(/\/+$/, "")}/socket.io/`,
    transports: ["websocket"],
    auth: { token: options.token },
    query: options.organizationId ? { organizationId: options.organizationId } : {},
    reconnection: true,
    reconnectionDelay: 1000,
    reconnectionDelayMax: 30_000,
    timeout: 10_000,
  });
  socket.on("connect", () => handlers.onStatus(true));
  socket.on("disconnect", () => handlers.onStatus(false));
  socket.on("connect_error", () => handlers.onStatus(false));
  socket.on("sandbox.created", (payload: unknown) => {
    const e = parse("created", payload);
    if (e) handlers.onEvent(e);
  });
  socket.on("sandbox.state.updated", (payload: unknown) => {
    const e = parse("stateUpdated", payload);
    if (e) handlers.onEvent(e);
  });
  return {
    dispose: () => {
      socket.removeAllListeners();
      socket.disconnect();
    },
  };
}
