// socket.io at <apiUrl>/socket.io/ pushing sandbox events the way Daytona's notification gateway
// does. The SDK connects with `auth: {token}` over the websocket transport and dispatches every
// `sandbox.state.updated` / `sandbox.created` by the sandbox id inside the payload, so one local
// organization means every authenticated socket gets every event (no rooms needed).
import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { Server as EngineServer } from "engine.io";
import { Server as IoServer } from "socket.io";

export const SOCKET_PATH = "/api/socket.io/";

export class Events {
  private readonly engine: EngineServer;
  private readonly io: IoServer;

  constructor(private readonly token: string) {
    this.engine = new EngineServer({ transports: ["websocket"], pingInterval: 10_000, pingTimeout: 5_000 });
    this.io = new IoServer({ path: SOCKET_PATH, transports: ["websocket"], serveClient: false });
    this.io.bind(this.engine);
    this.io.use((socket, next) => {
      const auth = socket.handshake.auth as { token?: unknown } | undefined;
      if (auth?.token === this.token) next();
      else next(new Error("Unauthorized"));
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
