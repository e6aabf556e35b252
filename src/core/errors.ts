/**
 * The one error type of Keel. Its code is one of MLflow's error code names, so that the server can answer
 * with MLflow's `{error_code, message}` body and MLflow clients recognise it.
 */
export type ErrorCode =
  | "INVALID_PARAMETER_VALUE"
  | "BAD_REQUEST"
  | "MALFORMED_REQUEST"
  | "RESOURCE_ALREADY_EXISTS"
  | "RESOURCE_DOES_NOT_EXIST"
  | "NOT_FOUND"
  | "ENDPOINT_NOT_FOUND"
  | "PERMISSION_DENIED"
  | "UNAUTHENTICATED"
  | "INVALID_STATE"
  | "RESOURCE_CONFLICT"
  | "REQUEST_LIMIT_EXCEEDED"
  | "NOT_IMPLEMENTED"
  | "TEMPORARILY_UNAVAILABLE"
  | "INTERNAL_ERROR";

/** MLflow's code → HTTP status table (mlflow/exceptions.py); RESOURCE_ALREADY_EXISTS is 400 there, not 409. */
export const HTTP_STATUS_BY_CODE: Readonly<Record<ErrorCode, number>> = {
  INVALID_PARAMETER_VALUE: 400,
  BAD_REQUEST: 400,
  MALFORMED_REQUEST: 400,
  RESOURCE_ALREADY_EXISTS: 400,
  RESOURCE_DOES_NOT_EXIST: 404,
  NOT_FOUND: 404,
  ENDPOINT_NOT_FOUND: 404,
  PERMISSION_DENIED: 403,
  UNAUTHENTICATED: 401,
  INVALID_STATE: 500,
  RESOURCE_CONFLICT: 409,
  REQUEST_LIMIT_EXCEEDED: 429,
  NOT_IMPLEMENTED: 501,
  TEMPORARILY_UNAVAILABLE: 503,
  INTERNAL_ERROR: 500,
};

export class KeelError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "KeelError";
    this.code = code;
  }

  get httpStatus(): number {
    return HTTP_STATUS_BY_CODE[this.code];
  }
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === "string" && value in HTTP_STATUS_BY_CODE;
}

/** Shorthand for the most common error: bad input from the caller. */
export function invalidParameter(message: string): KeelError {
  return new KeelError("INVALID_PARAMETER_VALUE", message);
}

export function notFound(message: string): KeelError {
  return new KeelError("RESOURCE_DOES_NOT_EXIST", message);
}
