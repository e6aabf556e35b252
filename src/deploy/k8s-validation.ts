/**
 * Checks on what Kubernetes will refuse anyway, made before any file is written so that a bad flag fails at
 * `keel deploy` with a message naming the flag, not later at `kubectl apply` with the API server's.
 */
import { invalidParameter } from "../core/errors.js";
import type { K8sManifestOptions } from "./types.js";

const MAX_LABEL_LENGTH = 63;
// Service names must be DNS-1035 labels (a letter first); the Deployment and HPA share the Service's name.
const DNS_1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const DNS_1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
// [host[:port]/]repository[:tag][@digest], as the distribution spec's reference grammar has it (simplified).
const PATH_COMPONENT = "[a-z0-9]+(?:[._-]+[a-z0-9]+)*";
const IMAGE_REFERENCE = new RegExp(
  `^(?:[A-Za-z0-9.-]+(?::\\d+)?/)?${PATH_COMPONENT}(?:/${PATH_COMPONENT})*(?::\\w[\\w.-]{0,127})?(?:@sha256:[a-f0-9]{64})?$`,
);
const CPU_QUANTITY = /^(\d+(\.\d+)?|\.\d+)(m)?$/;
const MEMORY_QUANTITY = /^(\d+(\.\d+)?|\.\d+)(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?$/;
const MEMORY_FACTORS: Readonly<Record<string, number>> = {
  "": 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

/**
 * A Kubernetes name made from a model name: lowercase, every run of characters other than letters, digits and
 * '-' turned into one '-', trimmed of '-' at both ends, prefixed with `keel-` when it does not start with a
 * letter, at most 63 characters. Throws INVALID_PARAMETER_VALUE when nothing usable is left.
 *
 * @example
 * kubernetesName("Churn_Classifier v2"); // "churn-classifier-v2"
 */
export function kubernetesName(raw: string): string {
  let name = raw
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, "-")
    .replace(/-{2,}/g, "-")
    .replace(/^-+|-+$/g, "");
  if (name === "") throw invalidParameter(`cannot make a Kubernetes name from '${raw}'; give one with --name`);
  if (!/^[a-z]/.test(name)) name = `keel-${name}`;
  return name.slice(0, MAX_LABEL_LENGTH).replace(/-+$/, "");
}

/** Throws unless `name` can name a Service, Deployment and container (a DNS-1035 label). */
export function checkResourceName(name: string, flag = "--name"): string {
  if (name.length > MAX_LABEL_LENGTH || !DNS_1035_LABEL.test(name)) {
    throw invalidParameter(
      `${flag} '${name}' is not a valid Kubernetes name: use at most ${MAX_LABEL_LENGTH} lowercase letters, digits and '-', starting with a letter and ending with a letter or digit`,
    );
  }
  return name;
}

/** Throws unless `namespace` is a DNS-1123 label, as namespace names must be. */
export function checkNamespace(namespace: string): string {
  if (namespace.length > MAX_LABEL_LENGTH || !DNS_1123_LABEL.test(namespace)) {
    throw invalidParameter(
      `--namespace '${namespace}' is not a valid namespace: use at most ${MAX_LABEL_LENGTH} lowercase letters, digits and '-', starting and ending with a letter or digit`,
    );
  }
  return namespace;
}

/** Throws unless `image` looks like an image reference (`registry/repo:tag`, lowercase repository). */
export function checkImage(image: string): string {
  if (!IMAGE_REFERENCE.test(image)) {
    throw invalidParameter(`--image '${image}' is not an image reference such as registry.example.com/team/keel-serve-churn:1.0`);
  }
  return image;
}

/** CPU in millicores of a quantity such as `500m`, `2` or `0.5`; throws naming `flag` otherwise. */
export function parseCpu(value: string, flag: string): number {
  const match = CPU_QUANTITY.exec(value);
  if (!match) throw invalidParameter(`${flag} '${value}' is not a CPU quantity such as 500m, 1 or 1.5`);
  const millicores = match[3] === "m" ? Number(match[1]) : Number(match[1]) * 1000;
  if (millicores <= 0) throw invalidParameter(`${flag} must be more than zero`);
  return millicores;
}

/** Bytes of a memory quantity such as `512Mi`, `2Gi` or `1G`; throws naming `flag` otherwise. */
export function parseMemory(value: string, flag: string): number {
  const match = MEMORY_QUANTITY.exec(value);
  if (!match) {
    // `512m` is 0.512 bytes to Kubernetes: almost always a typo for 512Mi.
    const hint = /^\d+m$/.test(value) ? ` (m means thousandths; did you mean ${value.slice(0, -1)}Mi?)` : "";
    throw invalidParameter(`${flag} '${value}' is not a memory quantity such as 512Mi, 2Gi or 1G${hint}`);
  }
  const bytes = Number(match[1]) * MEMORY_FACTORS[match[3] ?? ""];
  if (bytes <= 0) throw invalidParameter(`${flag} must be more than zero`);
  return bytes;
}

/**
 * Checks manifest options as a whole: names, image, quantities (requests no larger than limits) and replica
 * counts (minimum no larger than maximum, initial replicas between them). Throws INVALID_PARAMETER_VALUE
 * naming the flag at fault.
 */
export function checkK8sOptions(options: K8sManifestOptions): void {
  checkResourceName(options.name);
  if (options.namespace !== undefined) checkNamespace(options.namespace);
  checkImage(options.image);
  const { cpuRequest, cpuLimit, memoryRequest, memoryLimit } = options.resources;
  if (parseCpu(cpuRequest, "--cpu-request") > parseCpu(cpuLimit, "--cpu-limit")) {
    throw invalidParameter(`--cpu-request ${cpuRequest} is more than --cpu-limit ${cpuLimit}; Kubernetes refuses requests above limits`);
  }
  if (parseMemory(memoryRequest, "--memory-request") > parseMemory(memoryLimit, "--memory-limit")) {
    throw invalidParameter(`--memory-request ${memoryRequest} is more than --memory-limit ${memoryLimit}; Kubernetes refuses requests above limits`);
  }
  const counts: [string, number][] = [
    ["--replicas", options.replicas],
    ["--min-replicas", options.minReplicas],
    ["--max-replicas", options.maxReplicas],
    ["--cpu-target", options.cpuTarget],
    ["--port", options.port],
  ];
  for (const [flag, n] of counts) {
    if (!Number.isSafeInteger(n) || n < 1) throw invalidParameter(`${flag} must be a positive integer, not ${n}`);
  }
  if (options.port > 65535) throw invalidParameter(`--port must be at most 65535, not ${options.port}`);
  if (options.minReplicas > options.maxReplicas) {
    throw invalidParameter(`--min-replicas ${options.minReplicas} is more than --max-replicas ${options.maxReplicas}`);
  }
  if (options.replicas < options.minReplicas || options.replicas > options.maxReplicas) {
    throw invalidParameter(
      `--replicas ${options.replicas} is outside --min-replicas ${options.minReplicas} to --max-replicas ${options.maxReplicas}; the autoscaler would move it at once`,
    );
  }
}
