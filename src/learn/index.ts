/**
 * Keel's learn API (`keel/learn`): read tables, build pipelines of preprocessing and a learner, fit, predict,
 * evaluate and export ONNX; tracked training and autologging to a run of the SDK.
 */
export type { Column, Frame } from "../core/frame.js";
export type { FitOptions, FittedClassifier, FittedModel, FittedRegressor, Learner, Matrix, Params, ProgressCallback, Target, Task } from "./types.js";
export { dataDigest, frameFromColumns, inferTask, numberColumn, readTable, stringColumn } from "./data/index.js";
export type { DataDigest, MlflowDatasetEntry, ReadTableOptions } from "./data/index.js";
export { createPipeline, pipelineFromJson } from "./pipeline.js";
export type { FittedClassificationPipeline, FittedPipeline, FittedRegressionPipeline, Pipeline, PipelineFitOptions, PipelineOptions } from "./pipeline.js";
export { kFold, stratifiedKFold, takeRows, trainTestSplit } from "./split.js";
export { LEARNER_NAMES, createLearner, parseParamValue } from "./learner-catalog.js";
export { createLinearRegression, createLogisticRegression, createRidge } from "./linear/index.js";
export { createDecisionTreeClassifier, createDecisionTreeRegressor, createRandomForestClassifier, createRandomForestRegressor } from "./trees/index.js";
export { createHistGradientBoostingClassifier, createHistGradientBoostingRegressor } from "./gbdt/index.js";
export * from "./metrics/index.js";
export { withAutolog } from "./autolog.js";
export type { AutologOptions } from "./autolog.js";
export { saveModel } from "./save-model.js";
export { trainTracked } from "./tracked-training.js";
export type { TrainOptions, TrainSummary } from "./tracked-training.js";
export type { TrainingSink } from "./training-sink.js";
