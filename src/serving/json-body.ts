/**
 * Request bodies as JSON. Python clients write float NaN and infinities as the bare tokens `NaN`, `Infinity`
 * and `-Infinity` (json.dumps does by default, and MLflow's own client sends DataFrames through it), which
 * JSON.parse refuses. Such a body is parsed a second time with those tokens rewritten outside strings:
 * NaN becomes null (Keel's missing value, NaN again for float inputs) and the infinities become 1e999 and
 * -1e999, which JSON.parse reads as ±Infinity. The rewrite runs only after a failed parse, so a valid body
 * costs one JSON.parse.
 */
import { KeelError } from "../core/errors.js";
import type { ErrorCode } from "../core/errors.js";

export function bodyText(body: string | Buffer): string {
  return typeof body === "string" ? body : body.toString("utf8");
}

/** Parses a request body, throwing `code` with a message that says what is wrong and what to send. */
export function parseJsonBody(body: string | Buffer, code: ErrorCode, expected: string): unknown {
  const text = bodyText(body);
  try {
    return JSON.parse(text);
  } catch (error) {
    if (/NaN|Infinity/.test(text)) {
      try {
        return JSON.parse(rewritePythonConstants(text));
      } catch {
        // Report the error of the body as sent, not of the rewrite.
      }
    }
    const reason = error instanceof Error ? error.message : String(error);
    const what = text.trim() === "" ? "The request body is empty" : `The request body is not valid JSON (${reason})`;
    throw new KeelError(code, `${what}. Send ${expected}.`);
  }
}

function rewritePythonConstants(text: string): string {
  let out = "";
  let from = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
      continue;
    }
    if (c === 0x22) inString = true;
    else if (c === 0x4e && text.startsWith("NaN", i)) {
      out += `${text.slice(from, i)}null`;
      i += 2;
      from = i + 1;
    } else if (c === 0x49 && text.startsWith("Infinity", i)) {
      out += `${text.slice(from, i)}1e999`;
      i += 7;
      from = i + 1;
    }
  }
  return out + text.slice(from);
}
