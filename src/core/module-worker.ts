/**
 * Starts a worker thread from a module beside the caller: the built `.js` in dist, or under vitest/tsx the
 * `.ts` source, which the worker must load through tsx.
 */
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";

/**
 * `name` is the module's file name without extension (`forest-worker`), `callerUrl` the caller's
 * import.meta.url, which says whether the code runs from source.
 *
 * @example const worker = startModuleWorker("forest-worker", import.meta.url, { data });
 */
export function startModuleWorker(name: string, callerUrl: string, workerData: unknown): Worker {
  const fromSource = callerUrl.endsWith(".ts");
  const url = new URL(`./${name}${fromSource ? ".ts" : ".js"}`, callerUrl);
  if (!fromSource) return new Worker(url, { workerData });
  // Node 20 does not apply `--import tsx` given in a worker's execArgv (module hooks stay per thread), so a
  // bootstrap loads the worker through tsx's API instead; tsx's CommonJS API cannot find its own files from
  // eval'd code, so the bootstrap imports the ESM one.
  const require = createRequire(callerUrl);
  const tsx = require("tsx/package.json") as { exports: Record<string, { import: { default: string } }> };
  const api = new URL(tsx.exports["./esm/api"].import.default, pathToFileURL(require.resolve("tsx/package.json"))).href;
  const code = `import(${JSON.stringify(api)}).then((tsx) => tsx.tsImport(${JSON.stringify(url.href)}, ${JSON.stringify(callerUrl)}));`;
  return new Worker(code, { eval: true, workerData });
}
