import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { freshSqliteUri } from "../support/databases.js";
import { keel } from "./cli-harness.js";

describe("keel server (in-process)", () => {
  it("takes its settings from the environment, serves until shutdown is asked, then closes", async () => {
    const { uri, cleanup } = await freshSqliteUri();
    const artifacts = mkdtempSync(join(tmpdir(), "keel-server-cmd-"));
    let stop: (signal: string) => void = () => undefined;
    let listening: (url: string) => void = () => undefined;
    const url = new Promise<string>((resolve) => (listening = resolve));
    try {
      const running = keel(
        "",
        ["server"],
        { KEEL_PORT: "0", MLFLOW_BACKEND_STORE_URI: uri, MLFLOW_ARTIFACTS_DESTINATION: artifacts },
        {
          waitForShutdown: () => new Promise((resolve) => (stop = resolve)),
          onStdout: (text) => {
            const match = /^Keel tracking server listening on (\S+)$/m.exec(text);
            if (match) listening(match[1]);
          },
        },
      );
      const address = await url;
      expect(address).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(await (await fetch(`${address}/health`)).text()).toBe("OK");
      stop("SIGTERM");
      const result = await running;
      expect(result.code).toBe(0);
      expect(result.stdout.trim().split("\n")).toHaveLength(1);
      await expect(fetch(`${address}/health`)).rejects.toThrow();
    } finally {
      cleanup();
      rmSync(artifacts, { recursive: true, force: true });
    }
  });

  it("exits 1 with a message for a bad port from the environment", async () => {
    const result = await keel("", ["server"], { KEEL_PORT: "eighty" });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe("error: port must be an integer from 0 to 65535, got 'eighty' (from KEEL_PORT)\n");
  });
});
