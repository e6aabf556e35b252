import { request } from "node:http";

/**
 * Sends a request with the path exactly as given: fetch() and the WHATWG URL parser would resolve '..'
 * segments and re-encode characters before they reach the server, hiding the shapes attackers send.
 */
export function rawRequest(
  baseUrl: string,
  method: string,
  rawPath: string,
  body?: string | Buffer,
  headers: Record<string, string> = {},
): Promise<{ status: number; text: string }> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const req = request({ hostname, port, method, path: rawPath, headers: { ...(body !== undefined ? { "content-length": String(Buffer.byteLength(body)) } : {}), ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString("utf8") }));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(body);
  });
}
