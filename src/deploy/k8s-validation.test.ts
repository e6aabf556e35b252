import { describe, expect, it } from "vitest";
import { checkImage, checkK8sOptions, checkNamespace, checkResourceName, kubernetesName, parseCpu, parseMemory } from "./k8s-validation.js";
import type { K8sManifestOptions } from "./types.js";

const OPTIONS: K8sManifestOptions = {
  modelUri: "models:/churn@production",
  name: "churn",
  image: "keel-serve-churn:latest",
  replicas: 2,
  minReplicas: 2,
  maxReplicas: 20,
  cpuTarget: 70,
  resources: { cpuRequest: "500m", cpuLimit: "2", memoryRequest: "512Mi", memoryLimit: "2Gi" },
  port: 8080,
};

describe("kubernetesName", () => {
  it.each([
    ["churn", "churn"],
    ["Churn_Classifier v2", "churn-classifier-v2"],
    ["--fraud..detector--", "fraud-detector"],
    ["2024 model", "keel-2024-model"],
    ["modèle", "mod-le"],
    ["a".repeat(80), "a".repeat(63)],
    [`${"a".repeat(62)}_b`, "a".repeat(62)],
  ])("%s → %s", (raw, expected) => {
    const name = kubernetesName(raw);
    expect(name).toBe(expected);
    expect(checkResourceName(name)).toBe(name);
  });

  it("refuses a name with nothing usable in it, pointing at --name", () => {
    expect(() => kubernetesName("___")).toThrow(/--name/);
  });
});

describe("checks", () => {
  it.each(["Churn", "churn_model", "-churn", "churn-", "1churn", "a".repeat(64), ""])("refuses the name %j", (name) => {
    expect(() => checkResourceName(name)).toThrow(/not a valid Kubernetes name/);
  });

  it("takes DNS-1123 namespaces and refuses others", () => {
    expect(checkNamespace("ml-platform")).toBe("ml-platform");
    expect(checkNamespace("2024")).toBe("2024");
    expect(() => checkNamespace("ML")).toThrow(/--namespace/);
  });

  it.each(["keel-serve-churn:latest", "registry.example.com:5000/team/keel-serve-churn:1.0", "ghcr.io/acme/churn@sha256:" + "a".repeat(64), "churn"])(
    "takes the image %s",
    (image) => expect(checkImage(image)).toBe(image),
  );

  it.each(["", "Keel-Serve:latest", "keel serve:latest", "keel-serve:lat est", "keel;rm -rf /"])("refuses the image %j", (image) => {
    expect(() => checkImage(image)).toThrow(/--image/);
  });

  it("reads CPU and memory quantities as Kubernetes does", () => {
    expect(parseCpu("500m", "--cpu-request")).toBe(500);
    expect(parseCpu("1.5", "--cpu-limit")).toBe(1500);
    expect(parseMemory("512Mi", "--memory-request")).toBe(512 * 2 ** 20);
    expect(parseMemory("1G", "--memory-limit")).toBe(1e9);
    expect(() => parseCpu("two", "--cpu-limit")).toThrow(/--cpu-limit 'two' is not a CPU quantity/);
    expect(() => parseCpu("0", "--cpu-limit")).toThrow(/more than zero/);
    expect(() => parseMemory("512m", "--memory-request")).toThrow(/did you mean 512Mi/);
    expect(() => parseMemory("2GB", "--memory-limit")).toThrow(/not a memory quantity/);
  });
});

describe("checkK8sOptions", () => {
  it("takes the defaults", () => {
    expect(() => checkK8sOptions(OPTIONS)).not.toThrow();
  });

  it.each<[string, Partial<K8sManifestOptions>, RegExp]>([
    ["min above max", { minReplicas: 5, maxReplicas: 3, replicas: 4 }, /--min-replicas 5 is more than --max-replicas 3/],
    ["replicas below min", { replicas: 1 }, /--replicas 1 is outside/],
    ["replicas above max", { replicas: 21 }, /--replicas 21 is outside/],
    ["zero replicas", { replicas: 0 }, /--replicas must be a positive integer/],
    ["a port out of range", { port: 70000 }, /--port must be at most 65535/],
    ["a bad name", { name: "Churn" }, /--name 'Churn'/],
    ["a bad namespace", { namespace: "ML_Platform" }, /--namespace/],
    ["a CPU request above the limit", { resources: { ...OPTIONS.resources, cpuRequest: "3" } }, /--cpu-request 3 is more than --cpu-limit 2/],
    ["a memory request above the limit", { resources: { ...OPTIONS.resources, memoryRequest: "3Gi" } }, /--memory-request 3Gi is more than --memory-limit 2Gi/],
  ])("refuses %s", (_case, change, message) => {
    expect(() => checkK8sOptions({ ...OPTIONS, ...change })).toThrow(message);
  });
});
