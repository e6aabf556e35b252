export type { ArtifactStore, FileInfo } from "./artifact-store.js";
export { artifactLocationToStorePath, validateArtifactLocation } from "./artifact-location.js";
export { createArtifactStore } from "./create-artifact-store.js";
export { createLocalArtifactStore } from "./local-artifact-store.js";
export { createS3ArtifactStore } from "./s3-artifact-store.js";
export type { S3ArtifactStoreOptions } from "./s3-artifact-store.js";
export { joinArtifactPath, safeArtifactPath } from "./safe-path.js";
