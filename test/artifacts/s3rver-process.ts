import { spawn } from "node:child_process";
import { once } from "node:events";
import { createRequire } from "node:module";
import { createInterface } from "node:readline";

export interface RunningS3rver {
  /** `http://127.0.0.1:<port>`; path-style, credentials S3RVER / S3RVER. */
  readonly endpoint: string;
  stop(): Promise<void>;
}

/**
 * Runs s3rver in a child process. s3rver 3.7.1 encrypts ListObjectsV2 continuation tokens with DES, which
 * OpenSSL 3 (Node 17+) only offers with the legacy provider; in-process, every truncated listing fails with
 * InternalError. The child also exits when our stdin pipe closes, so a crashed test run leaves nothing behind.
 */
export async function startS3rver(directory: string): Promise<RunningS3rver> {
  const modulePath = createRequire(import.meta.url).resolve("s3rver");
  const script = `
    const S3rver = require(${JSON.stringify(modulePath)});
    const server = new S3rver({ address: "127.0.0.1", port: 0, silent: true, directory: ${JSON.stringify(directory)} });
    server.run().then(({ port }) => console.log(JSON.stringify({ port })), (error) => { console.error(error); process.exit(1); });
    process.stdin.on("end", () => process.exit(0)).resume();
  `;
  const child = spawn(process.execPath, ["--openssl-legacy-provider", "-e", script], { stdio: ["pipe", "pipe", "inherit"] });
  const exited = once(child, "exit");
  const lines = createInterface({ input: child.stdout });
  const [line] = (await Promise.race([once(lines, "line"), exited.then(() => [undefined])])) as [string | undefined];
  if (line === undefined) throw new Error("s3rver exited before it started listening");
  const { port } = JSON.parse(line) as { port: number };
  return {
    endpoint: `http://127.0.0.1:${port}`,
    async stop() {
      child.stdin.end();
      await exited;
    },
  };
}
