// socket.io at <apiUrl>/socket.io/ pushing sandbox events the way Daytona's notification gateway
// does. The SDK connects with `auth: {token}` over the websocket transport and dispatches every
// `sandbox.state.updated` / `sandbox.created` by the sandbox id inside the payload, so one local
// organization means every authenticated socket gets every event (no rooms needed).
import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { Server as EngineServer } from "engine.io";
import { Server as IoServer } from "socket.io";
import { sameSecret } from "./auth";

export const SOCKET_PATH = "/api/socket.io/";

export class Events {
  private readonly engine: EngineServer;
  private readonly io: IoServer;

  constructor(
    private readonly token: string,
    authWindowMs = 10_000,
  ) {
    this.engine = new EngineServer({ transports: ["websocket"], pingInterval: 10_000, pingTimeout: 5_000 });
    this.io = new IoServer({ path: SOCKET_PATH, transports: ["websocket"], serveClient: false });
    this.io.bind(this.engine);
    // The SDK sends its token in socket.io's CONNECT packet, not on the upgrade request, so the
    // transport opens first; a connection that has not authenticated within the window is closed, and
    // a wrong token closes it at once (after the error reaches the client).
    const authenticated = new WeakSet<object>();
    this.engine.on("connection", (conn: { close(): void; once(e: string, f: () => void): void }) => {
      const timer = setTimeout(() => {
        if (!authenticated.has(conn)) conn.close();
      }, authWindowMs);
      timer.unref();
      conn.once("close", () => clearTimeout(timer));
    });
    this.io.use((socket, next) => {
      const auth = socket.handshake.auth as { token?: unknown } | undefined;
      if (sameSecret(typeof auth?.token === "string" ? auth.token : undefined, this.token)) {
        authenticated.add(socket.conn);
        next();
        return;
      }
      next(new Error("Unauthorized"));
      setTimeout(() => socket.conn.close(), 50).unref();
    });
  }

  /** Hand a (possibly wrapped) upgraded socket to engine.io. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    this.engine.handleUpgrade(req, socket, head);
  }

  emit(event: "sandbox.state.updated" | "sandbox.created" | "snapshot.state.updated" | "snapshot.created" | "volume.created" | "volume.state.updated", payload: unknown): void {
    this.io.emit(event, payload);
  }

  connectedCount(): number {
    return this.io.of("/").sockets.size;
  }

  async close(): Promise<void> {
    this.io.disconnectSockets(true);
    this.engine.close();
    await new Promise<void>((resolve) => this.io.close(() => resolve()));
  }
}
