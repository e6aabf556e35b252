/**
 * Metric values on the wire: protobuf's JSON mapping writes NaN and the infinities as the strings "NaN",
 * "Infinity" and "-Infinity", which both the server and the SDK must read and write.
 */
export function metricValueToWire(value: number): number | string {
  if (Number.isNaN(value)) return "NaN";
  if (value === Infinity) return "Infinity";
  if (value === -Infinity) return "-Infinity";
  return value;
}

/** The number a wire value stands for, or undefined when it is neither a number nor one of the three strings. */
export function metricValueFromWireOrUndefined(value: unknown): number | undefined {
  if (typeof value === "number") return value;
  if (value === "NaN") return NaN;
  if (value === "Infinity") return Infinity;
  if (value === "-Infinity") return -Infinity;
  return undefined;
}
