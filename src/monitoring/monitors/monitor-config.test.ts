import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { refusal, rejection } from "../../../test/support/keel-errors.js";
import { findMonitor, loadMonitorsFile, parseDuration, parseMonitorsConfig } from "./monitor-config.js";

const BASE = "/srv/keel";

/** The error a monitors document (as YAML text) is refused with. */
function refusedWith(yamlText: string): string {
  const error = refusal(() => parseMonitorsConfig(parse(yamlText), BASE));
  expect(error.code).toBe("INVALID_PARAMETER_VALUE");
  return error.message;
}

describe("parseDuration", () => {
  it("reads every unit and plain milliseconds", () => {
    expect(parseDuration("90s", "w")).toBe(90_000);
    expect(parseDuration("15m", "w")).toBe(900_000);
    expect(parseDuration("1.5h", "w")).toBe(5_400_000);
    expect(parseDuration("7d", "w")).toBe(604_800_000);
    expect(parseDuration("2w", "w")).toBe(1_209_600_000);
    expect(parseDuration("250ms", "w")).toBe(250);
    expect(parseDuration(1500, "w")).toBe(1500);
  });

  it("refuses nonsense, a missing unit, zero and negatives, naming where", () => {
    for (const bad of ["1 day", "10", "", "-1h", "0s", "0m", 0, -5, Number.NaN, null, true]) {
      const error = refusal(() => parseDuration(bad, "monitors.m.window"));
      expect(error.message).toMatch(/^monitors\.m\.window: expected a duration/);
    }
  });
});

describe("parseMonitorsConfig", () => {
  it("reads a full monitor", () => {
    const [monitor] = parseMonitorsConfig(
      parse(`
monitors:
  churn-daily:
    model: churn
    predictionLog: /var/log/keel
    version: 3
    reference: data/train.csv
    registeredModel: churn-classifier
    target: churned
    window: 6h
    schedule: "0 6 * * *"
    columns: [tenure, plan]
    minRows: 50
    drift: { stattest: psi, threshold: 0.2, driftShare: 0.3, columns: { tenure: { stattest: ks, threshold: 0.01 } } }
    quality: { maxMissingShareIncrease: 0.1 }
    performance: { task: classification, tolerance: 0.1, window: 30m, minLabelledRows: 10, referenceMetrics: { accuracy: 0.9 } }
    alerts:
      - { type: webhook, url: "http://hooks.local/keel", retries: 2, retryDelay: 1s, timeout: 5s, headers: { authorization: "Bearer x" } }
      - { type: log }
      - { type: command, command: "notify-send drift" }
    retrain: { command: "keel train --data data/latest.csv", timeout: 2h }
`),
      BASE,
    );
    expect(monitor).toEqual({
      name: "churn-daily",
      model: "churn",
      predictionLog: "/var/log/keel",
      version: "3",
      reference: "/srv/keel/data/train.csv",
      registeredModel: "churn-classifier",
      target: "churned",
      windowMs: 6 * 3_600_000,
      schedule: "0 6 * * *",
      columns: ["tenure", "plan"],
      minRows: 50,
      drift: { stattest: "psi", threshold: 0.2, driftShare: 0.3, perColumn: { tenure: { stattest: "ks", threshold: 0.01 } } },
      quality: { maxMissingShareIncrease: 0.1 },
      performance: { task: "classification", tolerance: 0.1, windowMs: 1_800_000, minLabelledRows: 10, referenceMetrics: { accuracy: 0.9 } },
      alerts: [
        { type: "webhook", url: "http://hooks.local/keel", retries: 2, retryDelayMs: 1000, timeoutMs: 5000, headers: { authorization: "Bearer x" } },
        { type: "log" },
        { type: "command", command: "notify-send drift", timeoutMs: 60_000 },
      ],
      retrain: { command: "keel train --data data/latest.csv", timeoutMs: 7_200_000 },
    });
  });

  it("fills in the defaults of a monitor that names only its model", () => {
    const [monitor] = parseMonitorsConfig(parse("monitors:\n  m:\n    model: churn\n"), BASE);
    expect(monitor.windowMs).toBe(86_400_000);
    expect(monitor.predictionLog).toBe("/srv/keel/keel-data");
    expect(monitor.registeredModel).toBe("churn");
    expect(monitor.quality).toEqual({});
    expect(monitor.performance).toBeNull();
    expect(monitor.minRows).toBe(1);
    expect(monitor.alerts).toEqual([]);
    expect(monitor.schedule).toBeUndefined();
    expect(monitor.retrain).toBeUndefined();
  });

  it("resolves a relative prediction log against the file's directory and turns quality off on request", () => {
    const [monitor] = parseMonitorsConfig(parse("monitors:\n  m: { model: churn, predictionLog: ../logs, quality: false }\n"), BASE);
    expect(monitor.predictionLog).toBe("/srv/logs");
    expect(monitor.quality).toBeNull();
  });

  it("gives a webhook its default retries, delay and timeout, and a performance check its defaults", () => {
    const [monitor] = parseMonitorsConfig(
      parse('monitors:\n  m: { model: churn, performance: { task: regression }, alerts: [{ type: webhook, url: "https://h/x" }] }\n'),
      BASE,
    );
    expect(monitor.alerts[0]).toEqual({ type: "webhook", url: "https://h/x", retries: 3, retryDelayMs: 500, timeoutMs: 10_000, headers: {} });
    expect(monitor.performance).toEqual({ task: "regression", tolerance: 0.05, windowMs: 3_600_000, minLabelledRows: 30 });
  });

  it("reads an empty document as no monitors", () => {
    expect(parseMonitorsConfig(parse(""), BASE)).toEqual([]);
  });

  it("names the path of every mistake", () => {
    expect(refusedWith("monitor: {}")).toMatch(/^monitors\.yaml: unknown key 'monitor'/);
    expect(refusedWith("monitors:\n  m: { model: churn, windw: 1d }")).toMatch(/^monitors\.m: unknown key 'windw'; known keys are model, /);
    expect(refusedWith("monitors:\n  m: { model: churn, window: 1 day }")).toMatch(/^monitors\.m\.window: expected a duration/);
    expect(refusedWith('monitors:\n  m: { model: churn, schedule: "61 * * * *" }')).toMatch(/^monitors\.m\.schedule: '61 \* \* \* \*' is not a cron expression/);
    expect(refusedWith('monitors:\n  m: { model: churn, schedule: "every day" }')).toMatch(/^monitors\.m\.schedule: /);
    expect(refusedWith("monitors:\n  m: { model: churn, drift: { stattest: chi3 } }")).toMatch(/unknown stattest 'chi3' in monitors\.m\.drift\.stattest/);
    expect(refusedWith("monitors:\n  m: { model: churn, drift: { columns: { tenure: { stattest: nope } } } }")).toContain("monitors.m.drift.columns.tenure.stattest");
    expect(refusedWith("monitors:\n  m: { model: churn, drift: { driftShare: 1.5 } }")).toMatch(/^monitors\.m\.drift\.driftShare: expected a number from 0 to 1/);
    expect(refusedWith('monitors:\n  m: { model: churn, alerts: [{ type: webhook, url: "ftp://h/x" }] }')).toMatch(
      /^monitors\.m\.alerts\[0\]\.url: expected an http:\/\/ or https:\/\/ URL/,
    );
    expect(refusedWith('monitors:\n  m: { model: churn, alerts: [{ type: log }, { type: webhook, url: "http://h", retries: -1 }] }')).toMatch(
      /^monitors\.m\.alerts\[1\]\.retries: expected an integer from 0 to 20/,
    );
    expect(refusedWith('monitors:\n  m: { model: churn, alerts: [{ type: webhook, url: "http://h", retries: 1.5 }] }')).toMatch(/alerts\[0\]\.retries/);
    expect(refusedWith("monitors:\n  m: { model: churn, alerts: [{ type: email }] }")).toMatch(/^monitors\.m\.alerts\[0\]\.type: expected webhook, log or command, got "email"/);
    expect(refusedWith("monitors:\n  m: { model: churn, alerts: { type: log } }")).toMatch(/^monitors\.m\.alerts: expected a list/);
    expect(refusedWith("monitors:\n  m: { window: 1d }")).toMatch(/^monitors\.m\.model: expected a non-empty string/);
    expect(refusedWith("monitors:\n  m:\n")).toMatch(/^monitors\.m: expected a mapping/);
    expect(refusedWith("monitors:\n  m: { model: churn, performance: { task: ranking } }")).toMatch(/^monitors\.m\.performance\.task: expected classification or regression/);
    expect(refusedWith("monitors:\n  m: { model: churn, minRows: 0 }")).toMatch(/^monitors\.m\.minRows: expected an integer >= 1/);
    expect(refusedWith("monitors:\n  m: { model: churn, retrain: { cmd: x } }")).toMatch(/^monitors\.m\.retrain: unknown key 'cmd'/);
    expect(refusedWith("monitors:\n  m: { model: churn, columns: [] }")).toMatch(/^monitors\.m\.columns: expected a list of column names/);
    expect(refusedWith('monitors:\n  "bad name": { model: churn }')).toMatch(/^monitors\.bad name: a monitor name holds/);
    expect(refusedWith("monitors:\n  m:\n    model: churn\n    version:\n")).toBe("monitors.m.version: expected a model version such as 3, got null");
    expect(refusedWith("monitors:\n  m: { model: churn, version: 1.5 }")).toMatch(/^monitors\.m\.version: /);
  });
});

describe("loadMonitorsFile", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "keel-monitors-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("reads a file and resolves relative paths against its directory", async () => {
    const path = join(dir, "monitors.yaml");
    writeFileSync(path, "monitors:\n  churn-daily:\n    model: churn\n    reference: data/train.csv\n");
    const [monitor] = await loadMonitorsFile(path);
    expect(monitor.name).toBe("churn-daily");
    expect(monitor.predictionLog).toBe(join(dir, "keel-data"));
    expect(monitor.reference).toBe(join(dir, "data", "train.csv"));
  });

  it("says the file is missing, naming it", async () => {
    const error = await rejection(loadMonitorsFile(join(dir, "nope.yaml")));
    expect(error.code).toBe("INVALID_PARAMETER_VALUE");
    expect(error.message).toContain(`monitors file '${join(dir, "nope.yaml")}' does not exist`);
  });

  it("says a path it cannot read is not a readable file", async () => {
    const error = await rejection(loadMonitorsFile(dir));
    expect(error.code).toBe("INVALID_PARAMETER_VALUE");
    expect(error.message).toMatch(/^monitors file '.*' could not be read: EISDIR/);
  });

  it("says the YAML is broken in one line", async () => {
    const path = join(dir, "monitors.yaml");
    writeFileSync(path, "monitors:\n  m: { model: churn\n");
    const error = await rejection(loadMonitorsFile(path));
    expect(error.code).toBe("INVALID_PARAMETER_VALUE");
    expect(error.message).toMatch(/is not valid YAML: /);
    expect(error.message).not.toContain("\n");
  });
});

describe("findMonitor", () => {
  const monitors = parseMonitorsConfig(parse("monitors:\n  a: { model: x }\n  b: { model: y }\n"), BASE);

  it("finds a monitor by name and lists the known names otherwise", () => {
    expect(findMonitor(monitors, "b").model).toBe("y");
    const error = refusal(() => findMonitor(monitors, "c"));
    expect(error.code).toBe("RESOURCE_DOES_NOT_EXIST");
    expect(error.message).toBe("no monitor named 'c'; the monitors file defines a, b");
    expect(refusal(() => findMonitor([], "c")).message).toContain("defines (none)");
  });
});
