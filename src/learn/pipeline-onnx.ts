/**
 * A fitted pipeline as ONE ONNX model. Conventions (what a server or any ONNX runtime feeds and reads):
 * - one graph input per source column, shape [N, 1]: float for numeric columns (NaN = missing), string for
 *   categorical ones (the empty string = missing); named after the column, made a C identifier when it is not
 *   one (`customer id` → `customer_id`), and never `label`, `probabilities` or `prediction` (`label_input`);
 * - outputs: `label` (int64 [N], the class INDEX into the pipeline's classes) and `probabilities`
 *   (float [N, classes]) for classification, `prediction` (float [N, 1]) for regression.
 */
import type { ModelSignature, SchemaItem } from "../core/model-signature.js";
import { createOnnxModelBuilder } from "./onnx/graph-builder.js";
import type { OnnxModelBuilder, OnnxValue } from "./onnx/graph-builder.js";
import type { ValueKind } from "./data/infer-types.js";
import type { ColumnSelector } from "./preprocess/column-selector.js";
import type { FittedOneHotEncoder } from "./preprocess/one-hot-encoder.js";
import type { FittedSimpleImputer } from "./preprocess/simple-imputer.js";
import type { FittedStandardScaler } from "./preprocess/standard-scaler.js";
import type { FittedModel, OnnxGraphBuilder } from "./types.js";

/** A source column and the ONNX graph input (and signature column) it is fed through. */
export interface PipelineInput {
  readonly column: string;
  readonly name: string;
  readonly kind: ValueKind;
}

export interface PipelineSteps {
  readonly numeric: ColumnSelector;
  readonly imputer?: FittedSimpleImputer;
  readonly scaler?: FittedStandardScaler;
  readonly categorical: ColumnSelector;
  /** One per categorical column, in the same order. */
  readonly encoders: readonly FittedOneHotEncoder[];
}

export const OUTPUT_NAMES = ["label", "probabilities", "prediction"] as const;

/** ONNX input names for the numeric then categorical columns (see the conventions above). */
export function pipelineInputs(numeric: readonly string[], categorical: readonly string[]): PipelineInput[] {
  const taken = new Set<string>(OUTPUT_NAMES);
  const name = (column: string): string => {
    let base = column.replace(/[^A-Za-z0-9_]/g, "_");
    if (!/^[A-Za-z_]/.test(base)) base = `_${base}`;
    if (taken.has(base)) base = `${base}_input`;
    let candidate = base;
    for (let n = 2; taken.has(candidate); n++) candidate = `${base}_${n}`;
    taken.add(candidate);
    return candidate;
  };
  return [
    ...numeric.map((column) => ({ column, name: name(column), kind: "number" as const })),
    ...categorical.map((column) => ({ column, name: name(column), kind: "string" as const })),
  ];
}

export function exportPipelineOnnx(inputs: readonly PipelineInput[], steps: PipelineSteps, model: FittedModel): Uint8Array {
  const builder = createOnnxModelBuilder("keel_pipeline");
  const graph = reservingGraph(builder, [...OUTPUT_NAMES, ...inputs.map((i) => i.name)]);
  const parts: string[] = [];
  const numericInputs = inputs.filter((i) => i.kind === "number").map((i) => i.name);
  if (numericInputs.length > 0) {
    let tensor = steps.numeric.toOnnx(graph, numericInputs);
    if (steps.imputer) tensor = steps.imputer.toOnnx(graph, tensor);
    if (steps.scaler) tensor = steps.scaler.toOnnx(graph, tensor);
    parts.push(tensor);
  }
  const categoricalInputs = inputs.filter((i) => i.kind === "string").map((i) => i.name);
  steps.encoders.forEach((encoder, i) => parts.push(encoder.toOnnx(graph, categoricalInputs[i])));
  let features = parts[0];
  if (parts.length > 1) {
    features = graph.name("features");
    graph.node("Concat", parts, [features], { axis: { int: 1 } });
  }
  const graphInputs: OnnxValue[] = inputs.map((i) => ({ name: i.name, type: i.kind === "number" ? "float" : "string", shape: ["N", 1] }));
  if (model.task === "classification") {
    const out = model.toOnnx(graph, features);
    graph.node("Identity", [out.label], ["label"]);
    graph.node("Identity", [out.probabilities], ["probabilities"]);
    return builder.finish(graphInputs, [
      { name: "label", type: "int64", shape: ["N"] },
      { name: "probabilities", type: "float", shape: ["N", model.classes.length] },
    ]);
  }
  const out = model.toOnnx(graph, features);
  graph.node("Identity", [out.prediction], ["prediction"]);
  return builder.finish(graphInputs, [{ name: "prediction", type: "float", shape: ["N", 1] }]);
}

/** MLflow's signature of the exported model: a column per graph input, a tensor per output. */
export function pipelineSignature(inputs: readonly PipelineInput[], model: FittedModel): ModelSignature {
  const columns: SchemaItem[] = inputs.map((i) => ({ kind: "column", name: i.name, type: i.kind === "number" ? "double" : "string", required: true }));
  const outputs: SchemaItem[] =
    model.task === "classification"
      ? [
          { kind: "tensor", name: "label", dtype: "int64", shape: [-1] },
          { kind: "tensor", name: "probabilities", dtype: "float32", shape: [-1, model.classes.length] },
        ]
      : [{ kind: "tensor", name: "prediction", dtype: "float32", shape: [-1, 1] }];
  return { inputs: columns, outputs };
}

/**
 * The builder handed to steps and models: it never hands out a reserved name (graph inputs and outputs) or a
 * name it gave before, whatever prefixes the model asks for.
 */
function reservingGraph(builder: OnnxModelBuilder, reserved: readonly string[]): OnnxGraphBuilder {
  const issued = new Set(reserved);
  const name = (prefix: string): string => {
    for (;;) {
      const candidate = builder.name(prefix);
      if (!issued.has(candidate)) {
        issued.add(candidate);
        return candidate;
      }
    }
  };
  return {
    name,
    node: (opType, inputs, outputs, attributes, domain) => builder.node(opType, inputs, outputs, attributes, domain),
    initializer(prefix, dims, values, type) {
      const actual = builder.initializer(name(prefix), dims, values, type);
      issued.add(actual);
      return actual;
    },
  };
}
