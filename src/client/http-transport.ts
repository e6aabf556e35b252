import type { ErrorCode } from "../core/errors.js";
import { KeelError, isErrorCode } from "../core/errors.js";

export type FetchFunction = typeof fetch;

export type RequestBody = NonNullable<RequestInit["body"]>;

/** Query-string values; arrays become repeated keys, as MLflow's GET endpoints expect. */
export type QueryValue = string | number | boolean | readonly string[] | undefined;

export interface HttpTransportOptions {
  /** `http(s)://host:port`, without a trailing slash. */
  readonly trackingUri: string;
  /** Replaces global fetch, for tests. */
  readonly fetch?: FetchFunction;
  /** Sent with every request, e.g. an Authorization header for a proxy in front of the server. */
  readonly headers?: Readonly<Record<string, string>>;
}

/** The HTTP layer of the client: one base URL, JSON in and out, every failure a KeelError. */
export interface HttpTransport {
  readonly trackingUri: string;
  getJson<T>(path: string, query?: Readonly<Record<string, QueryValue>>): Promise<T>;
  postJson<T>(path: string, body: unknown): Promise<T>;
  /** Any request; answers outside 2xx become KeelErrors, the body is left to the caller. */
  send(method: string, path: string, init?: { body?: RequestBody; headers?: Record<string, string> }): Promise<Response>;
}

/** For answers that carry no MLflow error body (a proxy's HTML page, say). */
const CODE_BY_STATUS: Readonly<Record<number, ErrorCode>> = {
  400: "BAD_REQUEST",
  401: "UNAUTHENTICATED",
  403: "PERMISSION_DENIED",
  404: "NOT_FOUND",
  409: "RESOURCE_CONFLICT",
  429: "REQUEST_LIMIT_EXCEEDED",
  501: "NOT_IMPLEMENTED",
  503: "TEMPORARILY_UNAVAILABLE",
};

const CONNECTION_ERROR_CODES = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH", "ECONNRESET", "ETIMEDOUT"]);

export function encodeQuery(query: Readonly<Record<string, QueryValue>>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const item of value as readonly string[]) params.append(key, item);
    else params.append(key, String(value));
  }
  const text = params.toString();
  return text === "" ? "" : `?${text}`;
}

/** The KeelError for a non-2xx answer: MLflow's `{error_code, message}` when present, else the HTTP status. */
export async function errorFromResponse(response: Response, method: string, path: string): Promise<KeelError> {
  const text = await response.text().catch(() => "");
  try {
    const body = JSON.parse(text) as { error_code?: unknown; message?: unknown };
    if (body && typeof body === "object" && (body.error_code !== undefined || typeof body.message === "string")) {
      const code = isErrorCode(body.error_code) ? body.error_code : "INTERNAL_ERROR";
      const message = typeof body.message === "string" && body.message !== "" ? body.message : `${method} ${path} failed with HTTP ${response.status}`;
      return new KeelError(code, message);
    }
  } catch {
    // not JSON: described from the status below
  }
  const code = CODE_BY_STATUS[response.status] ?? "INTERNAL_ERROR";
  const snippet = text.trim().slice(0, 200);
  return new KeelError(code, `${method} ${path} failed with HTTP ${response.status}${snippet ? `: ${snippet}` : ""}`);
}

function connectionErrorCode(error: unknown): string | undefined {
  for (let e: unknown = error, depth = 0; e && typeof e === "object" && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && CONNECTION_ERROR_CODES.has(code)) return code;
  }
  return undefined;
}

/** The error for a server that cannot be reached, saying how to start one. */
export function unreachableError(trackingUri: string, error: unknown): KeelError {
  const reason = connectionErrorCode(error) ?? (error instanceof Error ? error.message : String(error));
  return new KeelError(
    "TEMPORARILY_UNAVAILABLE",
    `the tracking server at ${trackingUri} is unreachable (${reason}); start one with \`keel server\`, ` +
      "or point --tracking-uri / KEEL_TRACKING_URI at a running server",
    { cause: error },
  );
}

/**
 * The client's HTTP layer over global fetch (Node's fetch keeps connections alive between requests).
 *
 * @example
 * const http = createHttpTransport({ trackingUri: "http://127.0.0.1:5000" });
 * const body = await http.getJson("/api/2.0/mlflow/experiments/get", { experiment_id: "0" });
 */
export function createHttpTransport(options: HttpTransportOptions): HttpTransport {
  const fetchFn = options.fetch ?? fetch;
  const base = options.trackingUri.replace(/\/+$/, "");
  const baseHeaders = options.headers ?? {};

  async function send(method: string, path: string, init: { body?: RequestBody; headers?: Record<string, string> } = {}): Promise<Response> {
    let response: Response;
    try {
      response = await fetchFn(`${base}${path}`, {
        method,
        headers: { ...baseHeaders, ...init.headers },
        ...(init.body !== undefined ? { body: init.body } : {}),
        // A streamed upload body needs half-duplex mode in Node's fetch.
        ...(init.body !== undefined && typeof init.body === "object" && "getReader" in init.body ? { duplex: "half" } : {}),
      } as RequestInit);
    } catch (error) {
      throw unreachableError(base, error);
    }
    if (!response.ok) throw await errorFromResponse(response, method, path.split("?")[0]);
    return response;
  }

  async function json<T>(response: Response, method: string, path: string): Promise<T> {
    const text = await response.text();
    if (text === "") return {} as T;
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new KeelError("INTERNAL_ERROR", `${method} ${path} answered with a body that is not JSON; is ${base} a Keel or MLflow tracking server?`);
    }
  }

  return {
    trackingUri: base,
    send,
    async getJson<T>(path: string, query: Readonly<Record<string, QueryValue>> = {}): Promise<T> {
      return json<T>(await send("GET", `${path}${encodeQuery(query)}`), "GET", path);
    },
    async postJson<T>(path: string, body: unknown): Promise<T> {
      const response = await send("POST", path, { body: JSON.stringify(body), headers: { "Content-Type": "application/json" } });
      return json<T>(response, "POST", path);
    },
  };
}
