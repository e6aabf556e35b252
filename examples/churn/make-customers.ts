/**
 * Writes a churn-like customer table (the shape of the reference guides' telecom example) as CSV:
 *
 *   npx tsx examples/churn/make-customers.ts customers.csv [--rows 5000] [--seed 7] [--drift]
 *
 * `--drift` writes the customers of a changed market, for monitoring: fibre everywhere, higher charges, more
 * support calls, and a price-sensitive churn the trained model has never seen.
 * Churn is more likely on month-to-month contracts, with short tenure, high charges, fibre service and many
 * support calls; some total_charges are missing, as in the real data set.
 */
import { writeFileSync } from "node:fs";

const out = process.argv[2];
if (!out || out.startsWith("--")) {
  process.stderr.write("usage: npx tsx examples/churn/make-customers.ts OUT.csv [--rows N] [--seed S]\n");
  process.exit(2);
}
function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  return at === -1 ? fallback : Number(process.argv[at + 1]);
}

/** mulberry32: the same seed gives the same table. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const next = random(option("seed", 7));
const drift = process.argv.includes("--drift");
const pick = <T>(items: readonly T[], weights: readonly number[]): T => {
  let r = next() * weights.reduce((a, b) => a + b, 0);
  for (let i = 0; i < items.length; i++) if ((r -= weights[i]) <= 0) return items[i];
  return items[items.length - 1];
};

const lines = ["tenure_months,monthly_charges,total_charges,contract,internet_service,payment_method,support_calls,senior,churn"];
for (let i = 0; i < option("rows", 5000); i++) {
  const contract = pick(["month-to-month", "one-year", "two-year"], [55, 25, 20]);
  const internet = pick(["dsl", "fiber", "none"], drift ? [10, 85, 5] : [35, 45, 20]);
  const payment = pick(["electronic-check", "mailed-check", "bank-transfer", "credit-card"], [35, 20, 22, 23]);
  const tenure = Math.round(contract === "month-to-month" ? next() * 36 : 12 + next() * 60);
  const monthly = Math.round((20 + (internet === "fiber" ? 50 : internet === "dsl" ? 25 : 0) + next() * 30 + (drift ? 25 : 0)) * 100) / 100;
  const total = next() < 0.03 ? "" : (monthly * Math.max(tenure, 1)).toFixed(2);
  const calls = Math.floor(-Math.log(1 - next()) * (drift ? 3 : 1.5));
  const senior = next() < 0.16 ? 1 : 0;
  const logit =
    -1.2 + (contract === "month-to-month" ? 1.6 : contract === "one-year" ? -0.4 : -1.6) - 0.045 * tenure + 0.018 * (monthly - 60) +
    (internet === "fiber" ? 0.5 : 0) + (payment === "electronic-check" ? 0.45 : 0) + 0.35 * calls + 0.3 * senior + (next() - 0.5) +
    (drift ? 0.08 * (monthly - 90) - 1.5 * (contract === "month-to-month" ? 1 : 0) + 1.2 : 0);
  const churn = next() < 1 / (1 + Math.exp(-logit)) ? "yes" : "no";
  lines.push([tenure, monthly, total, contract, internet, payment, calls, senior, churn].join(","));
}
writeFileSync(out, `${lines.join("\n")}\n`);
process.stdout.write(`wrote ${lines.length - 1} customers to ${out}\n`);
