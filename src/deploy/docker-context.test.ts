import { existsSync, readFileSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { tempDir, tempFiles } from "../../test/support/servers.js";
import { BASE_IMAGE, dockerReadme, dockerfile, dockerignore, writeDockerContext } from "./docker-context.js";
import type { DockerContextDeps, DockerContextOptions, DockerfileSpec } from "./types.js";

const SPEC: DockerfileSpec = { modelUri: "models:/churn@production", name: "churn", tarball: "keel-0.1.0.tgz", port: 8080, embedModel: false };

interface Instruction {
  readonly keyword: string;
  readonly args: string;
}

/** The Dockerfile's instructions, continuation lines joined and comments dropped, as Docker reads them. */
function instructions(text: string): Instruction[] {
  const joined = text.replace(/\\\n/g, " ");
  return joined
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "" && !line.startsWith("#"))
    .map((line) => {
      const [keyword, ...rest] = line.split(/\s+/);
      return { keyword: keyword.toUpperCase(), args: rest.join(" ") };
    });
}

function only(list: Instruction[], keyword: string): Instruction[] {
  return list.filter((i) => i.keyword === keyword);
}

/** The instructions of the last stage (the image that runs). */
function runtimeStage(list: Instruction[]): Instruction[] {
  const lastFrom = list.map((i) => i.keyword).lastIndexOf("FROM");
  return list.slice(lastFrom);
}

describe("dockerfile", () => {
  it("builds in one stage and runs in a second on Debian slim", () => {
    const list = instructions(dockerfile(SPEC));
    const froms = only(list, "FROM").map((i) => i.args);
    expect(froms).toEqual([`${BASE_IMAGE} AS build`, `${BASE_IMAGE} AS runtime`]);
    expect(BASE_IMAGE).toBe("node:20-bookworm-slim");
    const build = list.slice(0, list.map((i) => i.keyword).lastIndexOf("FROM"));
    expect(only(build, "COPY").map((i) => i.args)).toEqual(["keel-0.1.0.tgz package-lock.json ./"]);
    expect(only(build, "RUN").some((i) => /npm ci --omit=dev/.test(i.args) && /tar -xzf keel-0\.1\.0\.tgz/.test(i.args))).toBe(true);
    expect(dockerfile(SPEC)).toMatch(/not Alpine.*glibc/);
  });

  it("runs as a non-root user, exposes the port, and checks readiness with node", () => {
    const runtime = runtimeStage(instructions(dockerfile(SPEC)));
    const users = only(runtime, "USER").map((i) => i.args);
    expect(users).toHaveLength(1);
    expect(users[0]).not.toMatch(/^(root|0)(:|$)/);
    expect(only(runtime, "EXPOSE").map((i) => i.args)).toEqual(["8080"]);
    expect(only(runtime, "ENV").map((i) => i.args).join(" ")).toMatch(/NODE_ENV=production.*KEEL_PORT=8080/);
    const [healthcheck] = only(runtime, "HEALTHCHECK");
    const command = JSON.parse(healthcheck.args.slice(healthcheck.args.indexOf("CMD ") + 4)) as string[];
    expect(command.slice(0, 2)).toEqual(["node", "-e"]);
    expect(command[2]).toContain("fetch('http://127.0.0.1:8080/v2/health/ready')");
    // The script must be valid JavaScript.
    expect(() => new Function(command[2])).not.toThrow();
  });

  it("serves the model URI on all interfaces from its ENTRYPOINT", () => {
    const [entrypoint] = only(runtimeStage(instructions(dockerfile({ ...SPEC, port: 9000 }))), "ENTRYPOINT");
    expect(JSON.parse(entrypoint.args)).toEqual(["keel", "serve", "models:/churn@production", "--host", "0.0.0.0", "--port", "9000"]);
  });

  it("copies an embedded model into /models/<name> and serves that path", () => {
    const runtime = runtimeStage(instructions(dockerfile({ ...SPEC, embedModel: true })));
    expect(only(runtime, "COPY").map((i) => i.args)).toContain("model/ /models/churn/");
    expect(JSON.parse(only(runtime, "ENTRYPOINT")[0].args)).toEqual(["keel", "serve", "/models/churn", "--host", "0.0.0.0", "--port", "8080"]);
  });

  it("sends only what it copies to the daemon", () => {
    expect(dockerignore().split("\n").filter((l) => l !== "" && !l.startsWith("#"))).toEqual(["*", "!keel-*.tgz", "!package-lock.json", "!model"]);
  });
});

describe("dockerReadme", () => {
  const options: DockerContextOptions = { model: { uri: "models:/churn@production", name: "churn" }, name: "churn", port: 8080, embedModel: false, image: "keel-serve-churn:latest" };

  it("says how to build and run, with the tracking server when the model is fetched at start", () => {
    const text = dockerReadme({ ...options, trackingUri: "http://tracking:5000" });
    expect(text).toContain("docker build -t keel-serve-churn:latest .");
    expect(text).toContain("docker run --rm --init -p 8080:8080 -e KEEL_TRACKING_URI=http://tracking:5000 keel-serve-churn:latest");
    expect(text).toMatch(/glibc/);
  });

  it("needs no tracking server for an embedded model", () => {
    expect(dockerReadme({ ...options, embedModel: true })).not.toContain("KEEL_TRACKING_URI=");
  });
});

describe("writeDockerContext", () => {
  const cleanups: (() => void)[] = [];
  afterEach(() => cleanups.splice(0).forEach((c) => c()));

  function deps(fetched: string[] = []): DockerContextDeps {
    return {
      packKeel: async (dir) => {
        await writeFile(join(dir, "keel-0.1.0.tgz"), "tarball");
        await writeFile(join(dir, "package-lock.json"), "{}");
        return "keel-0.1.0.tgz";
      },
      fetchModel: async (uri, dest) => {
        fetched.push(uri);
        await mkdir(dest);
        await writeFile(join(dest, "MLmodel"), "flavors: {onnx: {}}\n");
        await writeFile(join(dest, "model.onnx"), "onnx");
      },
    };
  }

  function out(): string {
    const made = tempDir();
    cleanups.push(made.cleanup);
    return join(made.dir, "ctx");
  }

  it("writes the Dockerfile, .dockerignore, README, tarball and lockfile; fetches nothing unless embedding", async () => {
    const dir = out();
    const fetched: string[] = [];
    const model = { uri: "models:/churn@production", name: "churn" };
    const files = await writeDockerContext(dir, { model, name: "churn", port: 8080, embedModel: false, image: "keel-serve-churn:latest" }, deps(fetched));
    expect(files).toEqual(["Dockerfile", ".dockerignore", "README.md", "keel-0.1.0.tgz", "package-lock.json"]);
    for (const file of files) expect(existsSync(join(dir, file)), file).toBe(true);
    expect(fetched).toEqual([]);
    expect(readFileSync(join(dir, "Dockerfile"), "utf8")).toContain('"models:/churn@production"');
  });

  it("downloads a registry model into the context when asked to embed it", async () => {
    const dir = out();
    const fetched: string[] = [];
    const model = { uri: "models:/churn/3", name: "churn" };
    const files = await writeDockerContext(dir, { model, name: "churn", port: 8080, embedModel: true, image: "keel-serve-churn:latest" }, deps(fetched));
    expect(fetched).toEqual(["models:/churn/3"]);
    expect(files).toContain("model/");
    expect(readFileSync(join(dir, "model", "model.onnx"), "utf8")).toBe("onnx");
    expect(readFileSync(join(dir, "Dockerfile"), "utf8")).toContain("COPY model/ /models/churn/");
  });

  it("always embeds a local model directory, replacing an earlier copy", async () => {
    const source = tempFiles({ "MLmodel": "flavors: {onnx: {}}\n", "model.onnx": "v2" });
    cleanups.push(source.cleanup);
    const dir = out();
    await mkdir(join(dir, "model"), { recursive: true });
    await writeFile(join(dir, "model", "stale.onnx"), "v1");
    const model = { uri: source.dir, name: "m", localDir: source.dir };
    const files = await writeDockerContext(dir, { model, name: "m", port: 8080, embedModel: false, image: "keel-serve-m:latest" }, deps());
    expect(files).toContain("model/");
    expect(existsSync(join(dir, "model", "stale.onnx"))).toBe(false);
    expect(readFileSync(join(dir, "model", "model.onnx"), "utf8")).toBe("v2");
    expect(readFileSync(join(dir, "README.md"), "utf8")).not.toContain("KEEL_TRACKING_URI=");
  });

  it("refuses a downloaded directory that is not a model", async () => {
    const dir = out();
    const broken: DockerContextDeps = { ...deps(), fetchModel: async (_uri, dest) => void (await mkdir(dest)) };
    const model = { uri: "runs:/abc/files", name: "files" };
    await expect(writeDockerContext(dir, { model, name: "files", port: 8080, embedModel: true, image: "keel-serve-files:latest" }, broken)).rejects.toThrow(/has no MLmodel file/);
  });
});
