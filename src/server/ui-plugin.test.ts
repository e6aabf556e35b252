import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Fastify from "fastify";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { uiPlugin } from "./ui-plugin.js";

describe("the web UI's static files", () => {
  let root: string;
  let app: FastifyInstance;
  let bare: FastifyInstance;
  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), "keel-ui-"));
    root = join(dir, "ui");
    mkdirSync(join(root, "assets"), { recursive: true });
    writeFileSync(join(root, "index.html"), "<!doctype html><title>Keel</title>");
    writeFileSync(join(root, "assets", "index-abc123.js"), "console.log(1)");
    writeFileSync(join(dir, "secret.txt"), "not for the browser");
    app = Fastify();
    app.register(async (scope) => uiPlugin(scope, { root }));
    bare = Fastify();
    bare.register(async (scope) => uiPlugin(scope, { root: join(dir, "missing") }));
  });
  afterAll(async () => {
    await app.close();
    await bare.close();
    rmSync(join(root, ".."), { recursive: true, force: true });
  });

  it("answers the index at / to be revalidated on every load, and hashed assets as immutable", async () => {
    const index = await app.inject({ method: "GET", url: "/" });
    expect(index.statusCode).toBe(200);
    expect(index.headers["content-type"]).toContain("text/html");
    expect(index.headers["cache-control"]).toBe("no-cache");
    expect(index.body).toContain("<title>Keel</title>");
    const asset = await app.inject({ method: "GET", url: "/static-files/assets/index-abc123.js" });
    expect(asset.statusCode).toBe(200);
    expect(asset.headers["content-type"]).toContain("text/javascript");
    expect(asset.headers["cache-control"]).toBe("public, max-age=31536000, immutable");
  });

  it("never reads outside the build directory", async () => {
    for (const url of ["/static-files/../secret.txt", "/static-files/%2e%2e/secret.txt", "/static-files/assets/../../secret.txt", "/static-files/nope.js"]) {
      const response = await app.inject({ method: "GET", url });
      expect(response.statusCode, url).toBe(404);
      expect(response.body).not.toContain("not for the browser");
    }
  });

  it("says how to build the UI when it has not been built", async () => {
    const response = await bare.inject({ method: "GET", url: "/" });
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain("npm run build");
  });
});
