/**
 * The Docker build context `keel deploy docker` writes: a multi-stage Dockerfile that installs Keel from its
 * own package tarball and runs `keel serve` as a non-root user, a .dockerignore, and a README.
 */
import { cp, mkdir, rm, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { KeelError } from "../core/errors.js";
import { MODEL_FILES } from "../core/mlmodel.js";
import type { DeployFile, DockerContextDeps, DockerContextOptions, DockerfileSpec } from "./types.js";

/** Debian slim, not Alpine: onnxruntime-node's prebuilt binaries link against glibc, and Alpine has musl. */
export const BASE_IMAGE = "node:20-bookworm-slim";
/** The `node` user of the official Node images, by number so that Kubernetes' runAsNonRoot can check it. */
export const RUNTIME_UID = 1000;
/** Where an embedded model directory sits inside the build context. */
export const CONTEXT_MODEL_DIR = "model";
export const KEEL_HOME = "/opt/keel";

/** The argument `keel serve` gets inside the container: the URI, or the embedded copy's path. */
export function servedModel(spec: Pick<DockerfileSpec, "modelUri" | "name" | "embedModel">): string {
  return spec.embedModel ? `/models/${spec.name}` : spec.modelUri;
}

function healthcheckScript(port: number): string {
  // The slim image has no curl or wget; Node 20's fetch does the same job.
  return `fetch('http://127.0.0.1:${port}/v2/health/ready').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))`;
}

/** The Dockerfile's text. */
export function dockerfile(spec: DockerfileSpec): string {
  const { tarball, port } = spec;
  const entrypoint = ["keel", "serve", servedModel(spec), "--host", "0.0.0.0", "--port", String(port)];
  return [
    "# syntax=docker/dockerfile:1",
    `# Written by \`keel deploy docker\` for ${spec.modelUri}.`,
    `# Base ${BASE_IMAGE}, not Alpine: onnxruntime-node ships binaries built against glibc, which Alpine (musl) lacks.`,
    "",
    `FROM ${BASE_IMAGE} AS build`,
    "# Compilers for native modules that have no prebuilt binary for this platform (better-sqlite3 falls back to node-gyp).",
    "RUN apt-get update \\",
    " && apt-get install -y --no-install-recommends python3 make g++ \\",
    " && rm -rf /var/lib/apt/lists/*",
    `WORKDIR ${KEEL_HOME}`,
    `COPY ${tarball} package-lock.json ./`,
    "# The tarball carries the compiled dist/, so the `prepare` script (which compiles with dev tools) is dropped.",
    "# ONNXRUNTIME_NODE_INSTALL=skip: the CPU binaries are in the package; skip its optional GPU download.",
    "# Only dist/ and the production node_modules run; the sources and tests packed beside them are removed.",
    `RUN tar -xzf ${tarball} --strip-components=1 --no-same-owner \\`,
    ` && rm ${tarball} \\`,
    " && npm pkg delete scripts.prepare \\",
    " && ONNXRUNTIME_NODE_INSTALL=skip npm ci --omit=dev --no-audit --no-fund \\",
    " && npm cache clean --force \\",
    " && rm -rf src test bench examples .ci \\",
    " && chmod 0755 dist/cli/main.js",
    "",
    `FROM ${BASE_IMAGE} AS runtime`,
    `LABEL org.opencontainers.image.title=${JSON.stringify(`keel-serve-${spec.name}`)} \\`,
    `      org.opencontainers.image.description=${JSON.stringify(`Keel model server for ${spec.modelUri}`)}`,
    "# The root filesystem may be read-only (Kubernetes): predictions are logged under /tmp unless",
    "# KEEL_PREDICTION_LOG names an s3:// URI or a mounted volume.",
    "ENV NODE_ENV=production \\",
    `    KEEL_PORT=${port} \\`,
    "    KEEL_PREDICTION_LOG=/tmp/keel-predictions",
    "# Owned by root and read-only to the server's user.",
    `COPY --from=build ${KEEL_HOME} ${KEEL_HOME}`,
    `RUN ln -s ${KEEL_HOME}/dist/cli/main.js /usr/local/bin/keel`,
    ...(spec.embedModel ? [`COPY ${CONTEXT_MODEL_DIR}/ /models/${spec.name}/`] : []),
    "WORKDIR /home/node",
    `USER ${RUNTIME_UID}:${RUNTIME_UID}`,
    `EXPOSE ${port}`,
    `HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 CMD ${JSON.stringify(["node", "-e", healthcheckScript(port)])}`,
    `ENTRYPOINT ${JSON.stringify(entrypoint)}`,
    "",
  ].join("\n");
}

/** An allow-list: only what the Dockerfile copies is sent to the Docker daemon. */
export function dockerignore(): string {
  return ["# Send only what the Dockerfile copies.", "*", "!keel-*.tgz", "!package-lock.json", `!${CONTEXT_MODEL_DIR}`, ""].join("\n");
}

/** The README of the build context: how to build, run and check the image. */
export function dockerReadme(options: DockerContextOptions): string {
  const { image, port } = options;
  const tracking = options.trackingUri ?? "http://tracking.example.com:5000";
  const run = options.embedModel
    ? `docker run --rm --init -p ${port}:${port} ${image}`
    : `docker run --rm --init -p ${port}:${port} -e KEEL_TRACKING_URI=${tracking} ${image}`;
  const where = options.embedModel
    ? `The model directory is copied into the image at /models/${options.name}; the container needs no tracking server.`
    : `The container fetches ${options.model.uri} from the tracking server named by KEEL_TRACKING_URI when it starts ` +
      "(a tracking server on the Docker host is http://host.docker.internal:5000 on Docker Desktop).";
  return [
    `# ${image}: Keel serving ${options.model.uri}`,
    "",
    "Written by `keel deploy docker`. Build and run:",
    "",
    "```sh",
    `docker build -t ${image} .`,
    run,
    `curl -fsS http://localhost:${port}/v2/health/ready`,
    "```",
    "",
    where,
    "",
    `The server answers MLflow scoring (\`POST /invocations\`), KServe V2 (\`/v2/models/...\`), \`POST /predict\` and`,
    `Prometheus metrics (\`GET /metrics\`) on port ${port}, as user ${RUNTIME_UID} (not root). Docker's HEALTHCHECK polls`,
    "`/v2/health/ready`. For Kubernetes, push the image and run `keel deploy k8s` with `--image`.",
    "",
    `The base is ${BASE_IMAGE} rather than Alpine because onnxruntime-node's native binaries need glibc;`,
    "Alpine's musl cannot load them.",
    "",
  ].join("\n");
}

async function exists(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined)) !== undefined;
}

/** Copies or downloads the model into `<outDir>/model`, replacing what an earlier run left there. */
async function placeModel(outDir: string, options: DockerContextOptions, deps: DockerContextDeps): Promise<void> {
  const dest = join(outDir, CONTEXT_MODEL_DIR);
  await rm(dest, { recursive: true, force: true });
  if (options.model.localDir) await cp(options.model.localDir, dest, { recursive: true });
  else await deps.fetchModel(options.model.uri, dest);
  if (!(await exists(join(dest, MODEL_FILES.mlmodel)))) {
    throw new KeelError("INVALID_PARAMETER_VALUE", `${options.model.uri} has no ${MODEL_FILES.mlmodel} file; it is not an MLflow model directory`);
  }
}

/**
 * Writes the build context to `outDir` (created if missing) and resolves with the paths written, relative to
 * it. A local model directory is always embedded, since the container cannot see the host's files.
 *
 * @example
 * await writeDockerContext("keel-deploy/churn", { model, name: "churn", port: 8080, embedModel: false, image: "keel-serve-churn:latest" }, deps);
 */
export async function writeDockerContext(outDir: string, options: DockerContextOptions, deps: DockerContextDeps): Promise<string[]> {
  const embedModel = options.embedModel || options.model.localDir !== undefined;
  const settled = { ...options, embedModel };
  await mkdir(outDir, { recursive: true });
  const tarball = await deps.packKeel(outDir);
  if (embedModel) await placeModel(outDir, settled, deps);
  const files: DeployFile[] = [
    { path: "Dockerfile", content: dockerfile({ modelUri: options.model.uri, name: options.name, tarball, port: options.port, embedModel }) },
    { path: ".dockerignore", content: dockerignore() },
    { path: "README.md", content: dockerReadme(settled) },
  ];
  for (const file of files) await writeFile(join(outDir, file.path), file.content);
  return [...files.map((f) => f.path), tarball, "package-lock.json", ...(embedModel ? [`${CONTEXT_MODEL_DIR}/`] : [])];
}
