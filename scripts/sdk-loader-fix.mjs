import { createRequire } from "node:module";

// @daytonaio/sdk loads ObjectStorage (Dockerfile build contexts) through a require() of a variable,
// which a bundler cannot follow, and lists OpenTelemetry modules we never enable. This rewrites its
// loader so ObjectStorage is bundled and OpenTelemetry is left out (asking for it throws, as the SDK
// already handles for runtimes without it).
export const sdkLoaderFix = {
  name: "daytona-sdk-loader",
  setup(build) {
    // Always the CommonJS build: the ESM build loads even its plain dependencies through a runtime
    // require() that a bundle cannot satisfy, and import() would otherwise pick it.
    build.onResolve({ filter: /^@daytonaio\/sdk$/ }, () => ({ path: createRequire(import.meta.url).resolve("@daytonaio/sdk") }));
    build.onLoad({ filter: /@daytonaio[\\/]sdk[\\/]cjs[\\/]utils[\\/]Import\.js$/ }, async (args) => {
      const { readFile } = await import("node:fs/promises");
      let src = await readFile(args.path, "utf8");
      const dynamic = /const path = '\.\.\/ObjectStorage\.js';\s*return Promise\.resolve\(`\$\{path\}`\)\.then\(s => __importStar\(require\(s\)\)\);/;
      if (!dynamic.test(src)) throw new Error("sdk-loader: the SDK's ObjectStorage loader changed; update scripts/build.mjs");
      src = src.replace(dynamic, "return Promise.resolve().then(() => __importStar(require('../ObjectStorage.js')));");
      src = src.replace(/require\('(@opentelemetry\/[\w/-]+)'\)/g, "(() => { throw new Error('$1 is not bundled'); })()");
      return { contents: src, loader: "js" };
    });
  },
};
