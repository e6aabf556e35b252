import type { ModelSignature, SchemaItem, TensorSpec } from "../core/model-signature.js";

/** What changed between two signatures, sorted by how much it matters to callers of the model. */
export interface SignatureDiff {
  /** Changes that make some existing callers fail: removed or retyped inputs, new required inputs, ... */
  readonly breaking: readonly string[];
  /** Changes worth a look that existing callers survive: widened types, renamed tensors, retyped outputs. */
  readonly warnings: readonly string[];
  /** Harmless changes: new optional inputs, added outputs, relaxed requirements. */
  readonly notes: readonly string[];
}

interface DiffSink {
  breaking: string[];
  warnings: string[];
  notes: string[];
}

/** Type changes MLflow's schema enforcement accepts for existing inputs, so callers keep working. */
const WIDENINGS: ReadonlySet<string> = new Set(["integer→long", "float→double"]);

type Side = "input" | "output";

function kindOf(items: readonly SchemaItem[]): "column" | "tensor" | "empty" {
  return items.length === 0 ? "empty" : items[0].kind;
}

function label(side: Side, item: SchemaItem, index: number): string {
  return item.name ? `${side} '${item.name}'` : `${side} #${index}`;
}

function shapeText(spec: TensorSpec): string {
  return `[${spec.shape.join(", ")}]`;
}

/**
 * Column specs are matched by name (position for unnamed columns), as MLflow enforces them. A removed input or
 * output is breaking (callers send or read it); other output changes only warn, since callers may ignore them.
 */
function diffColumns(side: Side, before: readonly SchemaItem[], after: readonly SchemaItem[], sink: DiffSink): void {
  const key = (item: SchemaItem, i: number): string => item.name ?? `#${i}`;
  const afterByKey = new Map(after.map((item, i) => [key(item, i), item]));
  const beforeKeys = new Set(before.map(key));
  before.forEach((old, i) => {
    const name = label(side, old, i);
    const now = afterByKey.get(key(old, i));
    if (!now) {
      sink.breaking.push(`${name} removed`);
      return;
    }
    const oldType = old.kind === "column" ? old.type : old.dtype;
    const newType = now.kind === "column" ? now.type : now.dtype;
    if (oldType !== newType) {
      const text = `${name} changed type ${oldType} → ${newType}`;
      if (side === "output") sink.warnings.push(text);
      else if (WIDENINGS.has(`${oldType}→${newType}`)) sink.warnings.push(`${name} widened ${oldType} → ${newType}`);
      else sink.breaking.push(text);
    }
    if (side === "input" && old.kind === "column" && now.kind === "column" && old.required !== now.required) {
      if (now.required) sink.breaking.push(`${name} became required`);
      else sink.notes.push(`${name} became optional`);
    }
  });
  after.forEach((item, i) => {
    if (beforeKeys.has(key(item, i))) return;
    const name = label(side, item, i);
    if (side === "output") sink.notes.push(`${name} added`);
    else if (item.kind === "column" && !item.required) sink.notes.push(`new optional ${name}`);
    else sink.breaking.push(`new required ${name}`);
  });
}

function diffShape(name: string, old: TensorSpec, now: TensorSpec, sink: DiffSink): void {
  if (old.shape.length !== now.shape.length) {
    sink.breaking.push(`${name} changed shape ${shapeText(old)} → ${shapeText(now)}`);
    return;
  }
  const changed = old.shape.some((dim, d) => {
    const next = now.shape[d];
    // A fixed dimension that became variable still accepts every old call; anything else may not.
    return dim !== next && !(dim >= 0 && next < 0);
  });
  if (changed) sink.breaking.push(`${name} changed shape ${shapeText(old)} → ${shapeText(now)}`);
  else if (old.shape.some((dim, d) => dim !== now.shape[d])) {
    sink.notes.push(`${name} relaxed shape ${shapeText(old)} → ${shapeText(now)}`);
  }
}

/** Tensor specs are matched by position, as a model's tensor inputs are fed. */
function diffTensors(side: Side, before: readonly TensorSpec[], after: readonly TensorSpec[], sink: DiffSink): void {
  before.forEach((old, i) => {
    const name = label(side, old, i);
    const now = after[i];
    if (!now) {
      sink.breaking.push(`${name} removed`);
      return;
    }
    if (old.name && now.name && old.name !== now.name) sink.warnings.push(`${side} #${i} renamed '${old.name}' → '${now.name}'`);
    if (old.dtype !== now.dtype) {
      const text = `${name} changed dtype ${old.dtype} → ${now.dtype}`;
      (side === "output" ? sink.warnings : sink.breaking).push(text);
    }
    if (side === "input") diffShape(name, old, now, sink);
    else if (shapeText(old) !== shapeText(now)) sink.warnings.push(`${name} changed shape ${shapeText(old)} → ${shapeText(now)}`);
  });
  after.slice(before.length).forEach((item, j) => {
    const name = label(side, item, before.length + j);
    if (side === "output") sink.notes.push(`${name} added`);
    else sink.breaking.push(`new required ${name}`);
  });
}

function diffSide(side: Side, before: readonly SchemaItem[], after: readonly SchemaItem[], sink: DiffSink): void {
  const kinds = [kindOf(before), kindOf(after)];
  if (kinds[0] === "empty" || kinds[1] === "empty" || kinds[0] === kinds[1]) {
    if (kinds.includes("tensor")) diffTensors(side, before as readonly TensorSpec[], after as readonly TensorSpec[], sink);
    else diffColumns(side, before, after, sink);
    return;
  }
  const text = `${side}s changed from ${kinds[0]}s to ${kinds[1]}s`;
  (side === "input" ? sink.breaking : sink.warnings).push(text);
}

/**
 * Compares the candidate's signature with the baseline's from the point of view of existing callers.
 * @example diffSignatures(baseline.signature, candidate.signature).breaking // ["input 'age' removed"]
 */
export function diffSignatures(baseline: ModelSignature, candidate: ModelSignature): SignatureDiff {
  const sink: DiffSink = { breaking: [], warnings: [], notes: [] };
  diffSide("input", baseline.inputs, candidate.inputs, sink);
  diffSide("output", baseline.outputs, candidate.outputs, sink);
  return sink;
}
