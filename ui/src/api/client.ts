/**
 * The UI's HTTP client: MLflow's REST API under /ajax-api/2.0 (as MLflow's own UI calls it) and Keel's own
 * endpoints. Errors come back as ApiError with the server's `error_code` and message, shown to the user as
 * they are.
 */
export class ApiError extends Error {
  readonly code: string;
  readonly status: number;

  constructor(code: string, message: string, status: number) {
    super(message);
    this.name = "ApiError";
    this.code = code;
    this.status = status;
  }
}

type Query = Readonly<Record<string, string | number | boolean | readonly (string | number)[] | undefined>>;

function queryString(query: Query): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const v of value) params.append(key, String(v));
    else params.append(key, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : "";
}

async function answer<T>(response: Response): Promise<T> {
  const text = await response.text();
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : {};
  } catch {
    throw new ApiError("INTERNAL_ERROR", `the server answered ${response.status} with something that is not JSON`, response.status);
  }
  if (!response.ok) {
    const error = body as { error_code?: string; message?: string };
    throw new ApiError(error.error_code ?? "INTERNAL_ERROR", error.message ?? `HTTP ${response.status}`, response.status);
  }
  return body as T;
}

/** GET `path` (e.g. `/mlflow/runs/get`) under /ajax-api/2.0. */
export async function apiGet<T>(path: string, query: Query = {}, signal?: AbortSignal): Promise<T> {
  return answer<T>(await fetch(`/ajax-api/2.0${path}${queryString(query)}`, { signal }));
}

/** POST a JSON body to `path` under /ajax-api/2.0. */
export async function apiPost<T>(path: string, body: unknown, signal?: AbortSignal): Promise<T> {
  return answer<T>(
    await fetch(`/ajax-api/2.0${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body), signal }),
  );
}

/** The URL of a run artifact's content (served by the tracking server). */
export function artifactUrl(runId: string, path: string): string {
  return `/get-artifact${queryString({ run_id: runId, path })}`;
}
