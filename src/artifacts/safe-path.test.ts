import { describe, expect, it } from "vitest";
import { SAFE_ARTIFACT_PATHS, UNSAFE_ARTIFACT_PATHS } from "../../test/artifacts/unsafe-artifact-paths.js";
import { refusal } from "../../test/support/keel-errors.js";
import { joinArtifactPath, safeArtifactPath } from "./safe-path.js";


describe("safeArtifactPath", () => {
  it.each(UNSAFE_ARTIFACT_PATHS.map((raw) => [JSON.stringify(raw), raw]))("refuses %s", (_label, raw) => {
    const error = refusal(() => safeArtifactPath(raw));
    expect(error.code).toBe("INVALID_PARAMETER_VALUE");
    expect(error.httpStatus).toBe(400);
  });

  it.each(SAFE_ARTIFACT_PATHS)("accepts %j as %j", (raw, normalised) => {
    expect(safeArtifactPath(raw)).toBe(normalised);
  });

  it("is idempotent on what it returns", () => {
    for (const [, normalised] of SAFE_ARTIFACT_PATHS) expect(safeArtifactPath(normalised)).toBe(normalised);
  });

  it("says what was wrong and what to do", () => {
    expect(refusal(() => safeArtifactPath("../x")).message).toBe(
      "artifact path '../x' escapes the artifact root; use a relative path inside the run's artifacts",
    );
    expect(refusal(() => safeArtifactPath("/etc/passwd")).message).toMatch(/'\/etc\/passwd' is absolute; use a path relative/);
    expect(refusal(() => safeArtifactPath("a\\b")).message).toMatch(/backslash/);
    expect(refusal(() => safeArtifactPath("a#b")).message).toMatch(/'#' or '\?'/);
  });

  it("escapes control characters and cuts long paths in messages", () => {
    expect(refusal(() => safeArtifactPath("a\u0000b")).message).toContain("'a\\u0000b' contains a control character");
    const message = refusal(() => safeArtifactPath(`${"x".repeat(5000)}/..`)).message;
    expect(message.length).toBeLessThan(400);
  });

  it("catches '..' hidden behind up to ten rounds of encoding, but not more", () => {
    const encoded = (times: number) => `%${"25".repeat(times - 1)}2e`.repeat(2);
    expect(refusal(() => safeArtifactPath(`${encoded(10)}/x`)).code).toBe("INVALID_PARAMETER_VALUE");
    // Eleven rounds is a name no real decoding stack turns into '..': it stays a literal file name.
    expect(safeArtifactPath(`${encoded(11)}/x`)).toBe(`${encoded(11)}/x`);
  });

  it("checks a path with a malformed escape elsewhere in it", () => {
    expect(refusal(() => safeArtifactPath("%zz/%2e%2e/x")).code).toBe("INVALID_PARAMETER_VALUE");
  });
});

describe("joinArtifactPath", () => {
  it("joins safe parts and skips empty ones", () => {
    expect(joinArtifactPath("1/abc/artifacts", "", "model/MLmodel")).toBe("1/abc/artifacts/model/MLmodel");
    expect(joinArtifactPath("", "")).toBe("");
    expect(joinArtifactPath("a", "b")).toBe("a/b");
  });

  it("still refuses a part that was not made safe first", () => {
    expect(refusal(() => joinArtifactPath("1/abc/artifacts", "../../other")).code).toBe("INVALID_PARAMETER_VALUE");
    expect(refusal(() => joinArtifactPath("1/abc/artifacts", "/etc")).code).toBe("INVALID_PARAMETER_VALUE");
  });
});
