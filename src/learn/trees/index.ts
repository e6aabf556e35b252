/**
 * Decision trees and random forests, and the tree representation shared with gradient boosting.
 */
export { createDecisionTreeClassifier, createDecisionTreeRegressor } from "./decision-tree.js";
export { createRandomForestClassifier, createRandomForestRegressor } from "./random-forest.js";
export type { FittedTreeClassifier, FittedTreeRegressor, TreeClassifierLearner, TreeModelJson, TreeRegressorLearner } from "./fitted-tree-models.js";
export {
  DECISION_TREE_CLASSIFIER_KIND,
  DECISION_TREE_REGRESSOR_KIND,
  RANDOM_FOREST_CLASSIFIER_KIND,
  RANDOM_FOREST_REGRESSOR_KIND,
} from "./fitted-tree-models.js";
export { treeModelFromJson } from "./tree-model-json.js";
export type { Tree, TreeJson } from "./tree.js";
export { leafCount, predictTree, treeDepth, treeFromJson, treeToJson } from "./tree.js";
