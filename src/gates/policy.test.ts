import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { KeelError } from "../core/errors.js";
import type { GateCheckFactory } from "./gate-check.js";
import { DEFAULT_CHECK_FACTORIES, loadGatePolicy, parseGatePolicy } from "./policy.js";

const FULL = `
checks:
  - type: metric
    metric: accuracy
    min: 0.85
    warn_margin: 0.02
  - type: regression
    metric: log_loss
    max_drop_pct: 2
    higher_is_better: false
  - type: latency
    p50_ms: 5
    p99_ms: 20
    iterations: 200
    warmup: 20
    batch_size: 1
    dataset: sample.csv
    warn_margin_pct: 10
  - type: signature
`;

/** The refusal's message; fails unless parsing refuses with INVALID_PARAMETER_VALUE. */
function refusal(text: string): string {
  try {
    parseGatePolicy(text, "gates.yaml");
  } catch (error) {
    expect(error).toBeInstanceOf(KeelError);
    expect((error as KeelError).code).toBe("INVALID_PARAMETER_VALUE");
    return (error as KeelError).message;
  }
  throw new Error("expected parseGatePolicy to refuse");
}

const one = (body: string): string => `checks:\n  - ${body.trim().split("\n").join("\n    ")}\n`;

describe("parseGatePolicy", () => {
  it("builds the four checks in order", () => {
    const policy = parseGatePolicy(FULL, "gates.yaml");
    expect(policy.checks.map((c) => [c.name, c.type])).toEqual([
      ["metric:accuracy", "metric"],
      ["regression:log_loss", "regression"],
      ["latency", "latency"],
      ["signature", "signature"],
    ]);
  });

  it("refuses invalid YAML and a document without a checks list", () => {
    expect(refusal("checks: [")).toMatch(/^gates.yaml is not valid YAML: /);
    expect(refusal("- type: metric")).toMatch(/^gates.yaml must be a mapping with a `checks` list/);
    expect(refusal("rules: []\n")).toBe("gates.yaml: unknown top-level key 'rules'; a policy has only `checks`");
    expect(refusal("checks:\n")).toMatch(/^gates.yaml has no `checks`; write a list of checks/);
    expect(refusal("checks: metric\n")).toMatch(/^gates.yaml has `checks` that is not a list/);
    expect(refusal("checks: []\n")).toMatch(/^gates.yaml has an empty `checks` list/);
    expect(refusal("")).toMatch(/^gates.yaml must be a mapping/);
  });

  it("refuses entries that are not mappings, lack a type or have an unknown one", () => {
    expect(refusal("checks:\n  - metric\n")).toMatch(/^gates.yaml checks\[0\] must be a mapping with a `type`/);
    expect(refusal(one("metric: accuracy"))).toBe("gates.yaml checks[0] needs `type:`, one of metric, regression, latency, signature");
    expect(refusal(`${one("type: signature")}  - type: metrc\n`)).toBe(
      "gates.yaml checks[1]: unknown check type 'metrc'; did you mean 'metric'? use one of metric, regression, latency, signature",
    );
  });

  it("refuses unknown keys, suggesting the likely one", () => {
    expect(refusal(one("type: metric\nmetric: accuracy\nminimum: 0.8"))).toBe(
      "gates.yaml checks[0]: unknown key 'minimum' in a metric check; did you mean 'min'? " +
        "allowed keys: type, metric, min, max, warn_margin",
    );
    expect(refusal(one("type: signature\nstrict: true"))).toMatch(/unknown key 'strict' in a signature check/);
    expect(refusal(one("type: signature\ntoString: 1"))).toMatch(/unknown key 'toString'/);
  });

  it("refuses values of the wrong type, showing what to write", () => {
    expect(refusal(one('type: metric\nmetric: accuracy\nmin: "0.85"'))).toBe(
      "gates.yaml checks[0]: 'min' must be a number (e.g. `min: 0.85`), not the string \"0.85\"",
    );
    expect(refusal(one("type: metric\nmetric: [a]\nmin: 1"))).toMatch(/'metric' must be a non-empty text .*not a list/);
    expect(refusal(one("type: regression\nmetric: acc\nmax_drop: 0.1\nhigher_is_better: yes"))).toMatch(
      /'higher_is_better' must be true or false/,
    );
    expect(refusal(one("type: latency\np99_ms: 20\niterations: 2.5"))).toMatch(/'iterations' must be a whole number/);
    expect(refusal(one("type: latency\np99_ms: 20\nbatch_size: 0"))).toBe("gates.yaml checks[0]: 'batch_size' must be >= 1, not 0");
    expect(refusal(one("type: latency\np99_ms: 0"))).toBe("gates.yaml checks[0]: 'p99_ms' must be > 0, not 0");
    expect(refusal(one("type: latency\np99_ms: 20\ndataset: 3"))).toMatch(/'dataset' must be a non-empty text/);
  });

  it("refuses a metric check with neither min nor max, or min above max", () => {
    expect(refusal(one("type: metric\nmetric: accuracy"))).toMatch(/^gates.yaml checks\[0\]: a metric check needs `min:` and\/or `max:`/);
    expect(refusal(one("type: metric\nmetric: accuracy\nmin: 0.9\nmax: 0.8"))).toMatch(/'min' \(0.9\) is greater than 'max' \(0.8\)/);
    expect(refusal(one("type: metric\nmin: 0.9"))).toBe("gates.yaml checks[0]: a metric check needs `metric: accuracy`");
  });

  it("refuses negative margins and allowances", () => {
    expect(refusal(one("type: metric\nmetric: a\nmin: 1\nwarn_margin: -0.1"))).toBe(
      "gates.yaml checks[0]: 'warn_margin' must be >= 0, not -0.1",
    );
    expect(refusal(one("type: regression\nmetric: a\nmax_drop: 0.1\nwarn_margin: -1"))).toMatch(/'warn_margin' must be >= 0/);
    expect(refusal(one("type: regression\nmetric: a\nmax_drop: -0.1"))).toMatch(/'max_drop' must be >= 0/);
    expect(refusal(one("type: latency\np50_ms: 5\nwarn_margin_pct: -5"))).toMatch(/'warn_margin_pct' must be >= 0/);
  });

  it("refuses a regression check without exactly one allowance and a latency check without limits", () => {
    expect(refusal(one("type: regression\nmetric: a"))).toMatch(/a regression check needs `max_drop: 0.01`; or write `max_drop_pct: 2`/);
    expect(refusal(one("type: regression\nmetric: a\nmax_drop: 0.1\nmax_drop_pct: 2"))).toMatch(/either 'max_drop'.*not both/);
    expect(refusal(one("type: latency\niterations: 10"))).toMatch(/a latency check needs `p50_ms:` and\/or `p99_ms:`/);
  });

  it("accepts more check types through a bigger factory map", () => {
    const drift: GateCheckFactory = (_spec, where) => ({
      name: "drift",
      type: "drift",
      run: async () => ({ check: "drift", type: "drift", status: "PASS", actual: null, threshold: null, message: where }),
    });
    const factories = new Map([...DEFAULT_CHECK_FACTORIES, ["drift", drift]]);
    const policy = parseGatePolicy(one("type: drift\nfeature: age"), "gates.yaml", factories);
    expect(policy.checks[0].name).toBe("drift");
  });
});

describe("loadGatePolicy", () => {
  it("reads a file, naming it in refusals, and says when it does not exist", async () => {
    const dir = await mkdtemp(join(tmpdir(), "keel-policy-"));
    try {
      const path = join(dir, "gates.yaml");
      await writeFile(path, FULL);
      expect((await loadGatePolicy(path)).checks).toHaveLength(4);
      await writeFile(path, "checks: []\n");
      await expect(loadGatePolicy(path)).rejects.toThrow(`${path} has an empty \`checks\` list`);
      const missing = join(dir, "nope.yaml");
      await expect(loadGatePolicy(missing)).rejects.toMatchObject({ code: "RESOURCE_DOES_NOT_EXIST" });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
