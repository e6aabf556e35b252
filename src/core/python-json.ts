/**
 * JSON text as Python's `json.dumps` writes it with its defaults, which is how MLflow writes signature
 * strings in MLmodel files and input_example.json: `", "` and `": "` separators, non-ASCII escaped as
 * `\uXXXX` (ensure_ascii), floats in `repr` form (`1.0`, `1e-05`, `1e+16`) and NaN/Infinity as bare words.
 * Matching it byte for byte keeps Keel-written files indistinguishable from MLflow's.
 */
import { invalidParameter } from "./errors.js";

/**
 * A number that Python would hold as a float. JavaScript has one number type, so an integral value such as 3
 * would otherwise be written as the int `3`; MLflow writes a float column's 3 as `3.0`, and pandas reads the
 * two back as different dtypes.
 */
export interface PythonFloat {
  readonly kind: "python-float";
  readonly value: number;
}

export function pythonFloat(value: number): PythonFloat {
  return { kind: "python-float", value };
}

export function isPythonFloat(value: unknown): value is PythonFloat {
  return (
    typeof value === "object" &&
    value !== null &&
    (value as { kind?: unknown }).kind === "python-float" &&
    typeof (value as { value?: unknown }).value === "number"
  );
}

/** Python's `repr(float)`: shortest round-trip digits, fixed notation for exponents -4..15, else `1e+16`. */
export function pythonFloatRepr(value: number): string {
  if (Number.isNaN(value)) return "NaN";
  if (value === Infinity) return "Infinity";
  if (value === -Infinity) return "-Infinity";
  if (value === 0) return Object.is(value, -0) ? "-0.0" : "0.0";
  const sign = value < 0 ? "-" : "";
  // toExponential() without an argument gives the shortest digits that round-trip, as repr does.
  const [mantissa, exponentText] = Math.abs(value).toExponential().split("e");
  const digits = mantissa.replace(".", "");
  const exponent = Number(exponentText);
  if (exponent < -4 || exponent >= 16) {
    const fraction = digits.length > 1 ? `.${digits.slice(1)}` : "";
    const expSign = exponent < 0 ? "-" : "+";
    return `${sign}${digits[0]}${fraction}e${expSign}${String(Math.abs(exponent)).padStart(2, "0")}`;
  }
  if (exponent < 0) return `${sign}0.${"0".repeat(-exponent - 1)}${digits}`;
  const intPart = digits.slice(0, exponent + 1).padEnd(exponent + 1, "0");
  const fracPart = digits.slice(exponent + 1);
  return `${sign}${intPart}.${fracPart === "" ? "0" : fracPart}`;
}

function pythonIntRepr(value: number): string {
  // Past 1e21 JavaScript switches to exponent notation; a Python int always prints every digit.
  return Math.abs(value) >= 1e21 ? BigInt(value).toString() : String(value);
}

function pythonStringRepr(text: string): string {
  let out = '"';
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const ch = text[i];
    if (ch === '"') out += '\\"';
    else if (ch === "\\") out += "\\\\";
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\t") out += "\\t";
    else if (ch === "\b") out += "\\b";
    else if (ch === "\f") out += "\\f";
    // ensure_ascii escapes per UTF-16 unit, so astral characters come out as surrogate pairs, as in Python.
    else if (code < 0x20 || code > 0x7e) out += `\\u${code.toString(16).padStart(4, "0")}`;
    else out += ch;
  }
  return `${out}"`;
}

/**
 * Serialise like Python's `json.dumps(value)`. Integral numbers are written as ints unless wrapped in
 * pythonFloat(); Uint8Array becomes base64 text (MLflow's encoding for bytes); undefined object values are
 * skipped, as JSON.stringify does.
 */
export function pythonJsonDumps(value: unknown): string {
  return dump(value, new Set());
}

function dump(value: unknown, seen: Set<object>): string {
  if (value === null || value === undefined) return "null";
  if (typeof value === "boolean") return value ? "true" : "false";
  if (typeof value === "number") {
    return Number.isInteger(value) && !Object.is(value, -0) ? pythonIntRepr(value) : pythonFloatRepr(value);
  }
  if (typeof value === "bigint") return value.toString();
  if (typeof value === "string") return pythonStringRepr(value);
  if (isPythonFloat(value)) return pythonFloatRepr(value.value);
  if (value instanceof Uint8Array) return pythonStringRepr(Buffer.from(value).toString("base64"));
  if (value instanceof Date) return pythonStringRepr(value.toISOString());
  if (typeof value !== "object") {
    throw invalidParameter(`cannot write a ${typeof value} as JSON`);
  }
  if (seen.has(value)) throw invalidParameter("cannot write a value that contains itself as JSON");
  seen.add(value);
  try {
    if (Array.isArray(value)) return `[${value.map((item: unknown) => dump(item, seen)).join(", ")}]`;
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    return `{${entries.map(([k, v]) => `${pythonStringRepr(k)}: ${dump(v, seen)}`).join(", ")}}`;
  } finally {
    seen.delete(value);
  }
}
