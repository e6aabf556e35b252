import { execFileSync } from "node:child_process";
import { mkdtemp, readFile, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { k8sManifestFiles, writeK8sManifests } from "./k8s-manifests.js";
import type { K8sManifestOptions } from "./types.js";

function hasKubectl(): boolean {
  try {
    execFileSync("kubectl", ["version", "--client"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

const OPTIONS: K8sManifestOptions = {
  modelUri: "models:/churn@production",
  name: "churn",
  image: "registry.example.com/ml/keel-serve-churn:1.0",
  replicas: 2,
  minReplicas: 2,
  maxReplicas: 20,
  cpuTarget: 70,
  resources: { cpuRequest: "500m", cpuLimit: "2", memoryRequest: "512Mi", memoryLimit: "2Gi" },
  port: 8080,
};

interface Probe {
  httpGet: { path: string; port: string | number };
  initialDelaySeconds: number;
  periodSeconds: number;
  timeoutSeconds: number;
  failureThreshold: number;
}
interface Container {
  name: string;
  image: string;
  ports: { name: string; containerPort: number }[];
  env?: { name: string; value: string }[];
  resources: { requests: Record<string, string>; limits: Record<string, string> };
  livenessProbe: Probe;
  readinessProbe: Probe;
  startupProbe: Probe;
  securityContext: { runAsNonRoot: boolean; runAsUser: number; readOnlyRootFilesystem: boolean; allowPrivilegeEscalation: boolean };
  volumeMounts: { name: string; mountPath: string }[];
}
interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
}

/** Every file parsed as YAML: exactly one document each, without errors. */
function parsed(options: K8sManifestOptions): Map<string, Manifest> {
  const files = new Map<string, Manifest>();
  for (const file of k8sManifestFiles(options)) {
    const docs = parseAllDocuments(file.content);
    expect(docs, file.path).toHaveLength(1);
    const [doc] = docs;
    expect("errors" in doc ? doc.errors : [], file.path).toEqual([]);
    files.set(file.path, doc.toJS() as Manifest);
  }
  return files;
}

function deploymentOf(files: Map<string, Manifest>) {
  const deployment = files.get("deployment.yaml") as unknown as {
    metadata: Manifest["metadata"];
    spec: {
      replicas: number;
      selector: { matchLabels: Record<string, string> };
      template: {
        metadata: { labels: Record<string, string>; annotations: Record<string, string> };
        spec: { containers: Container[]; terminationGracePeriodSeconds: number; volumes: { name: string; emptyDir?: object }[] };
      };
    };
  };
  return { deployment, container: deployment.spec.template.spec.containers[0] };
}

describe("k8sManifestFiles", () => {
  it("writes a Deployment, Service, HPA and kustomization with their required fields", () => {
    const files = parsed(OPTIONS);
    expect([...files.keys()]).toEqual(["deployment.yaml", "service.yaml", "hpa.yaml", "kustomization.yaml"]);
    expect([...files.values()].map((m) => [m.apiVersion, m.kind])).toEqual([
      ["apps/v1", "Deployment"],
      ["v1", "Service"],
      ["autoscaling/v2", "HorizontalPodAutoscaler"],
      ["kustomize.config.k8s.io/v1beta1", "Kustomization"],
    ]);
    for (const path of ["deployment.yaml", "service.yaml", "hpa.yaml"]) {
      expect(files.get(path)?.metadata.name).toBe("churn");
      expect(files.get(path)?.metadata.namespace).toBeUndefined();
    }
    expect((files.get("kustomization.yaml") as unknown as { resources: string[] }).resources).toEqual(["deployment.yaml", "service.yaml", "hpa.yaml"]);
  });

  it("selects the pods by the labels their template carries, in the Deployment and the Service", () => {
    const files = parsed(OPTIONS);
    const { deployment } = deploymentOf(files);
    const podLabels = deployment.spec.template.metadata.labels;
    expect(Object.keys(deployment.spec.selector.matchLabels).length).toBeGreaterThan(0);
    expect(podLabels).toMatchObject(deployment.spec.selector.matchLabels);
    const service = files.get("service.yaml") as unknown as { spec: { type: string; selector: Record<string, string>; ports: { port: number; targetPort: string | number }[] } };
    expect(service.spec.selector).toEqual(deployment.spec.selector.matchLabels);
    expect(service.spec.type).toBe("ClusterIP");
    expect(service.spec.ports).toEqual([expect.objectContaining({ port: 80, targetPort: "http" })]);
  });

  it("runs the image on its port, probed on the V2 health endpoints through that port", () => {
    const { deployment, container } = deploymentOf(parsed(OPTIONS));
    expect(container.image).toBe(OPTIONS.image);
    expect(container.ports).toEqual([expect.objectContaining({ name: "http", containerPort: 8080 })]);
    expect(container.livenessProbe.httpGet).toEqual({ path: "/v2/health/live", port: "http" });
    expect(container.readinessProbe.httpGet).toEqual({ path: "/v2/health/ready", port: "http" });
    expect(container.startupProbe.httpGet).toEqual({ path: "/v2/health/ready", port: "http" });
    for (const probe of [container.livenessProbe, container.readinessProbe, container.startupProbe]) {
      expect(probe.periodSeconds).toBeGreaterThan(0);
      expect(probe.timeoutSeconds).toBeLessThan(probe.periodSeconds + 1);
      expect(probe.failureThreshold).toBeGreaterThanOrEqual(3);
    }
    // The startup probe allows minutes for a model download and load before liveness may restart the pod.
    expect(container.startupProbe.periodSeconds * container.startupProbe.failureThreshold).toBeGreaterThanOrEqual(120);
    expect(deployment.spec.template.metadata.annotations).toMatchObject({ "prometheus.io/scrape": "true", "prometheus.io/port": "8080", "prometheus.io/path": "/metrics" });
    expect(deployment.spec.template.spec.terminationGracePeriodSeconds).toBeGreaterThanOrEqual(30);
    expect(deployment.spec.replicas).toBe(2);
  });

  it("sets requests, limits, a non-root read-only container and a writable /tmp", () => {
    const { deployment, container } = deploymentOf(parsed(OPTIONS));
    expect(container.resources).toEqual({ requests: { cpu: "500m", memory: "512Mi" }, limits: { cpu: "2", memory: "2Gi" } });
    expect(container.securityContext).toMatchObject({ runAsNonRoot: true, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false });
    expect(container.securityContext.runAsUser).toBeGreaterThan(0);
    expect(container.volumeMounts).toEqual([{ name: "tmp", mountPath: "/tmp" }]);
    expect(deployment.spec.template.spec.volumes).toEqual([{ name: "tmp", emptyDir: {} }]);
    expect(container.env).toBeUndefined();
  });

  it("scales the Deployment on CPU between the given bounds", () => {
    const hpa = parsed({ ...OPTIONS, minReplicas: 3, maxReplicas: 12, replicas: 4, cpuTarget: 60 }).get("hpa.yaml") as unknown as {
      spec: { scaleTargetRef: { apiVersion: string; kind: string; name: string }; minReplicas: number; maxReplicas: number; metrics: unknown[] };
    };
    expect(hpa.spec.scaleTargetRef).toEqual({ apiVersion: "apps/v1", kind: "Deployment", name: "churn" });
    expect(hpa.spec).toMatchObject({ minReplicas: 3, maxReplicas: 12 });
    expect(hpa.spec.metrics).toEqual([{ type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 60 } } }]);
  });

  it("puts every resource in the namespace and the tracking URI in the pods' environment when given", () => {
    const files = parsed({ ...OPTIONS, namespace: "ml-platform", trackingUri: "http://keel-tracking.ml-platform:5000" });
    for (const path of ["deployment.yaml", "service.yaml", "hpa.yaml"]) expect(files.get(path)?.metadata.namespace).toBe("ml-platform");
    expect((files.get("kustomization.yaml") as unknown as { namespace: string }).namespace).toBe("ml-platform");
    expect(deploymentOf(files).container.env).toEqual([{ name: "KEEL_TRACKING_URI", value: "http://keel-tracking.ml-platform:5000" }]);
  });

  it("refuses bad options before producing anything", () => {
    expect(() => k8sManifestFiles({ ...OPTIONS, minReplicas: 5, maxReplicas: 3, replicas: 4 })).toThrow(/--min-replicas/);
  });
});

describe("writeK8sManifests", () => {
  it("writes the four files and names them", async () => {
    const dir = await mkdtemp(join(tmpdir(), "keel-k8s-"));
    try {
      const out = join(dir, "nested", "churn");
      expect(await writeK8sManifests(out, OPTIONS)).toEqual(["deployment.yaml", "service.yaml", "hpa.yaml", "kustomization.yaml"]);
      expect((await readdir(out)).sort()).toEqual(["deployment.yaml", "hpa.yaml", "kustomization.yaml", "service.yaml"]);
      expect(await readFile(join(out, "hpa.yaml"), "utf8")).toMatch(/^# Written by `keel deploy k8s` for models:\/churn@production\./);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it.skipIf(!hasKubectl())("writes a kustomization that kubectl builds into the three resources", async () => {
    const dir = await mkdtemp(join(tmpdir(), "keel-k8s-"));
    try {
      await writeK8sManifests(dir, { ...OPTIONS, namespace: "ml" });
      const built = parseAllDocuments(execFileSync("kubectl", ["kustomize", dir], { encoding: "utf8" })).map((d) => d.toJS() as Manifest);
      expect(built.map((m) => [m.kind, m.metadata.name, m.metadata.namespace]).sort()).toEqual([
        ["Deployment", "churn", "ml"],
        ["HorizontalPodAutoscaler", "churn", "ml"],
        ["Service", "churn", "ml"],
      ]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
