// A Dockerfile build on the engine (POST /build with the context as a tar stream), its output passed
// on line by line. The caller has already mapped FROM names onto local images (no registry is used:
// pull is off, so a FROM naming an image the engine lacks fails the build with the engine's message).
import type Docker from "dockerode";
import type { BuildRequest } from "../contract";

interface BuildEvent {
  stream?: string;
  status?: string;
  error?: string;
  errorDetail?: { message?: string };
  aux?: { ID?: string };
}

export async function buildImage(docker: Docker, req: BuildRequest & { tag: string; labels: Record<string, string> }): Promise<void> {
  const out = (await docker.buildImage(req.context as unknown as NodeJS.ReadableStream, {
    t: req.tag,
    dockerfile: req.dockerfile,
    labels: req.labels,
    rm: true,
    forcerm: true,
    pull: false,
    abortSignal: req.signal,
  } as Docker.ImageBuildOptions)) as NodeJS.ReadableStream;
  let failure: string | undefined;
  let partial = "";
  const emit = (text: string): void => {
    partial += text;
    const lines = partial.split("\n");
    partial = lines.pop() ?? "";
    for (const l of lines) req.log(l);
  };
  await new Promise<void>((resolve, reject) => {
    docker.modem.followProgress(
      out,
      (err: Error | null) => (err ? reject(err) : resolve()),
      (ev: BuildEvent) => {
        if (ev.stream) emit(ev.stream);
        else if (ev.status) emit(`${ev.status}\n`);
        if (ev.error) failure = ev.errorDetail?.message ?? ev.error;
      },
    );
  });
  if (partial) req.log(partial);
  if (failure) throw new Error(failure);
}
