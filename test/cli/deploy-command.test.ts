import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { createKeel } from "../../src/client/index.js";
import { linearModelOnnx } from "../support/onnx-models.js";
import type { TestServer } from "../support/servers.js";
import { startTestServer, tempDir, tempFiles } from "../support/servers.js";
import { keel as cli } from "./cli-harness.js";

let server: TestServer;
let work: { dir: string; cleanup(): void };
let tarball: string;
let localModel: string;
let outCount = 0;

/** A fresh output directory that does not exist yet. */
function out(): string {
  outCount += 1;
  return join(work.dir, `out-${outCount}`);
}

function entrypoint(dockerfile: string): string[] {
  const line = dockerfile.split("\n").find((l) => l.startsWith("ENTRYPOINT "));
  return JSON.parse(line?.slice("ENTRYPOINT ".length) ?? "null") as string[];
}

function deploy(argv: readonly string[]) {
  return cli(server.url, ["deploy", ...argv]);
}

beforeAll(async () => {
  server = await startTestServer();
  const sdk = createKeel({ trackingUri: server.url });
  await sdk.withRun({ experiment: "deploy" }, (run) => run.logModel(linearModelOnnx({ features: 3 }), { artifactPath: "model", registeredModelName: "Churn_Classifier" }));
  work = tempFiles({ "keel-0.1.0.tgz": "not really a tarball", "local-model/MLmodel": "flavors: {onnx: {}}\n", "local-model/model.onnx": "onnx", "not-a-model/x.txt": "x" });
  tarball = join(work.dir, "keel-0.1.0.tgz");
  localModel = join(work.dir, "local-model");
});
afterAll(async () => {
  await server.close();
  work.cleanup();
});

describe("keel deploy docker", () => {
  it("writes a build context that fetches the model from the tracking server at start", async () => {
    const dir = out();
    const result = await deploy(["docker", "models:/Churn_Classifier@production", "--out", dir, "--keel-tarball", tarball]);
    expect(result.code, result.stderr).toBe(0);
    expect(readdirSync(dir).sort()).toEqual([".dockerignore", "Dockerfile", "README.md", "keel-0.1.0.tgz", "package-lock.json"]);
    expect(entrypoint(readFileSync(join(dir, "Dockerfile"), "utf8"))).toEqual(["keel", "serve", "models:/Churn_Classifier@production", "--host", "0.0.0.0", "--port", "8080"]);
    expect(readFileSync(join(dir, "README.md"), "utf8")).toContain("-e KEEL_TRACKING_URI=");
    expect(result.stdout).toContain(`docker build -t keel-serve-churn-classifier:latest ${dir}`);
    expect(readFileSync(join(dir, "package-lock.json"), "utf8")).toContain('"name": "keel"');
  });

  it("embeds a registered model downloaded from the tracking server, and lists the files as JSON", async () => {
    const dir = out();
    const result = await deploy(["docker", "models:/Churn_Classifier/1", "--embed-model", "--port", "9000", "--out", dir, "--keel-tarball", tarball, "--json"]);
    expect(result.code, result.stderr).toBe(0);
    const json = JSON.parse(result.stdout) as { dir: string; files: string[]; embedded: boolean; image: string };
    expect(json).toMatchObject({ dir, embedded: true, image: "keel-serve-churn-classifier:latest" });
    expect(json.files).toEqual(["Dockerfile", ".dockerignore", "README.md", "keel-0.1.0.tgz", "package-lock.json", "model/"].map((f) => join(dir, f)));
    expect(existsSync(join(dir, "model", "MLmodel"))).toBe(true);
    expect(existsSync(join(dir, "model", "model.onnx"))).toBe(true);
    const dockerfile = readFileSync(join(dir, "Dockerfile"), "utf8");
    expect(dockerfile).toContain("COPY model/ /models/churn-classifier/");
    expect(entrypoint(dockerfile)).toEqual(["keel", "serve", "/models/churn-classifier", "--host", "0.0.0.0", "--port", "9000"]);
    expect(dockerfile).toMatch(/^EXPOSE 9000$/m);
  });

  it("embeds a local model directory under the name given", async () => {
    const dir = out();
    const result = await deploy(["docker", localModel, "--name", "fraud", "--out", dir, "--keel-tarball", tarball]);
    expect(result.code, result.stderr).toBe(0);
    expect(readFileSync(join(dir, "model", "model.onnx"), "utf8")).toBe("onnx");
    expect(entrypoint(readFileSync(join(dir, "Dockerfile"), "utf8"))[2]).toBe("/models/fraud");
    expect(result.stdout).toContain("(model embedded)");
  });

  it("fails with exit code 1 when the registry has no such model", async () => {
    const result = await deploy(["docker", "models:/nope/1", "--embed-model", "--out", out(), "--keel-tarball", tarball]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^error: registered model 'nope' does not exist/);
  });
});

describe("keel deploy k8s", () => {
  it("writes the manifests, names them and prints how to apply them", async () => {
    const dir = out();
    const result = await cli(server.url, ["--tracking-uri", "http://keel-tracking.ml:5000", "deploy", "k8s", "models:/Churn_Classifier@production", "--out", dir, "--namespace", "ml"]);
    expect(result.code, result.stderr).toBe(0);
    expect(readdirSync(dir).sort()).toEqual(["deployment.yaml", "hpa.yaml", "kustomization.yaml", "service.yaml"]);
    expect(result.stdout).toContain(`kubectl apply -k ${dir}`);
    const deployment = parse(readFileSync(join(dir, "deployment.yaml"), "utf8")) as {
      metadata: { name: string; namespace: string };
      spec: { template: { spec: { containers: { image: string; env: unknown[] }[] } } };
    };
    expect(deployment.metadata).toMatchObject({ name: "churn-classifier", namespace: "ml" });
    const [container] = deployment.spec.template.spec.containers;
    expect(container.image).toBe("keel-serve-churn-classifier:latest");
    expect(container.env).toEqual([{ name: "KEEL_TRACKING_URI", value: "http://keel-tracking.ml:5000" }]);
    const hpa = parse(readFileSync(join(dir, "hpa.yaml"), "utf8")) as { spec: { minReplicas: number; maxReplicas: number; scaleTargetRef: { name: string } } };
    expect(hpa.spec).toMatchObject({ minReplicas: 2, maxReplicas: 20, scaleTargetRef: { name: "churn-classifier" } });
    expect(result.stderr).toBe("");
  });

  it("takes replica bounds, resources and an image, and prints JSON", async () => {
    const dir = out();
    const argv = ["k8s", "models:/churn/3", "--out", dir, "--name", "churn-v3", "--image", "registry.example.com/ml/churn:3", "--min-replicas", "3", "--max-replicas", "6", "--cpu-target", "50", "--cpu-limit", "1", "--memory-limit", "1Gi", "--json"];
    const result = await deploy(argv);
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ dir, image: "registry.example.com/ml/churn:3", next: [`kubectl apply -k ${dir}`] });
    const deployment = parse(readFileSync(join(dir, "deployment.yaml"), "utf8")) as { spec: { replicas: number; template: { spec: { containers: { resources: unknown }[] } } } };
    expect(deployment.spec.replicas).toBe(3);
    expect(deployment.spec.template.spec.containers[0].resources).toEqual({ requests: { cpu: "500m", memory: "512Mi" }, limits: { cpu: "1", memory: "1Gi" } });
    const hpa = parse(readFileSync(join(dir, "hpa.yaml"), "utf8")) as { spec: { minReplicas: number; maxReplicas: number; metrics: { resource: { target: { averageUtilization: number } } }[] } };
    expect(hpa.spec).toMatchObject({ minReplicas: 3, maxReplicas: 6 });
    expect(hpa.spec.metrics[0].resource.target.averageUtilization).toBe(50);
    // Without --tracking-uri the pods can only serve a model the image embeds: said on stderr.
    expect(result.stderr).toMatch(/^note: no --tracking-uri given/);
  });
});

describe("bad input is a usage error: exit code 2, one line, nothing written", () => {
  const k8s = (...flags: string[]) => ["deploy", "k8s", "models:/churn@production", ...flags];
  const docker = (uri: string) => ["deploy", "docker", uri, "--keel-tarball", tarball];
  it.each<[string, () => string[], RegExp]>([
    ["a bad name", () => k8s("--name", "Churn_Model"), /--name 'Churn_Model' is not a valid Kubernetes name/],
    ["zero replicas", () => k8s("--replicas", "0"), /--replicas <n>' argument '0' is invalid/],
    ["replicas that are not a number", () => k8s("--max-replicas", "many"), /--max-replicas <n>' argument 'many' is invalid/],
    ["min above max", () => k8s("--min-replicas", "5", "--max-replicas", "3"), /--min-replicas 5 is more than --max-replicas 3/],
    ["replicas outside the bounds", () => k8s("--replicas", "30"), /--replicas 30 is outside/],
    ["a CPU request above the limit", () => k8s("--cpu-request", "3"), /--cpu-request 3 is more than --cpu-limit 2/],
    ["a malformed memory limit", () => k8s("--memory-limit", "2GB"), /--memory-limit '2GB' is not a memory quantity/],
    ["a bad namespace", () => k8s("--namespace", "ML"), /--namespace 'ML'/],
    ["a bad image", () => k8s("--image", "Not An Image"), /--image 'Not An Image'/],
    ["a port out of range", () => k8s("--port", "70000"), /expected a port from 1 to 65535/],
    ["a tracking URI that is not http", () => ["--tracking-uri", "ftp://tracking", ...k8s()], /not an http\(s\) URL/],
    ["an unknown scheme", () => ["deploy", "k8s", "gs://bucket/model"], /cannot read models from 'gs:' URIs/],
    ["a malformed models:/ URI", () => docker("models:/churn/Prod"), /Not a proper models:\/ URI/],
    ["a missing directory", () => docker("./no-such-model-dir"), /neither a model URI .* nor an existing directory/],
    ["a directory with no MLmodel", () => docker(join(work.dir, "not-a-model")), /has no MLmodel file/],
    ["a missing --keel-tarball", () => ["deploy", "docker", "models:/churn/1", "--keel-tarball", join(work.dir, "keel-9.tgz")], /--keel-tarball .* does not exist/],
  ])("%s", async (_case, argv, message) => {
    const dir = out();
    const result = await cli(server.url, [...argv(), "--out", dir]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr.trimEnd().split("\n")).toHaveLength(1);
    expect(existsSync(dir)).toBe(false);
  });
});
