import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { tempDir, tempFiles } from "../../test/support/servers.js";
import { findKeelRoot, packKeel } from "./keel-package.js";

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

/** A stand-in for an installed Keel (no tsconfig, so nothing is compiled): packing it takes a second. */
function fakeKeel(files: Record<string, string>): string {
  const made = tempFiles({ "package.json": JSON.stringify({ name: "keel", version: "9.8.7", bin: { keel: "dist/cli/main.js" } }), ...files });
  cleanups.push(made.cleanup);
  return made.dir;
}

function dest(): string {
  const made = tempDir();
  cleanups.push(made.cleanup);
  return made.dir;
}

describe("findKeelRoot", () => {
  it("finds the package this module belongs to", async () => {
    expect(await findKeelRoot()).toBe(join(import.meta.dirname, "..", ".."));
  });

  it("says so when there is no Keel package above", async () => {
    const elsewhere = fakeKeel({});
    await expect(findKeelRoot(pathToFileURL(join(elsewhere, "..", "x.js")).href)).rejects.toThrow(/no package.json named 'keel'/);
  });
});

describe("packKeel", () => {
  it("packs with npm and puts the lockfile beside the tarball", async () => {
    const root = fakeKeel({ "package-lock.json": '{"lockfileVersion": 3}', "dist/cli/main.js": "#!/usr/bin/env node\n" });
    const out = dest();
    expect(await packKeel(out, root)).toBe("keel-9.8.7.tgz");
    expect(existsSync(join(out, "keel-9.8.7.tgz"))).toBe(true);
    expect(readFileSync(join(out, "package-lock.json"), "utf8")).toBe('{"lockfileVersion": 3}');
  });

  it("refuses a Keel without package-lock.json, which `npm ci` in the image needs", async () => {
    await expect(packKeel(dest(), fakeKeel({ "dist/cli/main.js": "" }))).rejects.toThrow(/has no package-lock.json/);
  });

  it("refuses a package with no compiled CLI", async () => {
    await expect(packKeel(dest(), fakeKeel({ "package-lock.json": "{}", "src/x.ts": "" }))).rejects.toThrow(/no dist\/cli\/main.js/);
  });
});
