export { createLogisticRegression, type LogisticRegressionLearner } from "./logistic-regression.js";
export {
  createFittedLogisticRegression,
  logisticRegressionFromJson,
  LOGISTIC_REGRESSION_KIND,
  type FittedLogisticRegression,
  type LogisticRegressionState,
} from "./fitted-logistic-regression.js";
export { createLinearRegression, createRidge, type LinearRegressorLearner } from "./linear-regression.js";
export {
  createFittedLinearRegressor,
  linearRegressorFromJson,
  LINEAR_REGRESSION_KIND,
  RIDGE_KIND,
  type FittedLinearRegressor,
  type LinearRegressorKind,
  type LinearRegressorState,
} from "./fitted-linear-regression.js";
export { minimizeLbfgs, type LbfgsOptions, type LbfgsResult, type Objective } from "./lbfgs.js";
