export { createHistGradientBoostingClassifier, createHistGradientBoostingRegressor, histGradientBoostingFromJson } from "./hist-gradient-boosting.js";
export type { HgbClassifierLearner, HgbRegressorLearner } from "./hist-gradient-boosting.js";
export { HGB_CLASSIFIER_KIND, HGB_REGRESSOR_KIND } from "./fitted-hist-gradient-boosting.js";
export type { FittedHgbClassifier, FittedHgbRegressor } from "./fitted-hist-gradient-boosting.js";
export type { HgbJson } from "./hgb-json.js";
