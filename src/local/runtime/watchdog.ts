// Containers stop when their server dies. A sandbox's main process reads its stdin until EOF (see
// containerSpec); the server attaches to that stdin and holds the connection without writing. With
// StdinOnce the engine closes the container's stdin when that one client goes away, whatever the
// reason (a SIGTERM'd server closes it itself; a kill -9'd one has the kernel close the socket), so
// the container stops and nothing it runs keeps writing. The next start reconciles and starts it again.
import type { Duplex } from "node:stream";
import type Docker from "dockerode";

export class Watchdog {
  private readonly held = new Map<string, Duplex>();

  constructor(private readonly docker: Docker) {}

  /** Hold the container's stdin (once per container start; a second call is a no-op). */
  async hold(containerId: string): Promise<void> {
    if (this.held.has(containerId)) return;
    const stream = (await this.docker.getContainer(containerId).attach({ stream: true, stdin: true, stdout: false, stderr: false, hijack: true })) as Duplex;
    this.held.set(containerId, stream);
    stream.on("error", () => undefined);
    const forget = () => {
      if (this.held.get(containerId) === stream) this.held.delete(containerId);
    };
    stream.once("close", forget);
    stream.once("end", forget);
  }

  /** Let go of a container that stopped or went away. */
  release(containerId: string): void {
    this.held.get(containerId)?.destroy();
    this.held.delete(containerId);
  }

  releaseAll(): void {
    for (const id of [...this.held.keys()]) this.release(id);
  }
}
