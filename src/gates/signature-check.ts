import { readCheckSpec } from "./check-spec.js";
import type { GateCheck, GateCheckFactory } from "./gate-check.js";
import { diffSignatures } from "./signature-diff.js";
import type { CheckResult } from "./types.js";

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? "" : "s"}`;
}

/**
 * Policy `type: signature`: the candidate's signature must accept every call the baseline's accepts.
 * Breaking changes FAIL, widened types and changed outputs WARN, additions PASS with a note.
 */
export const createSignatureCheck: GateCheckFactory = (raw, where) => {
  readCheckSpec(raw, where, "signature", {});
  const check: GateCheck = {
    name: "signature",
    type: "signature",
    async run(ctx): Promise<CheckResult> {
      const { candidate, baseline } = ctx;
      const base = { check: "signature", type: "signature" };
      if (!baseline) {
        const message = `no version holds ${ctx.target}; nothing to compare`;
        return { ...base, status: "PASS", actual: null, threshold: null, message };
      }
      const threshold = `no breaking changes vs v${baseline.version}`;
      if (!baseline.signature) {
        const message = `baseline v${baseline.version} has no signature; nothing to compare`;
        return { ...base, status: "PASS", actual: null, threshold, message };
      }
      if (!candidate.signature) {
        const message =
          `version ${candidate.version} has no signature but v${baseline.version} has one; ` +
          "log the model with a signature (e.g. mlflow.models.infer_signature) so callers know its inputs";
        return { ...base, status: "FAIL", actual: "signature removed", threshold, message };
      }
      const diff = diffSignatures(baseline.signature, candidate.signature);
      const also = diff.notes.length > 0 ? ` (also: ${diff.notes.join("; ")})` : "";
      if (diff.breaking.length > 0) {
        const actual = diff.breaking.join("; ");
        const warned = diff.warnings.length > 0 ? ` (to review: ${diff.warnings.join("; ")})` : "";
        const message = `${plural(diff.breaking.length, "breaking change")}: ${actual}${warned}`;
        return { ...base, status: "FAIL", actual, threshold, message };
      }
      if (diff.warnings.length > 0) {
        const actual = diff.warnings.join("; ");
        const message = `${plural(diff.warnings.length, "change")} to review: ${actual}${also}`;
        return { ...base, status: "WARN", actual, threshold, message };
      }
      if (diff.notes.length > 0) {
        const actual = diff.notes.join("; ");
        return { ...base, status: "PASS", actual, threshold, message: `compatible with v${baseline.version}: ${actual}` };
      }
      return { ...base, status: "PASS", actual: "unchanged", threshold, message: `signature unchanged from v${baseline.version}` };
    },
  };
  return check;
};
