import { describe, expect, it } from "vitest";
import { KeelError } from "../core/errors.js";
import type { ExperimentFilterClause, RunFilterClause, RunOrderBy } from "./search-filter.js";
import { parseExperimentFilter, parseExperimentOrderBy, parseRunFilter, parseRunOrderBy } from "./search-filter.js";

function refusal(parse: () => unknown): KeelError {
  try {
    parse();
  } catch (error) {
    expect(error).toBeInstanceOf(KeelError);
    return error as KeelError;
  }
  throw new Error("expected INVALID_PARAMETER_VALUE, but the input was accepted");
}

const ACCEPTED_RUN_FILTERS: readonly (readonly [string, readonly RunFilterClause[]])[] = [
  ["", []],
  ["   ", []],
  ["metrics.acc > 0.5", [{ type: "metric", key: "acc", comparator: ">", value: 0.5 }]],
  ["metric.acc>=-1.5e3", [{ type: "metric", key: "acc", comparator: ">=", value: -1500 }]],
  ["metrics.loss != .5", [{ type: "metric", key: "loss", comparator: "!=", value: 0.5 }]],
  ["metrics.loss <= 1e400", [{ type: "metric", key: "loss", comparator: "<=", value: Infinity }]],
  ["metrics.`my metric` = 3", [{ type: "metric", key: "my metric", comparator: "=", value: 3 }]],
  ['metrics."val/loss" < 2', [{ type: "metric", key: "val/loss", comparator: "<", value: 2 }]],
  ["`metrics`.a = 1", [{ type: "metric", key: "a", comparator: "=", value: 1 }]],
  ["params.model = 'rf'", [{ type: "param", key: "model", comparator: "=", value: "rf" }]],
  ['param.model != "cnn"', [{ type: "param", key: "model", comparator: "!=", value: "cnn" }]],
  ["parameters.a.b like 'x%'", [{ type: "param", key: "a.b", comparator: "LIKE", value: "x%" }]],
  ["parameter.p ILIKE '%X'", [{ type: "param", key: "p", comparator: "ILIKE", value: "%X" }]],
  ["params.q = 'it''s'", [{ type: "param", key: "q", comparator: "=", value: "it's" }]],
  ["params.q = 'a\\_b'", [{ type: "param", key: "q", comparator: "=", value: "a\\_b" }]],
  ['tags."mlflow.runName" = \'x\'', [{ type: "tag", key: "mlflow.runName", comparator: "=", value: "x" }]],
  ["tag.`a b` LIKE 'v'", [{ type: "tag", key: "a b", comparator: "LIKE", value: "v" }]],
  ["status = 'FINISHED'", [{ type: "attribute", key: "status", comparator: "=", value: "FINISHED" }]],
  ["attributes.run_name ILIKE 'a%'", [{ type: "attribute", key: "run_name", comparator: "ILIKE", value: "a%" }]],
  ["`run name` = 'a'", [{ type: "attribute", key: "run_name", comparator: "=", value: "a" }]],
  ["attr.user_id != 'u'", [{ type: "attribute", key: "user_id", comparator: "!=", value: "u" }]],
  ["run.artifact_uri LIKE '%x'", [{ type: "attribute", key: "artifact_uri", comparator: "LIKE", value: "%x" }]],
  ["attribute.start_time >= 10", [{ type: "attribute", key: "start_time", comparator: ">=", value: 10 }]],
  ["created < 10", [{ type: "attribute", key: "start_time", comparator: "<", value: 10 }]],
  ["end_time != 5", [{ type: "attribute", key: "end_time", comparator: "!=", value: 5 }]],
  ["run_id IN ('a', \"b\")", [{ type: "attribute", key: "run_id", comparator: "IN", value: ["a", "b"] }]],
  ["attributes.run_id not in ('a')", [{ type: "attribute", key: "run_id", comparator: "NOT IN", value: ["a"] }]],
  ["run_id = 'abc'", [{ type: "attribute", key: "run_id", comparator: "=", value: "abc" }]],
  ["dataset.name = 'd'", [{ type: "dataset", key: "name", comparator: "=", value: "d" }]],
  ["datasets.digest IN ('a','b')", [{ type: "dataset", key: "digest", comparator: "IN", value: ["a", "b"] }]],
  ["dataset.context LIKE 'tr%'", [{ type: "dataset", key: "context", comparator: "LIKE", value: "tr%" }]],
  [
    "metrics.m1 > 0.5 and params.p1 = 'a' AND tags.t ilike 'x'",
    [
      { type: "metric", key: "m1", comparator: ">", value: 0.5 },
      { type: "param", key: "p1", comparator: "=", value: "a" },
      { type: "tag", key: "t", comparator: "ILIKE", value: "x" },
    ],
  ],
];

const REFUSED_RUN_FILTERS: readonly (readonly [string, RegExp])[] = [
  ["metrics.a > 1 or metrics.b > 1", /Invalid clause\(s\) in filter string: 'or metrics\.b > 1'/],
  ["(metrics.a > 1)", /Invalid clause\(s\).*Parenthesised groups/],
  ["metrics.a > 1 and (metrics.b > 1)", /Invalid clause\(s\)/],
  ["metrics.a > 1 metrics.b > 1", /Invalid clause\(s\)/],
  ["metrics.a > 1 and", /expected a clause after the final AND/],
  ["metrics.a", /Expected a comparator/],
  ["metrics.a >", /expected a value/],
  ["metrics.a = 'x'", /Expected numeric value type for metric\. Found 'x'/],
  ["metrics.a LIKE '1'", /Invalid comparator 'LIKE' for metrics/],
  ["metrics.a IN ('1')", /Invalid comparator 'IN' for metrics/],
  ["metrics.a <> 1", /Invalid comparator '<>'/],
  ["metrics.a == 1", /Invalid comparator '=='/],
  ["params.p = 1", /Expected a quoted string value for param/],
  ["params.p > 'a'", /Invalid comparator '>' for params/],
  ["params.p = `a`", /Expected a quoted string value for param/],
  ["params.p IN ('a')", /Invalid comparator 'IN' for params/],
  ["tags.t < 'a'", /Invalid comparator '<' for tags/],
  ["foo = 'x'", /Invalid attribute key 'foo' specified\. Valid keys are 'artifact_uri', 'end_time', 'run_id'/],
  ["attributes.experiment_id = '1'", /Invalid attribute key 'experiment_id'/],
  ["metricz.a > 1", /Invalid entity type 'metricz'/],
  ["constructor.a > 1", /Invalid entity type 'constructor'/],
  ["status > 'a'", /Invalid comparator '>' for attribute status/],
  ["status IN ('a')", /Invalid comparator 'IN' for attribute status/],
  ["start_time = 'x'", /Expected numeric value type for numeric attribute: start_time/],
  ["start_time LIKE '1'", /Invalid comparator 'LIKE' for numeric attribute start_time/],
  ["run_name = 5", /Expected a quoted string value for attributes/],
  ["run_id IN 'a'", /IN needs a parenthesised list/],
  ["run_id = ('a')", /Only the 'run_id' attribute supports comparison with a list/],
  ["run_id IN ()", /non-empty list/],
  ["run_id IN ('a' 'b')", /expected ',' or '\)'/],
  ["run_id IN (1, 2)", /list of quoted strings/],
  ["dataset.foo = 'x'", /Invalid dataset key 'foo'/],
  ["params.p = 'unterminated", /unterminated ' quote/],
  ["params.p = 'a'; drop table runs", /unexpected character ';'/],
  ["metrics.a > 1abc", /unexpected character|Invalid clause|Expected/],
  ["params.a.`b` = 'x'", /quote the whole key/],
  ["metrics.a IS NULL", /Expected a comparator/],
  ["params.p NOT LIKE 'a'", /Expected a comparator/],
];

describe("parseRunFilter", () => {
  it.each(ACCEPTED_RUN_FILTERS)("accepts %j", (filter, clauses) => {
    expect(parseRunFilter(filter)).toEqual(clauses);
  });

  it.each(REFUSED_RUN_FILTERS)("refuses %j", (filter, message) => {
    const error = refusal(() => parseRunFilter(filter));
    expect(error.code).toBe("INVALID_PARAMETER_VALUE");
    expect(error.message).toMatch(message);
  });
});

const ACCEPTED_RUN_ORDERS: readonly (readonly [readonly string[], readonly RunOrderBy[]])[] = [
  [[], []],
  [["metrics.acc"], [{ type: "metric", key: "acc", ascending: true }]],
  [["metrics.`my metric` DESC"], [{ type: "metric", key: "my metric", ascending: false }]],
  [['tags."mlflow.runName" asc'], [{ type: "tag", key: "mlflow.runName", ascending: true }]],
  [["params.lr desc", "start_time"], [{ type: "param", key: "lr", ascending: false }, { type: "attribute", key: "start_time", ascending: true }]],
  [["created DESC"], [{ type: "attribute", key: "start_time", ascending: false }]],
  [["attributes.run_name", "status DESC"], [{ type: "attribute", key: "run_name", ascending: true }, { type: "attribute", key: "status", ascending: false }]],
];

const REFUSED_RUN_ORDERS: readonly (readonly [readonly string[], RegExp])[] = [
  [[""], /Invalid order_by clause ''/],
  [["metrics.a DESC extra"], /Invalid order_by clause/],
  [["metrics.a sideways"], /Invalid ordering key in order_by clause 'metrics\.a sideways'/],
  [["foo"], /Invalid attribute key 'foo'/],
  [["dataset.name"], /cannot be ordered by dataset/],
  [["metrics.a", "metric.a DESC"], /`order_by` contains duplicate fields/],
  [["created", "start_time"], /duplicate fields/],
  [["metrics.a > 1"], /Invalid order_by clause/],
];

describe("parseRunOrderBy", () => {
  it.each(ACCEPTED_RUN_ORDERS)("accepts %j", (orderBy, parsed) => {
    expect(parseRunOrderBy(orderBy)).toEqual(parsed);
  });

  it.each(REFUSED_RUN_ORDERS)("refuses %j", (orderBy, message) => {
    const error = refusal(() => parseRunOrderBy(orderBy));
    expect(error.code).toBe("INVALID_PARAMETER_VALUE");
    expect(error.message).toMatch(message);
  });
});

const ACCEPTED_EXPERIMENT_FILTERS: readonly (readonly [string, readonly ExperimentFilterClause[]])[] = [
  ["name = 'churn'", [{ type: "attribute", key: "name", comparator: "=", value: "churn" }]],
  ["attribute.name ILIKE '%C%'", [{ type: "attribute", key: "name", comparator: "ILIKE", value: "%C%" }]],
  ["creation_time > 5 and last_update_time <= 9", [
    { type: "attribute", key: "creation_time", comparator: ">", value: 5 },
    { type: "attribute", key: "last_update_time", comparator: "<=", value: 9 },
  ]],
  ["tags.team != 'a' AND tag.`x y` LIKE 'b%'", [
    { type: "tag", key: "team", comparator: "!=", value: "a" },
    { type: "tag", key: "x y", comparator: "LIKE", value: "b%" },
  ]],
];

const REFUSED_EXPERIMENT_FILTERS: readonly (readonly [string, RegExp])[] = [
  ["name = 'a' or name = 'b'", /Invalid clause\(s\)/],
  ["metrics.a > 1", /Invalid entity type 'metrics'/],
  ["experiment_id = '1'", /Invalid attribute key 'experiment_id'/],
  ["name > 'a'", /Invalid comparator '>'/],
  ["name IN ('a')", /Invalid comparator 'IN'/],
  ["creation_time LIKE '1'", /Invalid comparator 'LIKE'/],
  ["creation_time = 'x'", /Expected numeric value type/],
  ["tags.t = 1", /Expected a quoted string value for tag/],
];

describe("parseExperimentFilter", () => {
  it.each(ACCEPTED_EXPERIMENT_FILTERS)("accepts %j", (filter, clauses) => {
    expect(parseExperimentFilter(filter)).toEqual(clauses);
  });

  it.each(REFUSED_EXPERIMENT_FILTERS)("refuses %j", (filter, message) => {
    const error = refusal(() => parseExperimentFilter(filter));
    expect(error.code).toBe("INVALID_PARAMETER_VALUE");
    expect(error.message).toMatch(message);
  });
});

describe("parseExperimentOrderBy", () => {
  it("accepts the four orderable attributes", () => {
    expect(parseExperimentOrderBy(["name", "experiment_id DESC", "attribute.creation_time asc", "last_update_time DESC"])).toEqual([
      { key: "name", ascending: true },
      { key: "experiment_id", ascending: false },
      { key: "creation_time", ascending: true },
      { key: "last_update_time", ascending: false },
    ]);
  });

  it.each([
    [["tags.team"], /Invalid order_by entity 'tags'/],
    [["lifecycle_stage"], /Invalid attribute key 'lifecycle_stage'/],
    [["name", "name DESC"], /duplicate fields/],
    [["name up"], /Invalid ordering key/],
  ] as const)("refuses %j", (orderBy, message) => {
    expect(refusal(() => parseExperimentOrderBy(orderBy)).message).toMatch(message);
  });
});
