/**
 * `keel monitor` end to end, in-process: a prediction log, reference table, labels CSV and monitors.yaml
 * written by hand in a temp workspace, runs stored in a real SQLite file, alert and retraining commands run by
 * the shell.
 */
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { keel } from "../cli/cli-harness.js";
import type { Workspace } from "./monitor-workspace.js";
import { monitorWorkspace, monitorYaml, predictionLogFiles } from "./monitor-workspace.js";

/** `keel monitor --monitors <ws>/monitors.yaml --backend-store-uri sqlite:///<ws>/keel.db <args>`. */
const monitor = (ws: Workspace, ...args: string[]) =>
  keel("http://127.0.0.1:9", ["monitor", "--monitors", ws.path("monitors.yaml"), "--backend-store-uri", `sqlite:///${ws.path("keel.db")}`, ...args]);

describe("keel monitor over a drifted window", () => {
  let ws: Workspace;
  beforeAll(() => {
    ws = monitorWorkspace(
      (dir) => [
        monitorYaml("churn-daily", [
          'schedule: "0 6 * * *"',
          "alerts:",
          `  - { type: command, command: ${JSON.stringify(`cat > '${join(dir, "alert.json")}'`)} }`,
          'retrain: { command: "echo retraining $KEEL_MONITOR" }',
        ]),
        monitorYaml("nobody", [], "absent"),
      ],
      predictionLogFiles({ drifted: true }),
    );
  });
  afterAll(() => ws.cleanup());

  it("adds late labels from a CSV beside the prediction log", async () => {
    const result = await monitor(ws, "labels", "add", ws.path("labels.csv"), "--prediction-log", ws.path("keel-data"));
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain("added 20 label(s)");
    const days = readdirSync(ws.path("keel-data/labels"));
    expect(days).toHaveLength(1);
    expect(days[0]).toMatch(/^date=\d{4}-\d\d-\d\d$/);
    // Stored as the CSV spells them, not as DuckDB's booleans (1/0).
    const [file] = readdirSync(ws.path(`keel-data/labels/${days[0]}`));
    expect(readFileSync(ws.path(`keel-data/labels/${days[0]}/${file}`), "utf8")).toContain('{"request_id":"r0","label":"no"');
  });

  it("exits 1 with the reasons, sends the alert and shows the retraining outcome", async () => {
    const result = await monitor(ws, "run", "churn-daily");
    expect(result.code, result.stderr).toBe(1);
    expect(result.stdout).toMatch(/monitor churn-daily run \d+: ALERT \(100 predictions/);
    expect(result.stdout).toMatch(/input drift: 2 of 2 columns drifted .*tenure, plan/);
    expect(result.stdout).toMatch(/prediction drift:/);
    expect(result.stdout).toMatch(/performance degraded beyond 5\.0%: accuracy 0\.000\d* vs 0\.9/);
    expect(result.stdout).toMatch(/tenure\s+\S+\s+\S+.*DRIFT/);
    expect(result.stdout).toContain("performance over 20 labelled predictions");
    expect(result.stdout).toMatch(/done: command cat/);
    expect(result.stdout).toMatch(/done: retrain echo retraining \$KEEL_MONITOR \(exit code 0: retraining churn-daily\)/);

    const alert = JSON.parse(readFileSync(ws.path("alert.json"), "utf8")) as { monitor: string; status: string; reasons: string[]; rows: number };
    expect(alert).toMatchObject({ monitor: "churn-daily", status: "alert", rows: 100 });
    expect(alert.reasons.some((r) => r.startsWith("input drift"))).toBe(true);
  });

  it("prints the stored run as JSON", async () => {
    const result = await monitor(ws, "run", "churn-daily", "--json");
    expect(result.code).toBe(1);
    const run = JSON.parse(result.stdout) as { monitor: string; status: string; rows: number; datasetDrift: boolean; driftShare: number; actions: { action: string; ok: boolean }[] };
    expect(run).toMatchObject({ monitor: "churn-daily", status: "alert", rows: 100, datasetDrift: true, driftShare: 1 });
    expect(run.actions.map((a) => [a.action.split(" ")[0], a.ok])).toEqual([["command", true], ["retrain", true]]);
  });

  it("stores a window without predictions as an error that says why", async () => {
    const result = await monitor(ws, "run", "nobody");
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/monitor nobody run \d+: ERROR \(0 predictions/);
    expect(result.stdout).toMatch(/only 0 prediction\(s\) of 'absent' in the window, fewer than minRows 1/);
  });

  it("lists the monitors with their newest run, and a monitor's history newest first", async () => {
    const list = await monitor(ws, "list");
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout).toMatch(/churn-daily\s+churn\s+1d\s+0 6 \* \* \*\s+\S.*ALERT\s+input drift/);
    expect(list.stdout).toMatch(/nobody\s+absent\s+1d\s+-\s+\S.*ERROR\s+only 0 prediction/);

    const history = await monitor(ws, "history", "churn-daily");
    expect(history.code, history.stderr).toBe(0);
    const rows = history.stdout.trim().split("\n").slice(1);
    expect(rows).toHaveLength(2);
    for (const row of rows) expect(row).toMatch(/ALERT\s+100\s+1\s+input drift/);
    expect(Number(rows[0].split(/\s+/)[0])).toBeGreaterThan(Number(rows[1].split(/\s+/)[0]));

    const json = await monitor(ws, "history", "churn-daily", "--json", "--limit", "1");
    expect((JSON.parse(json.stdout) as unknown[]).length).toBe(1);
  });

  it("says how to run a monitor that has no stored run", async () => {
    const result = await monitor(ws, "history", "never-ran");
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("keel monitor run never-ran");
  });

  it("prints Prometheus alerting rules naming the monitors", async () => {
    const result = await monitor(ws, "rules");
    expect(result.code, result.stderr).toBe(0);
    const rules = (parse(result.stdout) as { groups: { name: string; rules: { alert: string; expr: string }[] }[] }).groups[0].rules;
    expect(rules.map((r) => r.alert)).toEqual([
      "KeelMonitorDatasetDrift", "KeelMonitorPredictionDrift", "KeelMonitorPerformanceDegraded", "KeelMonitorDataQuality", "KeelMonitorError", "KeelMonitorStale",
    ]);
    // Only the scheduled monitor can go stale.
    expect(rules.at(-1)?.expr).toContain('monitor="churn-daily"');
  });
});

describe("keel monitor over a healthy window", () => {
  let ws: Workspace;
  beforeAll(async () => {
    ws = monitorWorkspace(
      (dir) => [monitorYaml("churn-daily", [`alerts: [{ type: command, command: ${JSON.stringify(`touch '${join(dir, "alert-sent")}'`)} }]`])],
      predictionLogFiles({ drifted: false }),
    );
    const added = await monitor(ws, "labels", "add", ws.path("labels.csv"), "--prediction-log", ws.path("keel-data"));
    expect(added.code, added.stderr).toBe(0);
  });
  afterAll(() => ws.cleanup());

  it("exits 0 with OK and sends no alert", async () => {
    const result = await monitor(ws, "run", "churn-daily");
    expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(0);
    expect(result.stdout).toMatch(/monitor churn-daily run \d+: OK \(100 predictions/);
    expect(result.stdout).toMatch(/performance over 20 labelled predictions: .*accuracy=1/);
    expect(result.stdout).not.toMatch(/DRIFT/);
    expect(result.stdout).not.toMatch(/done:|FAILED:/);
    expect(existsSync(ws.path("alert-sent"))).toBe(false);
  });
});

describe("keel monitor refuses", () => {
  let ws: Workspace;
  beforeAll(() => {
    ws = monitorWorkspace(() => [monitorYaml("churn-daily"), monitorYaml("churn-weekly")], {
      "bad.yaml": "monitors:\n  churn: [unclosed\n",
    });
  });
  afterAll(() => ws.cleanup());

  it("an unknown monitor, listing the known ones", async () => {
    const result = await monitor(ws, "run", "churn-hourly");
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/no monitor named 'churn-hourly'; the monitors file defines churn-daily, churn-weekly/);
  });

  it("a monitors file that does not exist", async () => {
    const result = await keel("http://127.0.0.1:9", ["monitor", "--monitors", ws.path("missing.yaml"), "list"]);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/monitors file '.*missing\.yaml' does not exist/);
  });

  it("a monitors file that is not YAML", async () => {
    const result = await keel("http://127.0.0.1:9", ["monitor", "--monitors", ws.path("bad.yaml"), "rules"]);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/monitors file '.*bad\.yaml' is not valid YAML/);
  });
});
