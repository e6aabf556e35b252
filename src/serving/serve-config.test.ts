import { basename } from "node:path";
import { describe, expect, it } from "vitest";
import { refusal } from "../../test/support/keel-errors.js";
import { SERVE_DEFAULTS, SINGLE_VARIANT_NAME, parseServeConfig, serveConfigFromUri } from "./serve-config.js";

const FULL = `
host: 0.0.0.0
port: 9000
batching: { max_batch_size: 32, max_queue_delay_ms: 0.5, max_queue_rows: 5000, max_in_flight: 4 }
runtime: { intra_op_threads: 4, inter_op_threads: 0, execution_mode: parallel }
prediction_log: { destination: "s3://logs/predictions", flush_rows: 500, flush_interval_ms: 250, max_buffered_rows: 50000 }
reload: { poll_interval_s: 0 }
limits: { max_body_bytes: 1048576, max_rows: 100 }
models:
  - name: churn
    uri: models:/churn-classifier@production
  - name: churn-ab
    variants:
      - { name: production, uri: "models:/churn-classifier@production", weight: 90 }
      - { name: candidate,  uri: "models:/churn-classifier@candidate",  weight: 10 }
    sticky_key: header:X-User-Id
    shadow: { uri: "models:/churn-classifier/7" }
  - name: local_model.v2
    uri: ./models/churn
`;

/** The message of the INVALID_PARAMETER_VALUE refusal of `text` as serve.yaml. */
function refused(text: string): string {
  const error = refusal(() => parseServeConfig(text, "serve.yaml"));
  expect(error.code).toBe("INVALID_PARAMETER_VALUE");
  return error.message;
}

const withModel = (text: string): string => `${text}\nmodels: [{ name: churn, uri: "models:/churn@production" }]\n`;

describe("parseServeConfig", () => {
  it("reads every section, camelCased, and both forms of model", () => {
    const config = parseServeConfig(FULL, "serve.yaml");
    expect(config).toMatchObject({
      host: "0.0.0.0",
      port: 9000,
      batching: { maxBatchSize: 32, maxQueueDelayMs: 0.5, maxQueueRows: 5000, maxInFlight: 4 },
      runtime: { intraOpThreads: 4, interOpThreads: 0, executionMode: "parallel" },
      predictionLog: { destination: "s3://logs/predictions", flushRows: 500, flushIntervalMs: 250, maxBufferedRows: 50_000 },
      reload: { pollIntervalS: 0 },
      limits: { maxBodyBytes: 1_048_576, maxRows: 100 },
    });
    expect(config.models).toEqual([
      { name: "churn", variants: [{ name: SINGLE_VARIANT_NAME, uri: "models:/churn-classifier@production", weight: 1 }] },
      {
        name: "churn-ab",
        variants: [
          { name: "production", uri: "models:/churn-classifier@production", weight: 90 },
          { name: "candidate", uri: "models:/churn-classifier@candidate", weight: 10 },
        ],
        stickyKey: { from: "header", name: "x-user-id" },
        shadow: { uri: "models:/churn-classifier/7" },
      },
      { name: "local_model.v2", variants: [{ name: SINGLE_VARIANT_NAME, uri: "./models/churn", weight: 1 }] },
    ]);
  });

  it("fills every setting left out with its default", () => {
    const config = parseServeConfig(withModel("reload:\n"), "serve.yaml");
    const { models, ...settings } = config;
    expect(settings).toEqual(SERVE_DEFAULTS);
    expect(models).toHaveLength(1);
    expect(config.port).toBe(8080);
    expect(config.batching).toEqual({ maxBatchSize: 64, maxQueueDelayMs: 0, maxQueueRows: 10_000, maxInFlight: 1 });
  });

  it("turns batching and the prediction log off with false or enabled: false", () => {
    expect(parseServeConfig(withModel("batching: false\nprediction_log: false"), "s.yaml")).toMatchObject({
      batching: false,
      predictionLog: false,
    });
    const off = parseServeConfig(withModel("batching: { enabled: false }\nprediction_log: { enabled: false }"), "s.yaml");
    expect([off.batching, off.predictionLog]).toEqual([false, false]);
    const on = parseServeConfig(withModel("batching: { enabled: true, max_batch_size: 8 }"), "s.yaml");
    expect(on.batching).toMatchObject({ maxBatchSize: 8, maxQueueDelayMs: 0 });
    expect(refused(withModel("batching: { enabled: no }"))).toMatch(/^serve.yaml: batching.enabled must be true or false/);
    expect(refused(withModel("prediction_log: ./logs"))).toMatch(
      /^serve.yaml: prediction_log must be false or a mapping with the keys enabled, destination, flush_rows, .*, not the text "\.\/logs"$/,
    );
  });

  it("reads a sticky key from a JSON field as written", () => {
    const config = parseServeConfig(
      "models:\n  - name: ab\n    sticky_key: field:customer_id\n    variants: [{ name: a, uri: ./a, weight: 1 }, { name: b, uri: ./b, weight: 0 }]\n",
      "serve.yaml",
    );
    expect(config.models[0].stickyKey).toEqual({ from: "field", name: "customer_id" });
  });

  it("refuses invalid YAML, an empty file and a document that is not a mapping", () => {
    expect(refused("models: [")).toMatch(/^serve.yaml is not valid YAML: /);
    expect(refused("port: 1\nport: 2\n" + withModel(""))).toMatch(/^serve.yaml is not valid YAML: .*unique/i);
    expect(refused("")).toMatch(/^serve.yaml is empty; it needs a `models` list; write for example `models: \[/);
    expect(refused("- churn")).toMatch(/^serve.yaml must be a mapping with the keys host, port, batching, .*models, not a list/);
  });

  it("refuses unknown keys, naming the known ones and the likely intended one", () => {
    expect(refused(withModel("batching: { maxBatchSize: 8 }"))).toBe(
      "serve.yaml: batching.maxBatchSize is not a known key (did you mean 'max_batch_size'?); " +
        "the known keys here are enabled, max_batch_size, max_queue_delay_ms, max_queue_rows, max_in_flight",
    );
    expect(refused(withModel("listen: 0.0.0.0"))).toMatch(/^serve.yaml: listen is not a known key; the known keys here are host, port,/);
    expect(refused("models: [{ name: churn, uri: ./m, weight: 3 }]")).toMatch(
      /^serve.yaml: models\[0\].weight is not a known key; the known keys here are name, uri, variants, sticky_key, shadow$/,
    );
  });

  it("refuses numbers out of range or of the wrong kind, saying what to write", () => {
    expect(refused(withModel("port: 70000"))).toBe(
      "serve.yaml: port must be a whole number from 0 to 65535, not 70000; write for example `port: 8080`",
    );
    expect(refused(withModel("batching: { max_batch_size: 0 }"))).toBe(
      "serve.yaml: batching.max_batch_size must be a whole number >= 1, not 0; write for example `max_batch_size: 64`",
    );
    expect(refused(withModel("limits: { max_rows: 2.5 }"))).toMatch(/^serve.yaml: limits.max_rows must be a whole number >= 1, not 2.5;/);
    expect(refused(withModel('runtime: { intra_op_threads: "4" }'))).toMatch(/intra_op_threads must be a whole number >= 0, not the text "4"/);
    expect(refused(withModel("reload: { poll_interval_s: -1 }"))).toMatch(/^serve.yaml: reload.poll_interval_s must be a number >= 0/);
    expect(refused(withModel("runtime: { execution_mode: fast }"))).toMatch(
      /^serve.yaml: runtime.execution_mode must be one of sequential, parallel, not the text "fast"; write for example `execution_mode: parallel`$/,
    );
    expect(refused(withModel("host: ''"))).toMatch(/^serve.yaml: host must be a host name or IP address/);
  });

  it("refuses a prediction log destination it cannot write to, and a buffer smaller than a flush", () => {
    expect(refused(withModel("prediction_log: { destination: 'gs://bucket/x' }"))).toMatch(
      /^serve.yaml: prediction_log.destination cannot be a 'gs:' URI; use a directory path, file: or s3:\/\//,
    );
    expect(parseServeConfig(withModel("prediction_log: { destination: 'C:\\logs' }"), "s.yaml").predictionLog).toMatchObject({
      destination: "C:\\logs",
    });
    expect(refused(withModel("prediction_log: { flush_rows: 1000, max_buffered_rows: 10 }"))).toMatch(
      /max_buffered_rows \(10\) must be at least flush_rows \(1000\)/,
    );
  });

  it("refuses a missing or empty model list and duplicate names", () => {
    expect(refused("port: 8080")).toMatch(/^serve.yaml: models must be a list of at least one model to serve; write for example `models: \[\{ name: churn/);
    expect(refused("models: []")).toMatch(/^serve.yaml: models must be a list of at least one model/);
    expect(refused("models: [{ name: churn, uri: ./a }, { name: churn, uri: ./b }]")).toMatch(
      /^serve.yaml: models\[1\].name 'churn' is already the name of models\[0\]; names must be unique; write for example `name: churn-2`$/,
    );
  });

  it("refuses model names that do not fit in a URL path segment", () => {
    for (const name of ["Churn Model", "-churn", "churn-", "a/b", "x".repeat(64), "..", "''"]) {
      expect(refused(`models: [{ name: ${JSON.stringify(name)}, uri: ./m }]`), name).toMatch(
        /^serve.yaml: models\[0\].name is .*; a name is 1 to 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit/,
      );
    }
    expect(refused("models: [{ uri: ./m }]")).toMatch(/^serve.yaml: models\[0\].name is missing; .*write for example `name: churn`$/);
  });

  it("asks for exactly one of uri and variants", () => {
    expect(refused("models: [{ name: churn }]")).toMatch(/^serve.yaml: models\[0\] needs either `uri: models:\/churn-classifier@production` \(one model\) or `variants:`/);
    expect(refused("models: [{ name: churn, uri: ./m, variants: [] }]")).toMatch(/^serve.yaml: models\[0\] has both `uri` and `variants`; keep one/);
  });

  it("refuses URIs Keel cannot serve, passing on parseModelUri's reason", () => {
    expect(refused("models: [{ name: churn, uri: 'models:/churn/Prod' }]")).toMatch(
      /^serve.yaml: models\[0\].uri is not a model Keel can serve: Not a proper models:\/ URI: models:\/churn\/Prod\. .*; write for example `uri: models:\/churn-classifier@production`$/,
    );
    expect(refused("models: [{ name: churn, uri: 'http://host/model' }]")).toMatch(/models\[0\].uri is not a model Keel can serve: Keel cannot read models from 'http:' URIs/);
    expect(refused("models: [{ name: churn, uri: 42 }]")).toMatch(/models\[0\].uri must be a model URI or a local model directory/);
    expect(refused("models: [{ name: churn, uri: ./m, shadow: { uri: 'runs:/' } }]")).toMatch(/^serve.yaml: models\[0\].shadow.uri is not a model Keel can serve: Not a proper runs:\/ URI/);
    expect(refused("models: [{ name: churn, uri: ./m, shadow: 'models:/x/1' }]")).toMatch(/^serve.yaml: models\[0\].shadow must be a mapping with the keys uri, not the text/);
  });

  it("refuses bad variants: weights, names, an all-zero split", () => {
    const model = (variants: string, extra = ""): string => `models:\n  - name: ab\n${extra}    variants: ${variants}\n`;
    expect(refused(model("[]"))).toMatch(/^serve.yaml: models\[0\].variants must be a list of at least one variant; write for example `variants: \[\{ name: production/);
    expect(refused(model("[{ name: a, uri: ./a, weight: -1 }]"))).toBe(
      "serve.yaml: models[0].variants[0].weight must be a number >= 0 (its share of the traffic); write for example `weight: 10`",
    );
    expect(refused(model("[{ name: a, uri: ./a }]"))).toMatch(/variants\[0\].weight must be a number >= 0/);
    expect(refused(model("[{ name: a, uri: ./a, weight: 1 }, { name: a, uri: ./b, weight: 1 }]"))).toMatch(
      /^serve.yaml: models\[0\].variants\[1\].name 'a' names two variants; variant names must be unique/,
    );
    expect(refused(model("[{ name: a, uri: ./a, weight: 0 }, { name: b, uri: ./b, weight: 0 }]"))).toMatch(
      /^serve.yaml: models\[0\].variants has only weights of 0; give at least one variant a `weight` above 0$/,
    );
  });

  it("refuses a malformed sticky key, and one on a model with a single uri", () => {
    const model = (key: string): string => `models:\n  - name: ab\n    sticky_key: ${key}\n    variants: [{ name: a, uri: ./a, weight: 1 }]\n`;
    for (const key of ["x-user-id", "cookie:id", "'header:'", "'header:x user'"]) {
      expect(refused(model(key)), key).toMatch(
        /^serve.yaml: models\[0\].sticky_key must be 'header:<header name>' or 'field:<JSON field>'; write for example `sticky_key: header:x-user-id`$/,
      );
    }
    expect(refused("models: [{ name: churn, uri: ./m, sticky_key: 'header:x' }]")).toMatch(
      /^serve.yaml: models\[0\].sticky_key only applies to a model with `variants`/,
    );
  });
});

describe("serveConfigFromUri", () => {
  it("serves one model under its registered name with every default", () => {
    const config = serveConfigFromUri("models:/churn-classifier@production", {});
    expect(config.models).toEqual([
      { name: "churn-classifier", variants: [{ name: SINGLE_VARIANT_NAME, uri: "models:/churn-classifier@production", weight: 1 }] },
    ]);
    const { models, ...settings } = config;
    expect(settings).toEqual(SERVE_DEFAULTS);
  });

  it("names the model after the registry name, the run path's or the directory's last segment", () => {
    const nameOf = (uri: string): string => serveConfigFromUri(uri).models[0].name;
    expect(nameOf("models:/churn/3")).toBe("churn");
    expect(nameOf("models:/churn/Production")).toBe("churn");
    expect(nameOf("models:/Churn Model v2/latest")).toBe("Churn-Model-v2");
    expect(nameOf("runs:/0123abcd/artifacts/churn_model")).toBe("churn_model");
    expect(nameOf("./models/churn/")).toBe("churn");
    expect(nameOf("s3://bucket/models/churn-rf")).toBe("churn-rf");
    expect(nameOf("file:///srv/models/churn")).toBe("churn");
    expect(nameOf(".")).toBe(basename(process.cwd()).replace(/[^A-Za-z0-9._-]+/g, "-").replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, ""));
    expect(serveConfigFromUri("./m", { name: "churn" }).models[0].name).toBe("churn");
  });

  it("takes flags as commander gives them, as text", () => {
    const config = serveConfigFromUri("./m", {
      host: "0.0.0.0",
      port: "9000",
      maxBatchSize: "16",
      maxQueueDelayMs: "1.5",
      intraOpThreads: 2,
      predictionLog: "s3://logs/p",
      pollInterval: "0",
      maxRows: "50",
    });
    expect(config).toMatchObject({
      host: "0.0.0.0",
      port: 9000,
      batching: { maxBatchSize: 16, maxQueueDelayMs: 1.5, maxQueueRows: 10_000 },
      runtime: { intraOpThreads: 2, interOpThreads: 1 },
      predictionLog: { destination: "s3://logs/p", flushRows: 1000 },
      reload: { pollIntervalS: 0 },
      limits: { maxRows: 50, maxBodyBytes: 10_485_760 },
    });
    expect(serveConfigFromUri("./m", { batching: false, predictionLog: false })).toMatchObject({ batching: false, predictionLog: false });
  });

  it("names the flag and shows the command line in its refusals", () => {
    const message = (flags: Parameters<typeof serveConfigFromUri>[1], uri = "./m"): string => {
      const error = refusal(() => serveConfigFromUri(uri, flags));
      expect(error.code).toBe("INVALID_PARAMETER_VALUE");
      return error.message;
    };
    expect(message({ port: "http" })).toBe(
      '--port must be a whole number from 0 to 65535, not the text "http"; write for example `keel serve ... --port 8080`',
    );
    expect(message({ maxBatchSize: "0" })).toMatch(/^--max-batch-size must be a whole number >= 1, not 0;/);
    expect(message({ name: "my model" })).toMatch(/^--name is 'my model'; a name is .*; write for example `keel serve ... --name churn`$/);
    expect(message({}, "models:/churn/Prod")).toMatch(
      /^the model URI 'models:\/churn\/Prod' is not a model Keel can serve: Not a proper models:\/ URI.*; write for example `keel serve models:\/churn-classifier@production`$/,
    );
    expect(message({}, "ftp://host/m")).toMatch(/Keel cannot read models from 'ftp:' URIs/);
    expect(message({}, "/")).toMatch(/^--name cannot be derived from '\/'; give one; write for example `keel serve ... --name churn`$/);
  });
});
