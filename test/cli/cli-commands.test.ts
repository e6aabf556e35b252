import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Experiment, Keel, Run } from "../../src/client/index.js";
import { createKeel } from "../../src/client/index.js";
import type { TestServer } from "../support/servers.js";
import { startTestServer, tempDir, tempFiles } from "../support/servers.js";
import { keel as cli, rowOf } from "./cli-harness.js";

let server: TestServer;
let sdk: Keel;
let rf: string;
let gbm: string;
let churnId: string;

beforeAll(async () => {
  server = await startTestServer();
  sdk = createKeel({ trackingUri: server.url });
  const files = tempFiles({ "model.onnx": "onnx!", "plots/roc.png": "png!", "plots/pr.png": "pr!" });
  try {
    rf = await sdk.withRun({ experiment: "churn", runName: "rf" }, async (run) => {
      run.logParams({ max_depth: 8, n_estimators: 200 });
      run.logMetric("auc", 0.91);
      run.logMetric("loss", 0.3, { step: 1 });
      run.setTag("team", "growth");
      await run.logArtifact(join(files.dir, "model.onnx"), "model");
      await run.logArtifacts(join(files.dir, "plots"), "plots");
      return run.runId;
    });
    gbm = await sdk.withRun({ experiment: "churn", runName: "gbm" }, async (run) => {
      run.logParams({ max_depth: 8, learning_rate: 0.1 });
      run.logMetric("auc", 0.93);
      run.logMetric("loss", 0.3, { step: 1 });
      return run.runId;
    });
  } finally {
    files.cleanup();
  }
  churnId = (await sdk.setExperiment("churn")).experiment_id;
});
afterAll(async () => server?.close());

const run = (argv: readonly string[], env?: Record<string, string>) => cli(server.url, argv, env);

describe("keel experiments", () => {
  it("lists experiments as a table and as JSON", async () => {
    const table = await run(["experiments", "list"]);
    expect(table.code).toBe(0);
    expect(table.stdout.split("\n")[0]).toMatch(/^ID\s+NAME\s+STAGE\s+ARTIFACT LOCATION\s+CREATED$/);
    expect(table.stdout).toMatch(new RegExp(`${churnId}\\s+churn\\s+active\\s+mlflow-artifacts:/${churnId}\\s+\\d{4}-\\d\\d-\\d\\dT`));
    const json = await run(["experiments", "list", "--json"]);
    const experiments = JSON.parse(json.stdout) as Experiment[];
    expect(experiments.map((e) => e.name)).toEqual(expect.arrayContaining(["churn", "Default"]));
  });

  it("creates, deletes (by name) and restores (by id) an experiment; views show the deleted one", async () => {
    const created = await run(["experiments", "create", "tmp-exp"]);
    expect(created.code).toBe(0);
    const id = /with id (\d+)/.exec(created.stdout)?.[1] ?? "";
    expect(id).not.toBe("");
    expect((await run(["experiments", "delete", "tmp-exp"])).stdout).toMatch(`Deleted experiment 'tmp-exp' (id ${id})`);
    expect((await run(["experiments", "list"])).stdout).not.toMatch("tmp-exp");
    const deleted = JSON.parse((await run(["experiments", "list", "--view", "deleted", "--json"])).stdout) as Experiment[];
    expect(deleted.map((e) => e.name)).toEqual(["tmp-exp"]);
    expect((await run(["experiments", "list", "--view", "all"])).stdout).toMatch(/tmp-exp\s+deleted/);
    expect((await run(["experiments", "restore", id])).code).toBe(0);
    expect((await run(["experiments", "list"])).stdout).toMatch(/tmp-exp\s+active/);
  });

  it("prints JSON for create --json and honours --artifact-location", async () => {
    const created = await run(["experiments", "create", "located", "--artifact-location", "mlflow-artifacts:/custom-place", "--json"]);
    const { experiment_id } = JSON.parse(created.stdout) as { experiment_id: string };
    expect((await sdk.client.getExperiment({ experiment_id })).artifact_location).toBe("mlflow-artifacts:/custom-place");
  });

  it("fails with exit 1 and the server's message for a duplicate name or an unknown experiment", async () => {
    const duplicate = await run(["experiments", "create", "churn"]);
    expect(duplicate.code).toBe(1);
    expect(duplicate.stderr).toMatch(/^error: experiment 'churn' already exists/);
    const unknown = await run(["experiments", "delete", "no-such-experiment"]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toBe("error: no experiment with id or name 'no-such-experiment'; list experiments with `keel experiments list --view all`\n");
  });
});

describe("keel runs", () => {
  it("lists runs of every experiment as a table, and as JSON", async () => {
    const table = await run(["runs", "list"]);
    expect(table.code).toBe(0);
    expect(table.stdout.split("\n")[0]).toMatch(/^RUN ID\s+NAME\s+EXPERIMENT\s+STATUS\s+STARTED\s+DURATION$/);
    expect(table.stdout).toMatch(new RegExp(`${rf}\\s+rf\\s+churn\\s+FINISHED\\s+\\S+Z\\s+\\d`));
    const runs = JSON.parse((await run(["runs", "list", "--json"])).stdout) as Run[];
    expect(runs.map((r) => r.info.run_id)).toEqual(expect.arrayContaining([rf, gbm]));
  });

  it("filters, orders, limits and picks experiments by name, id or comma list", async () => {
    const ids = async (argv: string[]) => (JSON.parse((await run(["runs", "list", "--json", ...argv])).stdout) as Run[]).map((r) => r.info.run_id);
    expect(await ids(["--experiment", "churn", "--order-by", "metrics.auc DESC"])).toEqual([gbm, rf]);
    expect(await ids(["--experiment", churnId, "--order-by", "metrics.auc ASC"])).toEqual([rf, gbm]);
    expect(await ids(["--experiment", `Default,${churnId}`, "--filter", "params.learning_rate = '0.1'"])).toEqual([gbm]);
    expect(await ids(["--experiment", "churn", "--experiment", "Default", "--max", "1", "--order-by", "attributes.run_name ASC"])).toEqual([gbm]);
  });

  it("lists deleted runs with --view deleted", async () => {
    const doomed = await sdk.withRun({ experiment: "churn", runName: "doomed" }, async (r) => r.runId);
    await sdk.client.deleteRun({ run_id: doomed });
    const deleted = await run(["runs", "list", "--view", "deleted"]);
    expect(deleted.stdout).toMatch(new RegExp(`${doomed}\\s+doomed\\s+churn\\s+FINISHED \\(deleted\\)`));
    expect((await run(["runs", "list"])).stdout).not.toMatch(doomed);
  });

  it("reports a bad filter with exit 1 and the server's message", async () => {
    const bad = await run(["runs", "list", "--filter", "metrics.auc >>> 1"]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^error: /);
    expect(bad.stderr.split("\n").filter(Boolean)).toHaveLength(1);
  });

  it("shows a run's info, params, latest metrics and tags", async () => {
    const shown = await run(["runs", "show", rf]);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toMatch(new RegExp(`Run\\s+${rf}`));
    expect(shown.stdout).toMatch(new RegExp(`Experiment\\s+churn \\(id ${churnId}\\)`));
    expect(shown.stdout).toMatch(/Status\s+FINISHED/);
    expect(shown.stdout).toMatch(/Duration\s+\d/);
    expect(rowOf(shown.stdout, "max_depth")).toMatch(/max_depth\s+8/);
    expect(rowOf(shown.stdout, "loss")).toMatch(/loss\s+0\.3\s+1\s+\d{4}-/);
    expect(rowOf(shown.stdout, "team")).toMatch(/team\s+growth/);
    const json = JSON.parse((await run(["runs", "show", rf, "--json"])).stdout) as Run;
    expect(json.info.run_id).toBe(rf);
    expect(json.data.params).toEqual(expect.arrayContaining([{ key: "n_estimators", value: "200" }]));
  });

  it("fails with exit 1 for an unknown run", async () => {
    const missing = await run(["runs", "show", "0123456789abcdef0123456789abcdef"]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^error: .*0123456789abcdef0123456789abcdef/);
  });

  it("compares runs side by side, marking rows whose values differ", async () => {
    const compared = await run(["runs", "compare", rf, gbm]);
    expect(compared.code).toBe(0);
    expect(compared.stdout).toMatch(/KEY\s+rf\s+gbm/);
    expect(rowOf(compared.stdout, "max_depth")).toMatch(/^\s+max_depth\s+8\s+8$/);
    expect(rowOf(compared.stdout, "learning_rate")).toMatch(/^\*\s+learning_rate\s+-\s+0\.1$/);
    expect(rowOf(compared.stdout, "auc")).toMatch(/^\*\s+auc\s+0\.91\s+0\.93$/);
    expect(rowOf(compared.stdout, "loss")).toMatch(/^\s+loss\s+0\.3\s+0\.3$/);
    const json = JSON.parse((await run(["runs", "compare", rf, gbm, "--json"])).stdout) as {
      params: { key: string; values: unknown[]; differs: boolean }[];
      metrics: { key: string; values: unknown[]; differs: boolean }[];
    };
    expect(json.params.find((p) => p.key === "n_estimators")).toEqual({ key: "n_estimators", values: ["200", null], differs: true });
    expect(json.metrics.find((m) => m.key === "auc")).toEqual({ key: "auc", values: [0.91, 0.93], differs: true });
  });

  it("refuses to compare a single run with a usage error", async () => {
    const one = await run(["runs", "compare", rf]);
    expect(one.code).toBe(2);
    expect(one.stderr).toMatch(/at least two run ids/);
  });
});

describe("keel artifacts", () => {
  it("lists a run's artifacts as a table and as JSON", async () => {
    const root = await run(["artifacts", "list", rf]);
    expect(root.code).toBe(0);
    expect(root.stdout).toMatch(/^PATH\s+TYPE\s+SIZE$/m);
    expect(root.stdout).toMatch(/^model\/\s+dir\s*$/m);
    const model = await run(["artifacts", "list", rf, "model"]);
    expect(model.stdout).toMatch(/^model\/model\.onnx\s+file\s+5 B$/m);
    const json = JSON.parse((await run(["artifacts", "list", rf, "plots", "--json"])).stdout) as { files: { path: string }[] };
    expect(json.files.map((f) => f.path).sort()).toEqual(["plots/pr.png", "plots/roc.png"]);
  });

  it("downloads a file, a directory recursively, and everything", async () => {
    const out = tempDir();
    try {
      const file = await run(["artifacts", "download", rf, "model/model.onnx", "--dest", out.dir]);
      expect(file.code).toBe(0);
      expect(file.stdout).toMatch("Downloaded 1 file to");
      expect(readFileSync(join(out.dir, "model", "model.onnx"), "utf8")).toBe("onnx!");
      const dir = await run(["artifacts", "download", rf, "plots", "--dest", join(out.dir, "d")]);
      expect(dir.stdout).toMatch("Downloaded 2 files to");
      expect(readFileSync(join(out.dir, "d", "plots", "roc.png"), "utf8")).toBe("png!");
      await run(["artifacts", "download", rf, "--dest", join(out.dir, "all")]);
      expect(existsSync(join(out.dir, "all", "model", "model.onnx"))).toBe(true);
      expect(existsSync(join(out.dir, "all", "plots", "pr.png"))).toBe(true);
    } finally {
      out.cleanup();
    }
  });

  it("fails with exit 1 for an artifact the run does not have", async () => {
    const missing = await run(["artifacts", "download", rf, "nope.txt", "--dest", "/tmp"]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe(`error: run ${rf} has no artifact 'nope.txt'; list its artifacts with \`keel artifacts list ${rf}\`\n`);
  });
});

describe("keel usage and connection errors", () => {
  it("exits 2 on unknown commands, unknown options and bad option values", async () => {
    for (const argv of [["nope"], ["runs", "list", "--bogus"], ["runs", "list", "--view", "bogus"], ["runs", "list", "--max", "0"], ["runs", "show"]]) {
      const result = await run(argv);
      expect(result.code, argv.join(" ")).toBe(2);
      expect(result.stderr, argv.join(" ")).toMatch(/^error: /);
    }
  });

  it("prints help and the version with exit 0", async () => {
    expect((await run(["--help"])).code).toBe(0);
    expect((await run(["--version"])).stdout).toMatch(/^\d+\.\d+\.\d+/);
  });

  it("takes --tracking-uri over KEEL_TRACKING_URI, and says how to start a server when none answers", async () => {
    const viaFlag = await cli("http://127.0.0.1:9", ["--tracking-uri", server.url, "experiments", "list", "--json"]);
    expect(viaFlag.code).toBe(0);
    const viaMlflowEnv = await cli("", ["experiments", "list"], { KEEL_TRACKING_URI: "", MLFLOW_TRACKING_URI: server.url });
    expect(viaMlflowEnv.code).toBe(0);
    const down = await cli("http://127.0.0.1:9", ["experiments", "list"]);
    expect(down.code).toBe(1);
    expect(down.stderr).toMatch(/^error: the tracking server at http:\/\/127\.0\.0\.1:9 is unreachable .*`keel server`/);
  });
});
