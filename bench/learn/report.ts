/**
 * The learners benchmark's markdown: one table per dataset, Keel against scikit-learn, with the issue's four
 * targets checked per row.
 */
import type { DatasetName } from "./dataset.js";
import type { KeelResult, LearnerName, SideResult } from "./keel-side.js";

export interface Row {
  readonly dataset: DatasetName;
  readonly learner: LearnerName;
  readonly keel: KeelResult;
  readonly sklearn: SideResult & { readonly convergenceWarning?: string | null; readonly iterations?: number };
  /** 1-minute load average and other processes' CPU use (cores) just before each side ran. */
  readonly load: { readonly sklearn: Quiet; readonly keel: Quiet };
}

export interface Quiet {
  readonly loadavg: number;
  readonly othersCores: number;
}

/** The issue's targets: metrics within 0.01, fit ≤ 2× on the 200,000-row table, ONNX predict ≤ 1×. */
export const TARGETS = { metricDelta: 0.01, fitRatio: 2, predictRatio: 1 } as const;

export interface Verdict {
  readonly accuracy: boolean;
  readonly auc: boolean;
  /** Undefined where the target does not apply (fit time is only a target on the big table). */
  readonly fit: boolean | undefined;
  readonly predict: boolean;
}

export function verdict(row: Row): Verdict {
  return {
    accuracy: Math.abs(row.keel.accuracy - row.sklearn.accuracy) <= TARGETS.metricDelta + 1e-12,
    auc: Math.abs(row.keel.auc - row.sklearn.auc) <= TARGETS.metricDelta + 1e-12,
    fit: row.dataset === "big" ? row.keel.fitS / row.sklearn.fitS <= TARGETS.fitRatio : undefined,
    predict: row.keel.predictS / row.sklearn.predictS <= TARGETS.predictRatio,
  };
}

const LEARNER_TITLES: Readonly<Record<LearnerName, string>> = {
  logreg: "logreg vs LogisticRegression(max_iter=1000)",
  tree: "tree vs DecisionTreeClassifier",
  rf: "rf vs RandomForestClassifier(100 trees, n_jobs=2)",
  gbdt: "gbdt vs HistGradientBoostingClassifier",
};

const f4 = (v: number): string => v.toFixed(4);
const signed = (v: number): string => `${v >= 0 ? "+" : "−"}${Math.abs(v).toFixed(4)}`;
/** Three significant digits: prediction times run from 2 ms to seconds, and their ratio is the target. */
const secs = (v: number): string => (v >= 100 ? v.toFixed(0) : v.toPrecision(3));
const mark = (ok: boolean | undefined, what: string): string => (ok === undefined ? `${what} —` : `${what} ${ok ? "✔" : "✘"}`);

export function markdownTable(rows: readonly Row[], title: string): string {
  const lines = [
    `**${title}**`,
    "",
    "| learner | Keel accuracy | sklearn accuracy | Δ | Keel AUC | sklearn AUC | Δ | Keel fit s | sklearn fit s | ratio | Keel ONNX predict 100k s | sklearn predict_proba 100k s | ratio | pass/fail |",
    "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
  ];
  for (const row of rows) {
    const v = verdict(row);
    const { keel, sklearn } = row;
    lines.push(
      `| ${LEARNER_TITLES[row.learner]} | ${f4(keel.accuracy)} | ${f4(sklearn.accuracy)} | ${signed(keel.accuracy - sklearn.accuracy)} | ${f4(keel.auc)} | ${f4(sklearn.auc)} | ${signed(keel.auc - sklearn.auc)} | ${secs(keel.fitS)} | ${secs(sklearn.fitS)} | ${(keel.fitS / sklearn.fitS).toFixed(2)} | ${secs(keel.predictS)} | ${secs(sklearn.predictS)} | ${(keel.predictS / sklearn.predictS).toFixed(2)} | ${[mark(v.accuracy, "acc"), mark(v.auc, "AUC"), mark(v.fit, "fit"), mark(v.predict, "predict")].join(" · ")} |`,
    );
  }
  return lines.join("\n");
}

/** ONNX against in-process agreement and the conditions of each measurement, one line per row. */
export function notes(rows: readonly Row[]): string {
  return rows
    .map((row) => {
      const { keel, sklearn, load } = row;
      const parts = [
        `${row.dataset}/${row.learner}: ONNX vs in-process on the test rows: ${keel.onnxLabelMismatches} label(s) differ, max |Δp| ${keel.onnxMaxProbabilityGap.toExponential(1)}`,
        `ONNX model ${keel.onnxBytes < 10_240 ? `${keel.onnxBytes} B` : `${(keel.onnxBytes / 1024).toFixed(0)} KiB`}`,
        `Keel in-process predictProba 100k ${secs(keel.inProcessPredictS)} s`,
        `load before sklearn ${load.sklearn.loadavg.toFixed(2)} (others ${load.sklearn.othersCores.toFixed(2)} cores), before Keel ${load.keel.loadavg.toFixed(2)} (others ${load.keel.othersCores.toFixed(2)} cores)`,
      ];
      if (sklearn.convergenceWarning) parts.push(`sklearn warned: ${sklearn.convergenceWarning.replace(/:$/, "")}`);
      return `- ${parts.join("; ")}`;
    })
    .join("\n");
}
