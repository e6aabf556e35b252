import type { ModelSignature } from "../core/model-signature.js";
import type { CheckResult } from "./types.js";

/** A model version under evaluation (the candidate), or the version it would replace (the baseline). */
export interface GateSubject {
  readonly name: string;
  readonly version: string;
  readonly runId?: string;
  /** The latest value of each metric of the version's run. */
  readonly metrics: Readonly<Record<string, number>>;
  readonly signature?: ModelSignature;
  /** input_example.json parsed, as MLflow writes it (pandas split or records, or tensors). */
  readonly inputExample?: unknown;
  /** The model.onnx bytes; undefined when the model has no onnx flavor. Called only by checks that need it. */
  loadOnnx(): Promise<Uint8Array | undefined>;
}

export interface GateContext {
  readonly candidate: GateSubject;
  /** The version currently holding the target; undefined when none does. */
  readonly baseline?: GateSubject;
  /** For messages: "alias production" or "stage Production". */
  readonly target: string;
  /** The directory that relative dataset paths in the policy resolve against (usually the policy file's). */
  readonly baseDir: string;
}

export interface GateCheck {
  /** Identifies the check in reports, e.g. "metric:accuracy". */
  readonly name: string;
  /** The policy's `type` of the check. */
  readonly type: string;
  /** Resolves to a result; FAIL is a result, not a rejection (evaluateGates still turns a throw into a FAIL). */
  run(ctx: GateContext): Promise<CheckResult>;
}

/**
 * Builds a check from its policy entry. It validates its own spec and throws `invalidParameter` with a message
 * that starts with `where` (e.g. "gates.yaml checks[2]") and says what to write instead.
 */
export type GateCheckFactory = (spec: Readonly<Record<string, unknown>>, where: string) => GateCheck;
