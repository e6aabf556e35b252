import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { SILENT_LOGGER } from "../../src/core/log.js";
import { readTable } from "../../src/learn/index.js";
import { openMonitorStore, parseMonitorsConfig, runMonitor } from "../../src/monitoring/index.js";
import type { Workspace } from "./monitor-workspace.js";
import { monitorWorkspace, predictionLogFiles } from "./monitor-workspace.js";

describe("keel/monitoring: a monitor defined and run from TypeScript", () => {
  let workspace: Workspace | undefined;
  afterEach(() => workspace?.cleanup());

  it("runs a monitor given as an object, stores the run and reads its history back", async () => {
    workspace = monitorWorkspace(() => [], predictionLogFiles({ drifted: true }));
    const [spec] = parseMonitorsConfig(
      {
        monitors: {
          "churn-code": {
            model: "churn",
            predictionLog: "keel-data",
            reference: "reference.csv",
            target: "churned",
            window: "1d",
            drift: { stattest: "cramer_von_mises", columns: { plan: { stattest: "chisquare" } } },
          },
        },
      },
      workspace.dir,
    );
    const store = await openMonitorStore(`sqlite:///${join(workspace.dir, "keel.db")}`);
    try {
      const run = await runMonitor(spec, { store, readTable, logger: SILENT_LOGGER });
      expect(run.status).toBe("alert");
      expect(run.rows).toBe(100);
      const drift = run.result.drift as { columns: { column: string; stattest: string; drifted: boolean }[] };
      expect(drift.columns.map((c) => [c.column, c.stattest, c.drifted])).toEqual([
        ["tenure", "cramer_von_mises", true],
        ["plan", "chisquare", true],
      ]);
      const [stored] = await store.history("churn-code");
      expect(stored).toMatchObject({ id: run.id, status: "alert", datasetDrift: true });
    } finally {
      await store.close();
    }
  });

  it("refuses a bad definition with its path in the object", () => {
    expect(() => parseMonitorsConfig({ monitors: { bad: { model: "churn", window: "soon" } } }, "/tmp")).toThrow(/monitors\.bad\.window/);
  });
});
