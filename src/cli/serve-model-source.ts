/**
 * Where `keel serve` gets its models: local directories as they are, and registry or run URIs through the
 * tracking server, each version downloaded once into a cache directory (under the system's temp directory,
 * which a read-only container provides as an emptyDir).
 */
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { ModelClients } from "../client/resolve-model-uri.js";
import { downloadModel, resolveModelUri } from "../client/resolve-model-uri.js";
import { KeelError } from "../core/errors.js";
import { formatModelUri, parseModelUri } from "../core/model-uri.js";
import type { ModelSource } from "../serving/model-fleet.js";

/** The local directory of a path or file: URI, or undefined for a URI the tracking server resolves. */
function localDirectory(uri: string): string | undefined {
  const parsed = parseModelUri(uri);
  if (parsed.kind !== "artifact") return undefined;
  if (/^file:/i.test(uri)) return fileURLToPath(uri);
  if (/^[A-Za-z][A-Za-z0-9+.-]+:/.test(uri)) return undefined;
  return resolve(uri);
}

/** `clients` null serves local directories only (no tracking server configured). */
export function createServeModelSource(clients: () => ModelClients): ModelSource {
  let cache: Promise<string> | undefined;
  const cacheDir = (): Promise<string> => (cache ??= mkdtemp(join(tmpdir(), "keel-serve-")));
  return {
    async resolveVersion(uri) {
      if (localDirectory(uri) !== undefined) return "local";
      const { registry, tracking } = clients();
      const resolved = await resolveModelUri(registry, tracking, uri);
      return resolved.modelVersion?.version ?? resolved.runId ?? "1";
    },
    async fetch(uri, version) {
      const local = localDirectory(uri);
      if (local !== undefined) return local;
      const parsed = parseModelUri(uri);
      // Download the version resolved, not whatever the alias points at a moment later.
      const pinned = parsed.kind === "alias" || parsed.kind === "stage" || parsed.kind === "latest" ? formatModelUri({ kind: "version", name: parsed.name, version }) : uri;
      const dest = join(await cacheDir(), `${encodeURIComponent(pinned)}`);
      try {
        return await downloadModel(clients(), pinned, dest);
      } catch (error) {
        if (error instanceof KeelError) throw error;
        throw new KeelError("TEMPORARILY_UNAVAILABLE", `could not download ${pinned}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
      }
    },
  };
}
