import type { FastifyError, FastifyInstance } from "fastify";
import type { ErrorCode } from "../core/errors.js";
import { KeelError } from "../core/errors.js";
import type { Logger } from "../core/log.js";

interface ValidationIssue {
  readonly keyword: string;
  readonly instancePath: string;
  readonly params: Record<string, unknown>;
  readonly message?: string;
}

/** Names the parameter an ajv issue is about, MLflow-style: `metrics[3].value`. */
function parameterName(issue: ValidationIssue): string {
  const segments = issue.instancePath.split("/").filter(Boolean);
  if (issue.keyword === "required") segments.push(String(issue.params.missingProperty));
  return segments.map((s, i) => (/^\d+$/.test(s) ? `[${s}]` : i === 0 ? s : `.${s}`)).join("");
}

function validationMessage(issues: readonly ValidationIssue[]): string {
  const issue = issues.find((i) => i.keyword === "required") ?? issues[0];
  const name = parameterName(issue);
  if (issue.keyword === "required") {
    return `Missing value for required parameter '${name}'. See the API docs for more information about request parameters.`;
  }
  if (name === "") return "the request body must be a JSON object";
  const expected = issues
    .filter((i) => i.instancePath === issue.instancePath && i.keyword === "type")
    .map((i) => String(i.params.type));
  const what = expected.length > 0 ? `expected ${[...new Set(expected)].join(" or ")}` : (issue.message ?? "invalid value");
  return `Invalid value for parameter '${name}': ${what}.`;
}

/** Turns fastify's own 4xx errors into MLflow codes; they are all the caller's fault. */
function fastifyErrorCode(error: FastifyError): { code: ErrorCode; message: string } {
  switch (error.code) {
    case "FST_ERR_CTP_INVALID_JSON_BODY":
    case "FST_ERR_CTP_EMPTY_JSON_BODY":
      return { code: "MALFORMED_REQUEST", message: `malformed JSON request body: ${error.message}` };
    case "FST_ERR_CTP_BODY_TOO_LARGE":
      return { code: "INVALID_PARAMETER_VALUE", message: "request body is too large; MLflow's limit for log-batch is 1 MB, split the batch" };
    case "FST_ERR_CTP_INVALID_MEDIA_TYPE":
      return { code: "INVALID_PARAMETER_VALUE", message: "unsupported Content-Type; send JSON with 'Content-Type: application/json'" };
    default:
      if (error instanceof SyntaxError) return { code: "MALFORMED_REQUEST", message: `malformed JSON request body: ${error.message}` };
      return { code: "BAD_REQUEST", message: error.message };
  }
}

/**
 * The one place where errors become HTTP answers: `{error_code, message}` with MLflow's status for the code.
 * Anything unexpected is an INTERNAL_ERROR whose detail goes to the log, never to the caller.
 */
export function installErrorHandler(app: FastifyInstance, logger: Logger): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof KeelError) {
      return reply.status(error.httpStatus).send({ error_code: error.code, message: error.message });
    }
    if (error.validation) {
      return reply.status(400).send({ error_code: "INVALID_PARAMETER_VALUE", message: validationMessage(error.validation as ValidationIssue[]) });
    }
    if (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500) {
      const { code, message } = fastifyErrorCode(error);
      return reply.status(error.statusCode === 413 ? 413 : 400).send({ error_code: code, message });
    }
    logger.error("request failed", { method: request.method, url: request.url, error: String(error.stack ?? error) });
    return reply.status(500).send({ error_code: "INTERNAL_ERROR", message: "internal server error; the server log has the details" });
  });
  app.setNotFoundHandler((request, reply) => {
    return reply.status(404).send({
      error_code: "ENDPOINT_NOT_FOUND",
      message: `no endpoint ${request.method} ${request.url.split("?")[0]}; see the README for the API Keel serves`,
    });
  });
}
