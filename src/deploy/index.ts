export { describeDeployModel } from "./deploy-model.js";
export { BASE_IMAGE, dockerfile, dockerignore, dockerReadme, servedModel, writeDockerContext } from "./docker-context.js";
export { findKeelRoot, packKeel } from "./keel-package.js";
export { deploymentManifest, hpaManifest, k8sManifestFiles, kustomizationManifest, serviceManifest, writeK8sManifests } from "./k8s-manifests.js";
export { checkImage, checkK8sOptions, checkNamespace, checkResourceName, kubernetesName, parseCpu, parseMemory } from "./k8s-validation.js";
export type { DeployFile, DeployModel, DockerContextDeps, DockerContextOptions, DockerfileSpec, K8sManifestOptions, K8sResources } from "./types.js";
