/**
 * Worker thread entry of the prediction sink: turns posted requests into log lines and appends them to a
 * prediction log of its own, which buffers and writes them to the artifact store.
 */
import { parentPort, workerData } from "node:worker_threads";
import { createArtifactStore } from "../artifacts/create-artifact-store.js";
import { createPredictionLog } from "./prediction-log.js";
import { predictionRecords } from "./prediction-records.js";
import type { LoggedModel } from "./prediction-records.js";
import type { SinkMessage, SinkReply } from "./prediction-sink.js";
import type { TensorData } from "./types.js";

interface SinkWorkerData {
  readonly destination: string;
  readonly flushRows: number;
  readonly flushIntervalMs: number;
  readonly maxBufferedRows: number;
}

const port = parentPort;
if (port) {
  const options = workerData as SinkWorkerData;
  const reply = (message: SinkReply): void => port.postMessage(message);
  const log = createPredictionLog({
    store: createArtifactStore(options.destination),
    flushRows: options.flushRows,
    flushIntervalMs: options.flushIntervalMs,
    maxBufferedRows: options.maxBufferedRows,
    onDropped: (count) => reply({ kind: "dropped", count }),
    onError: (error) => reply({ kind: "error", message: error instanceof Error ? error.message : String(error) }),
  });
  const schemas = new Map<number, LoggedModel>();
  /** Values [from, from + length) of a concatenated tensor. */
  const part = (data: TensorData, from: number, length: number): TensorData =>
    Array.isArray(data) ? data.slice(from, from + length) : data.subarray(from, from + length);
  port.on("message", (message: SinkMessage) => {
    if (message.kind === "close") {
      void log.close().then(() => reply({ kind: "closed" }));
      return;
    }
    for (const [id, schema] of message.schemas) schemas.set(id, schema);
    for (const group of message.groups) {
      const schema = schemas.get(group.schema);
      if (!schema) continue;
      const inputAt = schema.inputs.map(() => 0);
      const outputAt = schema.outputs.map(() => 0);
      group.requests.forEach((request, i) => {
        const rows = group.rows[i];
        const inputs: Record<string, TensorData> = {};
        schema.inputs.forEach((t, k) => {
          inputs[t.name] = part(group.inputs[k], inputAt[k], group.inputLengths[k][i]);
          inputAt[k] += group.inputLengths[k][i];
        });
        const outputs: Record<string, TensorData> = {};
        schema.outputs.forEach((t, k) => {
          outputs[t.name] = part(group.outputs[k], outputAt[k], group.outputLengths[k][i]);
          outputAt[k] += group.outputLengths[k][i];
        });
        try {
          for (const record of predictionRecords(request, schema, { rows, inputs }, { rows, outputs })) log.append(record);
        } catch (error) {
          reply({ kind: "error", message: error instanceof Error ? error.message : String(error) });
        }
      });
    }
  });
}
