import type { MlModel } from "../core/mlmodel.js";
import { writeOnnxModelDirectory } from "../core/onnx-model-directory.js";
import type { Frame } from "../core/frame.js";
import type { FittedPipeline } from "./pipeline.js";
import { pipelineInputExample } from "./pipeline-input-example.js";

/**
 * Writes a fitted pipeline as an MLflow model directory: model.onnx (preprocessing and model in one graph),
 * MLmodel with the onnx and python_function flavors and the pipeline's signature, the input example (from the first rows of
 * `exampleRows`) when given, and the Python environment files. `mlflow.pyfunc.load_model(dir)` loads it; so does `keel serve`.
 *
 * @example
 * await saveModel(fitted, "./churn-model", { exampleRows: frame }); // input_example.json from its first rows
 */
export function saveModel(fitted: FittedPipeline, dir: string, options: { readonly exampleRows?: Frame } = {}): Promise<MlModel> {
  return writeOnnxModelDirectory(dir, fitted.exportOnnx(), {
    signature: fitted.signature(),
    ...(options.exampleRows ? { inputExample: pipelineInputExample(fitted, options.exampleRows) } : {}),
  });
}
