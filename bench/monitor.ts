/**
 * `npm run bench -- monitor [--rows N] [--reps K]`: one monitor run over a day of prediction log — N logged
 * predictions (default 1,000,000) of a churn model with 8 inputs, a label and two probabilities, as `keel serve`
 * writes them, 10% of them labelled late — with every check on: input drift against a 5,000-row reference,
 * data quality, prediction drift and performance. Keel's time is the whole `runMonitor` call (reading the
 * NDJSON log with DuckDB, joining labels, the checks, storing the run in SQLite). Beside it, in the same run,
 * the floor: DuckDB alone parsing the same files (`SELECT count(*)` over read_json). Target: ≤ 5 s.
 * The log is written once into bench/.data/monitor (deterministic, seeded).
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync, createWriteStream } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { SILENT_LOGGER } from "../src/core/log.js";
import { readTable } from "../src/learn/data/index.js";
import { writeLabels } from "../src/monitoring/log/labels.js";
import { parseMonitorsConfig } from "../src/monitoring/monitors/monitor-config.js";
import { runMonitor } from "../src/monitoring/monitors/run-monitor.js";
import { createSqlMonitorStore } from "../src/monitoring/monitors/sql-monitor-store.js";
import { openDatabase } from "../src/store/database.js";
import { seeded } from "./populate.js";
import { machine, median, numberArg } from "./support.js";

const DAY = Date.parse("2026-12-06T00:00:00Z");
const TARGET_SECONDS = 5;

const CONTRACTS = ["month-to-month", "one-year", "two-year"];
const INTERNET = ["dsl", "fiber", "none"];
const PAYMENT = ["electronic-check", "mailed-check", "bank-transfer", "credit-card"];

/** A customer's features and churn; `shift` moves charges and calls (the drifted day). */
function customer(next: () => number, shift: number) {
  const contract = CONTRACTS[Math.floor(next() * 3)];
  const internet = INTERNET[Math.floor(next() * 3)];
  const payment = PAYMENT[Math.floor(next() * 4)];
  const tenure = Math.round(next() * 72);
  const monthly = Math.round((20 + (internet === "fiber" ? 50 : internet === "dsl" ? 25 : 0) + next() * 30 + shift * 15) * 100) / 100;
  const total = Math.round(monthly * Math.max(tenure, 1) * 100) / 100;
  const calls = Math.floor(-Math.log(1 - next()) * (1.5 + shift));
  const senior = next() < 0.16 ? 1 : 0;
  const p = 1 / (1 + Math.exp(-(-1.5 + (contract === "month-to-month" ? 1.5 : -1) - 0.04 * tenure + 0.3 * calls)));
  const churn = next() < p ? "yes" : "no";
  return { tenure_months: tenure, monthly_charges: monthly, total_charges: total, contract, internet_service: internet, payment_method: payment, support_calls: calls, senior, p, churn };
}

async function writeData(dir: string, rows: number): Promise<void> {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const next = seeded(7);
  const ref = ["tenure_months,monthly_charges,total_charges,contract,internet_service,payment_method,support_calls,senior,churn"];
  for (let i = 0; i < 5000; i++) {
    const c = customer(next, 0);
    ref.push([c.tenure_months, c.monthly_charges, c.total_charges, c.contract, c.internet_service, c.payment_method, c.support_calls, c.senior, c.churn].join(","));
  }
  writeFileSync(join(dir, "reference.csv"), `${ref.join("\n")}\n`);
  const labels: { requestId: string; label: string }[] = [];
  const perHour = Math.ceil(rows / 24);
  for (let h = 0; h < 24; h++) {
    const hourDir = join(dir, "log", "predictions", "model=churn", "date=2026-12-06", `hour=${String(h).padStart(2, "0")}`);
    mkdirSync(hourDir, { recursive: true });
    const out = createWriteStream(join(hourDir, "part-1-bench-0.ndjson"));
    const count = Math.min(perHour, rows - h * perHour);
    for (let i = 0; i < count; i++) {
      const c = customer(next, h >= 12 ? 1 : 0);
      const requestId = `bench-${h}-${i}`;
      const iso = new Date(DAY + h * 3_600_000 + Math.floor((i * 3_600_000) / count)).toISOString();
      const p = Math.min(0.99, Math.max(0.01, c.p + (next() - 0.5) * 0.2));
      const { p: _p, churn, ...inputs } = c;
      const line = `{"request_id":"${requestId}","timestamp":"${iso}","model":"churn","version":"1","protocol":"mlflow","shadow":false,"latency_ms":0.4,"inputs":${JSON.stringify(inputs)},"outputs":{"label":${p > 0.5 ? 1 : 0},"probabilities":[${1 - p},${p}]}}\n`;
      if (!out.write(line)) await new Promise<void>((r) => out.once("drain", () => r()));
      if (i % 10 === 0) labels.push({ requestId, label: churn });
    }
    await new Promise<void>((r) => out.end(() => r()));
  }
  await writeLabels(join(dir, "log"), labels, DAY + 86_400_000 + 3_600_000);
  writeFileSync(join(dir, "rows"), String(rows));
}

async function duckdbFloor(root: string): Promise<number> {
  const started = performance.now();
  const instance = await DuckDBInstance.create(":memory:");
  const connection = await instance.connect();
  await connection.run(`SELECT count(*) FROM read_json('${root}/predictions/model=churn/date=*/*/*.ndjson', format='newline_delimited')`);
  connection.closeSync();
  instance.closeSync();
  return (performance.now() - started) / 1000;
}

export async function main(argv: readonly string[]): Promise<void> {
  const rows = numberArg(argv, "--rows", 1_000_000);
  const reps = numberArg(argv, "--reps", 3);
  const dir = resolve("bench/.data/monitor", String(rows));
  if (!existsSync(join(dir, "rows"))) {
    process.stderr.write(`writing ${rows} logged predictions into ${dir}\n`);
    await writeData(dir, rows);
  }
  const [spec] = parseMonitorsConfig(
    {
      monitors: {
        "churn-bench": {
          model: "churn",
          predictionLog: join(dir, "log"),
          reference: join(dir, "reference.csv"),
          target: "churn",
          window: "1d",
          performance: { task: "classification", referenceMetrics: { accuracy: 0.8, roc_auc: 0.85 } },
        },
      },
    },
    dir,
  );
  const work = mkdtempSync(join(tmpdir(), "keel-bench-monitor-"));
  const database = await openDatabase(`sqlite:///${join(work, "keel.db")}`);
  const store = createSqlMonitorStore(database);
  const keel: number[] = [];
  const floor: number[] = [];
  let last;
  try {
    for (let r = 0; r < reps; r++) {
      floor.push(await duckdbFloor(join(dir, "log")));
      const started = performance.now();
      last = await runMonitor(spec, { store, readTable, logger: SILENT_LOGGER, now: () => DAY + 86_400_000 });
      keel.push((performance.now() - started) / 1000);
      process.stderr.write(`rep ${r + 1}: keel ${keel[r].toFixed(3)} s, duckdb parse ${floor[r].toFixed(3)} s\n`);
    }
  } finally {
    await database.close();
    rmSync(work, { recursive: true, force: true });
  }
  if (!last || last.rows !== rows) throw new Error(`the monitor saw ${last?.rows} rows, expected ${rows}: ${last?.reasons.join("; ")}`);
  const k = median(keel);
  const f = median(floor);
  const result = last.result as { labelledRows?: number };
  console.log(
    [
      `Machine: ${machine()} (${availableParallelism()} cores available).`,
      `Reproduce: \`npm run bench -- monitor${argv.length > 0 ? ` ${argv.join(" ")}` : ""}\` (median of ${reps}; target ≤ ${TARGET_SECONDS} s)`,
      "",
      "| figure | Keel median | DuckDB parse alone (floor) | Keel / floor | target met? |",
      "|---|---|---|---|---|",
      `| monitor run over ${rows.toLocaleString("en-US")} logged predictions (${result.labelledRows ?? 0} labelled): drift on 8 inputs, quality, prediction drift, performance; status ${last.status} | ${k.toFixed(3)} s | ${f.toFixed(3)} s | ${(k / f).toFixed(2)} | ${k <= TARGET_SECONDS ? "yes" : "no"} |`,
    ].join("\n"),
  );
}
