import { stat } from "node:fs/promises";
import { basename, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { invalidParameter } from "../core/errors.js";
import { MODEL_FILES } from "../core/mlmodel.js";
import { parseModelUri } from "../core/model-uri.js";
import type { DeployModel } from "./types.js";

async function isDirectory(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined))?.isDirectory() === true;
}

async function isFile(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined))?.isFile() === true;
}

function lastSegment(path: string): string {
  return path.replace(/[/\\]+$/, "").split(/[/\\]/).pop() ?? "";
}

/** The local directory a URI names: a path with no scheme, or a `file:` URI; undefined for anything else. */
function localPath(uri: string, cwd: string): string | undefined {
  if (/^file:/i.test(uri)) {
    try {
      return fileURLToPath(uri);
    } catch {
      throw invalidParameter(`'${uri}' is not a valid file: URI; give an absolute file:///path or a plain directory path`);
    }
  }
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(uri);
  return scheme && scheme[1].length > 1 ? undefined : resolve(cwd, uri);
}

/**
 * What a deployment needs to know about a model URI before anything is written: registry and run URIs as
 * `keel serve` takes them, or a local model directory (a path or `file:` URI), which must hold an MLmodel
 * file. Throws INVALID_PARAMETER_VALUE for a malformed URI, an unknown scheme, or a directory that is missing
 * or not a model.
 *
 * @example
 * await describeDeployModel("models:/churn@production"); // { uri, name: "churn" }
 */
export async function describeDeployModel(uri: string, cwd = process.cwd()): Promise<DeployModel> {
  // The URI is written into Dockerfile and YAML comments, where a line break would start a new instruction.
  if (/\p{Cc}/u.test(uri)) throw invalidParameter("a model URI may not contain control characters such as line breaks");
  const parsed = parseModelUri(uri);
  switch (parsed.kind) {
    case "version":
    case "stage":
    case "latest":
    case "alias":
      return { uri, name: parsed.name };
    case "run":
      return { uri, name: lastSegment(parsed.path) };
    case "artifact": {
      const dir = localPath(uri, cwd);
      if (dir === undefined) return { uri, name: lastSegment(uri.replace(/^[^:]+:\/*/, "")) };
      if (!(await isDirectory(dir))) {
        throw invalidParameter(
          `'${uri}' is neither a model URI (models:/NAME/VERSION, models:/NAME@ALIAS, runs:/RUN_ID/PATH) nor an existing directory`,
        );
      }
      if (!(await isFile(join(dir, MODEL_FILES.mlmodel)))) {
        throw invalidParameter(`${dir} has no ${MODEL_FILES.mlmodel} file; a local model must be an MLflow model directory (MLmodel and model.onnx)`);
      }
      return { uri, name: basename(dir), localDir: dir };
    }
  }
}
