import { describe, expect, it } from "vitest";
import { formatBytes, formatDuration, formatNumber, formatTime, runDuration, toJson } from "./format-values.js";

describe("format values", () => {
  it("writes times as ISO strings and missing ones as '-'", () => {
    expect(formatTime(0)).toBe("1970-01-01T00:00:00.000Z");
    expect(formatTime(undefined)).toBe("-");
  });

  it("writes durations for people", () => {
    expect(formatDuration(450)).toBe("450ms");
    expect(formatDuration(12_345)).toBe("12s");
    expect(formatDuration(2_500)).toBe("2.5s");
    expect(formatDuration(185_000)).toBe("3m 05s");
    expect(formatDuration(3_720_000)).toBe("1h 02m");
    expect(formatDuration(2 * 86_400_000 + 3 * 3_600_000)).toBe("2d 03h");
    expect(runDuration(1000, undefined, 3000)).toBe("2.0s");
    expect(runDuration(undefined, 5)).toBe("-");
  });

  it("writes sizes in binary units", () => {
    expect(formatBytes(512)).toBe("512 B");
    expect(formatBytes(1536)).toBe("1.5 KiB");
    expect(formatBytes(50 * 1024 * 1024)).toBe("50 MiB");
  });

  it("writes metric values compactly, non-finite ones by name", () => {
    expect(formatNumber(0.30000000000000004)).toBe("0.3");
    expect(formatNumber(42)).toBe("42");
    expect(formatNumber(NaN)).toBe("NaN");
    expect(formatNumber(-Infinity)).toBe("-Infinity");
  });

  it("writes non-finite numbers in JSON as protobuf strings", () => {
    expect(JSON.parse(toJson({ a: NaN, b: Infinity, c: 1 }))).toEqual({ a: "NaN", b: "Infinity", c: 1 });
  });
});
