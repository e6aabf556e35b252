export type { CheckResult, CheckStatus, GateReport, GateVerdict } from "./types.js";
export type { GateCheck, GateCheckFactory, GateContext, GateSubject } from "./gate-check.js";
export { DEFAULT_CHECK_FACTORIES, loadGatePolicy, parseGatePolicy } from "./policy.js";
export type { GatePolicy } from "./policy.js";
export { readCheckSpec } from "./check-spec.js";
export type { CheckSpec, NumberRule, SpecKeys } from "./check-spec.js";
export { createMetricThresholdCheck } from "./metric-threshold-check.js";
export { createRegressionCheck } from "./regression-check.js";
export { createLatencyCheck } from "./latency-check.js";
export { createSignatureCheck } from "./signature-check.js";
export { diffSignatures } from "./signature-diff.js";
export type { SignatureDiff } from "./signature-diff.js";
export { inputRowsFromCsv, inputRowsFromExample } from "./input-rows.js";
export type { InputRows } from "./input-rows.js";
export { evaluateGates } from "./evaluate-gates.js";
export type { EvaluateGatesOptions } from "./evaluate-gates.js";
export {
  formatGateReportTable,
  gateReportJson,
  gateReportSummaryTag,
  gateReportVerdictLine,
  MAX_TAG_VALUE_LENGTH,
} from "./report-format.js";
