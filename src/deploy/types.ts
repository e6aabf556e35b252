/** The model a deployment serves, as `keel serve` will be asked for it. */
export interface DeployModel {
  /** The model URI as the user gave it. */
  readonly uri: string;
  /** A readable name: the registered model's name, or the last segment of an artifact path or directory. */
  readonly name: string;
  /** Absolute path of a local model directory (it holds an MLmodel file); absent for registry and remote URIs. */
  readonly localDir?: string;
}

/** One file of a build context or manifest set, relative to the output directory. */
export interface DeployFile {
  readonly path: string;
  readonly content: string;
}

export interface DockerfileSpec {
  readonly modelUri: string;
  /** Kubernetes-style name of the deployment (DNS-1035 label); embedded models go to /models/<name>. */
  readonly name: string;
  /** File name of Keel's package tarball inside the build context (`keel-0.1.0.tgz`). */
  readonly tarball: string;
  readonly port: number;
  /** True when the model directory is copied into the image rather than fetched when the container starts. */
  readonly embedModel: boolean;
}

export interface DockerContextOptions {
  readonly model: DeployModel;
  /** Kubernetes-style name (DNS-1035 label): the default output directory, image tag and /models/<name>. */
  readonly name: string;
  readonly port: number;
  /** Copy the model directory into the image (always done for a local directory). */
  readonly embedModel: boolean;
  /** The image tag the README's commands use. */
  readonly image: string;
  /** Shown in the README's `docker run -e KEEL_TRACKING_URI=...` when the model is fetched at start. */
  readonly trackingUri?: string;
}

/** What writing a Docker build context needs from outside: packing Keel and downloading a model. */
export interface DockerContextDeps {
  /**
   * Puts Keel's package tarball and its package-lock.json into `dir` (which exists) and resolves with the
   * tarball's file name.
   */
  readonly packKeel: (dir: string) => Promise<string>;
  /**
   * Writes the files of the model directory `uri` names into `dest`, which does not exist yet. Called only to
   * embed a model that is not a local directory.
   */
  readonly fetchModel: (uri: string, dest: string) => Promise<void>;
}

/** Kubernetes resource quantities as written in manifests: CPU like `500m` or `2`, memory like `512Mi`. */
export interface K8sResources {
  readonly cpuRequest: string;
  readonly cpuLimit: string;
  readonly memoryRequest: string;
  readonly memoryLimit: string;
}

export interface K8sManifestOptions {
  readonly modelUri: string;
  /** The name of the Deployment, Service and HorizontalPodAutoscaler, and of the container (DNS-1035 label). */
  readonly name: string;
  readonly image: string;
  readonly namespace?: string;
  /** The Deployment's replicas before the autoscaler first acts. */
  readonly replicas: number;
  readonly minReplicas: number;
  readonly maxReplicas: number;
  /** Average CPU utilisation the autoscaler aims at, in percent of the CPU request. */
  readonly cpuTarget: number;
  readonly resources: K8sResources;
  /** The port `keel serve` listens on inside the image. */
  readonly port: number;
  /** Set as KEEL_TRACKING_URI in the pods when given. */
  readonly trackingUri?: string;
}
