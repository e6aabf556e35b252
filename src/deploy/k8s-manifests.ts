/**
 * The Kubernetes manifests `keel deploy k8s` writes: a Deployment probing the KServe V2 health endpoints, a
 * ClusterIP Service, a HorizontalPodAutoscaler on CPU (autoscaling/v2), and a kustomization listing them.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { Document } from "yaml";
import { RUNTIME_UID } from "./docker-context.js";
import { checkK8sOptions } from "./k8s-validation.js";
import type { DeployFile, K8sManifestOptions } from "./types.js";

export const LIVE_PATH = "/v2/health/live";
export const READY_PATH = "/v2/health/ready";
export const METRICS_PATH = "/metrics";
const PORT_NAME = "http";
const SERVICE_PORT = 80;
/** Seconds the pod keeps serving after it is told to stop, while endpoints drop it from load balancers. */
const PRE_STOP_SLEEP_SECONDS = 5;
/** Room for the pre-stop pause, in-flight requests and the prediction log's last flush. */
const TERMINATION_GRACE_SECONDS = 45;

export const MANIFEST_FILES = ["deployment.yaml", "service.yaml", "hpa.yaml"] as const;
export const KUSTOMIZATION_FILE = "kustomization.yaml";

type Manifest = Record<string, unknown>;

/** The labels the Deployment selects its pods by; the Service selects the same. */
export function selectorLabels(name: string): Record<string, string> {
  return { "app.kubernetes.io/name": name, "app.kubernetes.io/component": "model-server" };
}

function metadata(options: K8sManifestOptions, extra: Manifest = {}): Manifest {
  return {
    name: options.name,
    ...(options.namespace ? { namespace: options.namespace } : {}),
    labels: { ...selectorLabels(options.name), "app.kubernetes.io/managed-by": "keel" },
    ...extra,
  };
}

function probe(path: string, timing: { initialDelaySeconds: number; periodSeconds: number; timeoutSeconds: number; failureThreshold: number }): Manifest {
  return { httpGet: { path, port: PORT_NAME }, ...timing };
}

function container(options: K8sManifestOptions): Manifest {
  const { resources: r } = options;
  return {
    name: options.name,
    image: options.image,
    // `:latest` would default to Always, which fails for an image built on the node and never pushed.
    imagePullPolicy: "IfNotPresent",
    ports: [{ name: PORT_NAME, containerPort: options.port, protocol: "TCP" }],
    ...(options.trackingUri ? { env: [{ name: "KEEL_TRACKING_URI", value: options.trackingUri }] } : {}),
    resources: { requests: { cpu: r.cpuRequest, memory: r.memoryRequest }, limits: { cpu: r.cpuLimit, memory: r.memoryLimit } },
    // Up to 5 minutes to fetch and load the model before liveness checks begin.
    startupProbe: probe(READY_PATH, { initialDelaySeconds: 5, periodSeconds: 5, timeoutSeconds: 3, failureThreshold: 60 }),
    // A generous timeout: a busy event loop answering a large batch is not a dead one.
    livenessProbe: probe(LIVE_PATH, { initialDelaySeconds: 0, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 3 }),
    readinessProbe: probe(READY_PATH, { initialDelaySeconds: 0, periodSeconds: 5, timeoutSeconds: 3, failureThreshold: 3 }),
    // Keeps serving while the endpoint removal reaches every proxy; SIGTERM then drains in-flight requests.
    lifecycle: { preStop: { exec: { command: ["sleep", String(PRE_STOP_SLEEP_SECONDS)] } } },
    securityContext: {
      runAsNonRoot: true,
      runAsUser: RUNTIME_UID,
      runAsGroup: RUNTIME_UID,
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ["ALL"] },
    },
    volumeMounts: [{ name: "tmp", mountPath: "/tmp" }],
  };
}

/** The Deployment: pods running the image, probed on the KServe V2 health endpoints. */
export function deploymentManifest(options: K8sManifestOptions): Manifest {
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: metadata(options, { annotations: { "keel.dev/model-uri": options.modelUri } }),
    spec: {
      replicas: options.replicas,
      selector: { matchLabels: selectorLabels(options.name) },
      // Never fewer ready pods than wanted during a rollout: new ones must pass readiness first.
      strategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
      template: {
        metadata: {
          labels: { ...selectorLabels(options.name), "app.kubernetes.io/managed-by": "keel" },
          annotations: {
            "prometheus.io/scrape": "true",
            "prometheus.io/port": String(options.port),
            "prometheus.io/path": METRICS_PATH,
            "keel.dev/model-uri": options.modelUri,
          },
        },
        spec: {
          automountServiceAccountToken: false,
          terminationGracePeriodSeconds: TERMINATION_GRACE_SECONDS,
          securityContext: { runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } },
          containers: [container(options)],
          volumes: [{ name: "tmp", emptyDir: {} }],
        },
      },
    },
  };
}

/** A ClusterIP Service on port 80 in front of the pods' named port. */
export function serviceManifest(options: K8sManifestOptions): Manifest {
  return {
    apiVersion: "v1",
    kind: "Service",
    metadata: metadata(options),
    spec: {
      type: "ClusterIP",
      selector: selectorLabels(options.name),
      ports: [{ name: PORT_NAME, port: SERVICE_PORT, targetPort: PORT_NAME, protocol: "TCP" }],
    },
  };
}

/** The HorizontalPodAutoscaler (autoscaling/v2) scaling the Deployment on average CPU utilisation. */
export function hpaManifest(options: K8sManifestOptions): Manifest {
  return {
    apiVersion: "autoscaling/v2",
    kind: "HorizontalPodAutoscaler",
    metadata: metadata(options),
    spec: {
      scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: options.name },
      minReplicas: options.minReplicas,
      maxReplicas: options.maxReplicas,
      metrics: [{ type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: options.cpuTarget } } }],
    },
  };
}

export function kustomizationManifest(options: K8sManifestOptions): Manifest {
  return {
    apiVersion: "kustomize.config.k8s.io/v1beta1",
    kind: "Kustomization",
    ...(options.namespace ? { namespace: options.namespace } : {}),
    resources: [...MANIFEST_FILES],
  };
}

function yamlFile(path: string, manifest: Manifest, modelUri: string): DeployFile {
  const doc = new Document(manifest);
  doc.commentBefore = ` Written by \`keel deploy k8s\` for ${modelUri}.`;
  return { path, content: doc.toString({ lineWidth: 0 }) };
}

/**
 * The four manifest files, after checking the options (INVALID_PARAMETER_VALUE naming the flag at fault).
 *
 * @example
 * const files = k8sManifestFiles({ modelUri: "models:/churn@production", name: "churn", image: "keel-serve-churn:latest", ... });
 */
export function k8sManifestFiles(options: K8sManifestOptions): DeployFile[] {
  checkK8sOptions(options);
  const manifests: [string, Manifest][] = [
    ["deployment.yaml", deploymentManifest(options)],
    ["service.yaml", serviceManifest(options)],
    ["hpa.yaml", hpaManifest(options)],
    [KUSTOMIZATION_FILE, kustomizationManifest(options)],
  ];
  return manifests.map(([path, manifest]) => yamlFile(path, manifest, options.modelUri));
}

/** Checks the options, writes the four files to `outDir` (created if missing) and resolves with their names. */
export async function writeK8sManifests(outDir: string, options: K8sManifestOptions): Promise<string[]> {
  const files = k8sManifestFiles(options);
  await mkdir(outDir, { recursive: true });
  for (const file of files) await writeFile(join(outDir, file.path), file.content);
  return files.map((f) => f.path);
}
