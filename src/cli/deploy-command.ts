import { copyFile, mkdtemp, rename, rm, stat } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import type { Command } from "commander";
import { InvalidArgumentError } from "commander";
import { downloadModel } from "../client/resolve-model-uri.js";
import { resolveTrackingUri } from "../client/tracking-uri.js";
import { KeelError } from "../core/errors.js";
import type { DeployModel, DockerContextDeps } from "../deploy/index.js";
import { checkImage, checkResourceName, describeDeployModel, findKeelRoot, kubernetesName, packKeel, writeDockerContext, writeK8sManifests } from "../deploy/index.js";
import type { CliContext } from "./cli-context.js";
import { positiveInteger } from "./cli-context.js";

const DEFAULT_PORT = 8080;
const DEFAULT_OUT_ROOT = "keel-deploy";

interface CommonFlags {
  out?: string;
  name?: string;
  image?: string;
  port: number;
  json?: boolean;
}

interface DockerFlags extends CommonFlags {
  embedModel?: boolean;
  keelTarball?: string;
}

interface K8sFlags extends CommonFlags {
  namespace?: string;
  replicas?: number;
  minReplicas: number;
  maxReplicas: number;
  cpuTarget: number;
  cpuRequest: string;
  cpuLimit: string;
  memoryRequest: string;
  memoryLimit: string;
}

/** commander parser for a TCP port. */
function portNumber(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1 || n > 65535) throw new InvalidArgumentError("expected a port from 1 to 65535.");
  return n;
}

/** Runs a check; bad input (INVALID_PARAMETER_VALUE) ends the command as a usage error, exit code 2. */
async function usage<T>(command: Command, check: () => T | Promise<T>): Promise<T> {
  try {
    return await check();
  } catch (error) {
    if (error instanceof KeelError && error.code === "INVALID_PARAMETER_VALUE") {
      command.error(`error: ${error.message}`, { exitCode: 2, code: "keel.usage" });
    }
    throw error;
  }
}

/** The model, the deployment's name, its image and output directory, all checked before anything is written. */
async function settle(command: Command, uri: string, flags: CommonFlags): Promise<{ model: DeployModel; name: string; image: string; out: string; trackingUri?: string }> {
  return usage(command, async () => {
    const model = await describeDeployModel(uri);
    const name = flags.name !== undefined ? checkResourceName(flags.name) : kubernetesName(model.name);
    const image = checkImage(flags.image ?? `keel-serve-${name}:latest`);
    const explicit = command.optsWithGlobals<{ trackingUri?: string }>().trackingUri;
    const trackingUri = explicit === undefined ? undefined : resolveTrackingUri(explicit, {});
    return { model, name, image, out: flags.out ?? join(DEFAULT_OUT_ROOT, name), ...(trackingUri ? { trackingUri } : {}) };
  });
}

/** Checks a `--keel-tarball` file: it exists and is named as `npm pack` names Keel's tarball. */
async function checkTarball(tarball: string): Promise<string> {
  const path = resolve(tarball);
  if (!/^keel-.*\.tgz$/.test(basename(path))) {
    throw new KeelError("INVALID_PARAMETER_VALUE", `--keel-tarball ${tarball} is not named keel-<version>.tgz as \`npm pack\` names Keel's tarball`);
  }
  if (!(await stat(path).catch(() => undefined))?.isFile()) throw new KeelError("INVALID_PARAMETER_VALUE", `--keel-tarball ${tarball} does not exist`);
  return path;
}

/** Copies a tarball made earlier by `npm pack` instead of packing, with the lockfile of the running Keel. */
function copyTarball(path: string): DockerContextDeps["packKeel"] {
  return async (dir) => {
    await copyFile(path, join(dir, basename(path)));
    await copyFile(join(await findKeelRoot(), "package-lock.json"), join(dir, "package-lock.json"));
    return basename(path);
  };
}

function printWritten(ctx: CliContext, heading: string, out: string, files: readonly string[], next: readonly string[]): void {
  ctx.print([heading, ...files.map((f) => `  ${join(out, f)}`), "Next:", ...next.map((line) => `  ${line}`)].join("\n"));
}

function registerDockerCommand(deploy: Command, ctx: CliContext): void {
  deploy
    .command("docker")
    .description("write a Docker build context (multi-stage Dockerfile, non-root, healthcheck) that serves a model")
    .argument("<model-uri>", "models:/NAME/VERSION, models:/NAME@ALIAS, runs:/RUN_ID/PATH, or a local model directory")
    .option("--out <dir>", `where to write it (default: ${DEFAULT_OUT_ROOT}/<name>)`)
    .option("--name <name>", "deployment name (default: from the model name)")
    .option("--image <image>", "image tag in the printed commands (default: keel-serve-<name>:latest)")
    .option("--port <port>", "port the server listens on in the container", portNumber, DEFAULT_PORT)
    .option("--embed-model", "copy the model into the image instead of fetching it from the tracking server at start")
    .option("--keel-tarball <file>", "install Keel from this `npm pack` tarball instead of packing the running Keel")
    .option("--json", "print JSON")
    .action(async (uri: string, flags: DockerFlags, command: Command) => {
      const { model, name, image, out, trackingUri } = await settle(command, uri, flags);
      const keelTarball = flags.keelTarball === undefined ? undefined : await usage(command, () => checkTarball(flags.keelTarball as string));
      const deps: DockerContextDeps = {
        packKeel: keelTarball
          ? copyTarball(keelTarball)
          : (dir) => {
              ctx.io.stderr("Packing Keel with `npm pack` (this compiles it first in a source checkout)...\n");
              return packKeel(dir);
            },
        fetchModel: async (modelUri, dest) => {
          const scratch = await mkdtemp(join(dirname(dest), ".keel-model-"));
          try {
            await rename(await downloadModel(ctx.models(command), modelUri, scratch), dest);
          } finally {
            await rm(scratch, { recursive: true, force: true });
          }
        },
      };
      const embedded = flags.embedModel === true || model.localDir !== undefined;
      const options = { model, name, port: flags.port, embedModel: embedded, image, ...(trackingUri ? { trackingUri } : {}) };
      const files = await usage(command, () => writeDockerContext(resolve(out), options, deps));
      const tracking = embedded ? "" : ` -e KEEL_TRACKING_URI=${trackingUri ?? "http://<tracking-server>:5000"}`;
      const next = [`docker build -t ${image} ${out}`, `docker run --rm --init -p ${flags.port}:${flags.port}${tracking} ${image}`];
      if (flags.json) return ctx.printJson({ dir: out, files: files.map((f) => join(out, f)), image, embedded, next });
      printWritten(ctx, `Wrote a Docker build context for ${uri}${embedded ? " (model embedded)" : ""}:`, out, files, next);
    });
}

function registerK8sCommand(deploy: Command, ctx: CliContext): void {
  deploy
    .command("k8s")
    .description("write Kubernetes manifests (Deployment, Service, HorizontalPodAutoscaler, kustomization) for a model server image")
    .argument("<model-uri>", "the model the image serves (names the resources)")
    .option("--out <dir>", `where to write them (default: ${DEFAULT_OUT_ROOT}/<name>)`)
    .option("--name <name>", "name of the Deployment, Service and autoscaler (default: from the model name)")
    .option("--image <image>", "image to run, as built from `keel deploy docker` (default: keel-serve-<name>:latest)")
    .option("--namespace <ns>", "namespace for every resource")
    .option("--port <port>", "port the server listens on in the image", portNumber, DEFAULT_PORT)
    .option("--replicas <n>", "replicas before the autoscaler acts (default: --min-replicas)", positiveInteger)
    .option("--min-replicas <n>", "autoscaler minimum", positiveInteger, 2)
    .option("--max-replicas <n>", "autoscaler maximum", positiveInteger, 20)
    .option("--cpu-target <percent>", "average CPU utilisation the autoscaler aims at, % of the request", positiveInteger, 70)
    .option("--cpu-request <cpu>", "CPU request per pod", "500m")
    .option("--cpu-limit <cpu>", "CPU limit per pod", "2")
    .option("--memory-request <bytes>", "memory request per pod", "512Mi")
    .option("--memory-limit <bytes>", "memory limit per pod", "2Gi")
    .option("--json", "print JSON")
    .addHelpText("after", "\nThe global --tracking-uri sets KEEL_TRACKING_URI in the pods, which need it unless the image embeds the model.")
    .action(async (uri: string, flags: K8sFlags, command: Command) => {
      const { model, name, image, out, trackingUri } = await settle(command, uri, flags);
      const options = {
        modelUri: uri,
        name,
        image,
        ...(flags.namespace !== undefined ? { namespace: flags.namespace } : {}),
        replicas: flags.replicas ?? flags.minReplicas,
        minReplicas: flags.minReplicas,
        maxReplicas: flags.maxReplicas,
        cpuTarget: flags.cpuTarget,
        resources: { cpuRequest: flags.cpuRequest, cpuLimit: flags.cpuLimit, memoryRequest: flags.memoryRequest, memoryLimit: flags.memoryLimit },
        port: flags.port,
        ...(trackingUri ? { trackingUri } : {}),
      };
      const files = await usage(command, () => writeK8sManifests(resolve(out), options));
      const next = [`kubectl apply -k ${out}`];
      if (!trackingUri && model.localDir === undefined) {
        ctx.io.stderr(`note: no --tracking-uri given, so the pods can start only if ${image} embeds the model (keel deploy docker --embed-model)\n`);
      }
      if (flags.json) return ctx.printJson({ dir: out, files: files.map((f) => join(out, f)), image, next });
      printWritten(ctx, `Wrote Kubernetes manifests for ${uri}:`, out, files, next);
    });
}

/** `keel deploy docker|k8s`: packaging a served model for production. */
export function registerDeployCommand(program: Command, ctx: CliContext): void {
  const deploy = program.command("deploy").description("package a model server: a Docker build context, Kubernetes manifests");
  registerDockerCommand(deploy, ctx);
  registerK8sCommand(deploy, ctx);
}
