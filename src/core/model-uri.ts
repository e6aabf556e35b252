/**
 * Model URIs as MLflow writes them (mlflow/store/artifact/utils/models.py `_parse_model_uri`,
 * runs_artifact_repo.py `parse_runs_uri`), parsed without touching the network. Keel is stricter than MLflow
 * where MLflow's leniency has been a security problem: run-relative paths may not climb out of the run.
 */
import { invalidParameter } from "./errors.js";
import { percentDecodeFully } from "./percent-decode.js";

export type ModelUri =
  | { kind: "version"; name: string; version: string }
  | { kind: "stage"; name: string; stage: string }
  | { kind: "latest"; name: string }
  | { kind: "alias"; name: string; alias: string }
  | { kind: "run"; runId: string; path: string }
  | { kind: "artifact"; uri: string };

export const MODEL_STAGES = ["None", "Staging", "Production", "Archived"] as const;
export type ModelStage = (typeof MODEL_STAGES)[number];

/** URI schemes Keel's artifact stores can read a model from; a path with no scheme is a local directory. */
export const ARTIFACT_URI_SCHEMES = ["mlflow-artifacts", "s3", "file"] as const;

const MAX_ALIAS_LENGTH = 255;
// Python's \w is Unicode-aware, so MLflow accepts letters and digits of any script.
const ALIAS_PATTERN = /^[\p{L}\p{N}_-]*$/u;
const VERSION_ALIAS_PATTERN = /^[vV]\p{Nd}+$/u;
const RUN_ID_PATTERN = /^[a-zA-Z0-9][\w-]{0,255}$/;

const MODELS_FORMS =
  "Models URIs must be of the form 'models:/<name>/<version>', 'models:/<name>/<stage>' " +
  `(stage one of ${MODEL_STAGES.join(", ")}), 'models:/<name>/latest' or 'models:/<name>@<alias>'.`;
const RUNS_FORM = "Runs URIs must be of the form 'runs:/<run_id>/<path inside the run>'.";

/** The canonical spelling of a stage name given in any case ("production" → "Production"). */
export function normaliseStage(stage: string): ModelStage | undefined {
  const key = stage.toLowerCase();
  return MODEL_STAGES.find((s) => s.toLowerCase() === key);
}

/**
 * Check a registered model alias against MLflow's rules (mlflow/utils/validation.py
 * `_validate_model_alias_name`), with MLflow's messages, and return it. Takes request input as it comes.
 */
export function validateAlias(alias: unknown): string {
  if (alias === undefined || alias === null || alias === "") {
    throw invalidParameter("Registered model alias name cannot be empty.");
  }
  if (typeof alias !== "string") throw invalidParameter(`Registered model alias name must be a string, got ${typeof alias}.`);
  if (!ALIAS_PATTERN.test(alias)) {
    throw invalidParameter(
      `Invalid alias name: '${alias}'. Names may only contain alphanumerics, underscores (_), and dashes (-).`,
    );
  }
  if ([...alias].length > MAX_ALIAS_LENGTH) {
    throw invalidParameter(
      `'Registered model alias name' exceeds the maximum length of ${MAX_ALIAS_LENGTH} characters`,
    );
  }
  if (alias.toLowerCase() === "latest") {
    throw invalidParameter("'latest' alias name (case insensitive) is reserved.");
  }
  if (VERSION_ALIAS_PATTERN.test(alias)) throw invalidParameter(`Version alias name '${alias}' is reserved.`);
  return alias;
}

/** Parse a model URI: a registry reference, a run-relative path, or an artifact location. */
export function parseModelUri(uri: string): ModelUri {
  if (uri.trim() === "") throw invalidParameter(`a model URI is required. ${MODELS_FORMS}`);
  if (uri.includes("\0")) throw invalidParameter("a model URI may not contain NUL characters");
  const match = /^([A-Za-z][A-Za-z0-9+.-]*):(.*)$/s.exec(uri);
  // A one-letter "scheme" is a Windows drive (C:\models\m), i.e. a local path.
  if (!match || match[1].length === 1) return { kind: "artifact", uri };
  const scheme = match[1].toLowerCase();
  if (scheme === "models") return parseModelsUri(uri, match[2]);
  if (scheme === "runs") return parseRunsUri(uri, match[2]);
  if (!(ARTIFACT_URI_SCHEMES as readonly string[]).includes(scheme)) {
    throw invalidParameter(
      `Keel cannot read models from '${scheme}:' URIs (${uri}); use models:/, runs:/, ` +
        `${ARTIFACT_URI_SCHEMES.map((s) => `${s}:`).join(", ")} or a local directory path`,
    );
  }
  // mlflow-artifacts paths are relative to the server's artifact root, so they must not climb out of it.
  if (scheme === "mlflow-artifacts" && hasParentSegment(match[2])) {
    throw invalidParameter(`'..' is not allowed in an mlflow-artifacts URI: ${uri}`);
  }
  return { kind: "artifact", uri };
}

/** Write a parsed URI back; refuses values that would not parse back to the same URI (a name with '/'). */
export function formatModelUri(u: ModelUri): string {
  const text = uriText(u);
  const parsed = parseModelUri(text);
  const expected = u.kind === "stage" ? { ...u, stage: normaliseStage(u.stage) ?? u.stage } : u;
  if (JSON.stringify(parsed) !== JSON.stringify(expected)) {
    throw invalidParameter(`${JSON.stringify(u)} cannot be written as a model URI: it would read back as ${text}`);
  }
  return text;
}

function uriText(u: ModelUri): string {
  switch (u.kind) {
    case "version":
      return `models:/${u.name}/${u.version}`;
    case "stage":
      return `models:/${u.name}/${normaliseStage(u.stage) ?? u.stage}`;
    case "latest":
      return `models:/${u.name}/latest`;
    case "alias":
      return `models:/${u.name}@${u.alias}`;
    case "run":
      return `runs:/${u.runId}/${u.path}`;
    case "artifact":
      return u.uri;
  }
}

function improperModelsUri(uri: string, reason: string): Error {
  return invalidParameter(`Not a proper models:/ URI: ${uri}. ${reason}. ${MODELS_FORMS}`);
}

function parseModelsUri(uri: string, rest: string): ModelUri {
  if (rest.startsWith("//")) {
    throw improperModelsUri(
      uri,
      "'models://<profile>/...' names a Databricks workspace profile; Keel's registry is the server itself, " +
        "so drop the profile",
    );
  }
  if (/[?#]/.test(rest)) throw improperModelsUri(uri, "it may not contain '?' or '#'");
  if (!rest.startsWith("/") || rest.length <= 1) throw improperModelsUri(uri, "the name is missing");
  const parts = rest.slice(1).split("/");
  if (parts.length > 2) {
    throw improperModelsUri(uri, "a model name cannot contain '/' and nothing may follow the version, stage or alias");
  }
  if (parts[0].trim() === "") throw improperModelsUri(uri, "the name is empty");
  if (parts.length === 2) {
    const [name, suffix] = parts;
    if (suffix.trim() === "") throw improperModelsUri(uri, "the version, stage or 'latest' after the name is missing");
    if (/^[0-9]+$/.test(suffix)) return { kind: "version", name, version: suffix };
    if (suffix.toLowerCase() === "latest") return { kind: "latest", name };
    const stage = normaliseStage(suffix);
    if (stage === undefined) {
      throw improperModelsUri(uri, `'${suffix}' is neither a version number, a stage nor 'latest'`);
    }
    return { kind: "stage", name, stage };
  }
  const at = parts[0].lastIndexOf("@");
  if (at < 0) {
    throw improperModelsUri(
      uri,
      "'models:/<model_id>' (an MLflow 3 logged-model ID) is not supported by Keel; name a registered model version",
    );
  }
  const name = parts[0].slice(0, at);
  const alias = parts[0].slice(at + 1);
  if (name.trim() === "" || alias.trim() === "") throw improperModelsUri(uri, "the name or the alias is empty");
  try {
    validateAlias(alias);
  } catch (err) {
    throw improperModelsUri(uri, (err as Error).message.replace(/\.$/, ""));
  }
  return { kind: "alias", name, alias };
}

function parseRunsUri(uri: string, rest: string): ModelUri {
  const improper = (reason: string): Error =>
    invalidParameter(`Not a proper runs:/ URI: ${uri}. ${reason}. ${RUNS_FORM}`);
  if (!rest.startsWith("/") || rest.startsWith("//")) throw improper("it must start with 'runs:/' and a run ID");
  if (/[?#]/.test(rest)) throw improper("it may not contain '?' or '#'");
  const slash = rest.indexOf("/", 1);
  const runId = slash < 0 ? rest.slice(1) : rest.slice(1, slash);
  if (runId === "") throw improper("the run ID is missing");
  if (!RUN_ID_PATTERN.test(runId)) throw improper(`'${runId}' is not a valid run ID`);
  const path = slash < 0 ? "" : rest.slice(slash + 1).replace(/\/+$/, "");
  if (path === "") throw improper("the path of the model inside the run is missing");
  const unsafe = unsafePathReason(path);
  if (unsafe !== undefined) throw improper(`the path ${unsafe}`);
  return { kind: "run", runId, path };
}

/**
 * Why a run-relative path is unsafe, or undefined. Checked on the percent-decoded text (decoded until it stops
 * changing), since MLflow's path-traversal CVEs came through encoded '..' and absolute paths.
 */
function unsafePathReason(path: string): string | undefined {
  const decoded = percentDecodeFully(path);
  if (decoded === undefined) return "has malformed percent-encoding";
  if (decoded.includes("\0")) return "may not contain NUL characters";
  if (decoded.includes("\\")) return "may not contain backslashes";
  if (decoded.startsWith("/") || /^[A-Za-z]:/.test(decoded)) return "must be relative, not absolute";
  const segments = decoded.split("/");
  if (segments.includes("..")) return "may not contain '..' segments";
  if (segments.some((s) => s === "" || s === ".")) return "may not contain empty or '.' segments";
  return undefined;
}

function hasParentSegment(text: string): boolean {
  const decoded = percentDecodeFully(text) ?? text;
  return decoded.split(/[/\\]/).includes("..");
}
