/**
 * Sends a customer table to a served churn model, 50 rows per request, the way an application would, and
 * writes the true churn of each scored row as late labels keyed by request id (row r of request `<id>` is
 * `<id>:<r>`, as the prediction log records it):
 *
 *   npx tsx examples/churn/send-traffic.ts today.csv http://127.0.0.1:8080 labels.csv
 *
 * The labels file is what `keel monitor labels add` takes: request_id,label.
 */
import { readFileSync, writeFileSync } from "node:fs";

const [input, url, labelsOut] = process.argv.slice(2);
if (!input || !url || !labelsOut) {
  process.stderr.write("usage: npx tsx examples/churn/send-traffic.ts IN.csv SERVING_URL LABELS_OUT.csv\n");
  process.exit(2);
}
const [header, ...rows] = readFileSync(input, "utf8").trim().split("\n");
const columns = header.split(",");
const target = columns.indexOf("churn");
const features = columns.filter((_, i) => i !== target);
const labels = ["request_id,label"];
const batch = 50;
for (let start = 0; start < rows.length; start += batch) {
  const cells = rows.slice(start, start + batch).map((line) => line.split(","));
  const data = cells.map((c) => c.filter((_, i) => i !== target).map((v) => (v === "" ? null : Number.isNaN(Number(v)) ? v : Number(v))));
  const requestId = `${input.replace(/\W+/g, "-")}-${start / batch}`;
  const response = await fetch(`${url}/invocations`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-request-id": requestId },
    body: JSON.stringify({ dataframe_split: { columns: features, data } }),
  });
  if (!response.ok) {
    process.stderr.write(`request ${requestId} failed: HTTP ${response.status} ${await response.text()}\n`);
    process.exit(1);
  }
  cells.forEach((c, r) => labels.push(`${requestId}:${r},${c[target]}`));
}
writeFileSync(labelsOut, `${labels.join("\n")}\n`);
process.stdout.write(`scored ${rows.length} customers in ${Math.ceil(rows.length / batch)} requests; wrote their labels to ${labelsOut}\n`);
