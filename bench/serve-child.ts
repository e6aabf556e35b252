import { startServer } from "../src/server/start-server.js";

/** `keel server` for the benchmarks: prints READY <url> once listening, stops on SIGTERM. */
const [backendStoreUri, artifactsDestination] = process.argv.slice(2);
const server = await startServer({ host: "127.0.0.1", port: 0, backendStoreUri, artifactsDestination });
process.stdout.write(`READY ${server.url}\n`);
process.on("SIGTERM", () => {
  void server.close().then(() => process.exit(0));
});
