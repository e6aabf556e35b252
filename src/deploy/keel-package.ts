/**
 * Keel's own package, packed into a Docker build context so that the image runs exactly the Keel that wrote
 * the Dockerfile, with the dependency versions of its package-lock.json.
 */
import { execFile } from "node:child_process";
import { copyFile, readFile, stat } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { KeelError } from "../core/errors.js";

const run = promisify(execFile);
const PACKAGE_NAME = "keel";

async function exists(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined)) !== undefined;
}

async function packageName(dir: string): Promise<string | undefined> {
  try {
    const json = JSON.parse(await readFile(join(dir, "package.json"), "utf8")) as { name?: unknown };
    return typeof json.name === "string" ? json.name : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The root directory of the Keel package this module belongs to (from `src/` or `dist/`): the nearest
 * directory above `fromUrl` whose package.json is named `keel`. Throws INTERNAL_ERROR when there is none.
 */
export async function findKeelRoot(fromUrl: string = import.meta.url): Promise<string> {
  let dir = dirname(fileURLToPath(fromUrl));
  for (;;) {
    if ((await packageName(dir)) === PACKAGE_NAME) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new KeelError("INTERNAL_ERROR", `no package.json named '${PACKAGE_NAME}' above ${fileURLToPath(fromUrl)}`);
    dir = parent;
  }
}

/**
 * Packs the Keel package at `root` with `npm pack` into `destDir`, copies its package-lock.json beside the
 * tarball, and resolves with the tarball's file name. A source checkout with its dev dependencies is compiled
 * first (npm runs `prepare`); an installed copy is packed as it is. Throws INVALID_PARAMETER_VALUE when there
 * is no package-lock.json (the image installs with `npm ci`), INTERNAL_ERROR when npm fails.
 */
export async function packKeel(destDir: string, root?: string): Promise<string> {
  const keelRoot = root ?? (await findKeelRoot());
  const lockfile = join(keelRoot, "package-lock.json");
  if (!(await exists(lockfile))) {
    throw new KeelError(
      "INVALID_PARAMETER_VALUE",
      `Keel at ${keelRoot} has no package-lock.json, which the image needs for \`npm ci\`; run \`keel deploy docker\` from a Keel source checkout`,
    );
  }
  const canCompile = (await exists(join(keelRoot, "tsconfig.build.json"))) && (await exists(join(keelRoot, "node_modules", "typescript")));
  const args = ["pack", "--json", "--pack-destination", destDir, ...(canCompile ? [] : ["--ignore-scripts"])];
  let stdout: string;
  try {
    ({ stdout } = await run("npm", args, { cwd: keelRoot, maxBuffer: 64 * 1024 * 1024 }));
  } catch (error) {
    const detail = (error as { stderr?: string }).stderr?.trim().split("\n").slice(-3).join(" ") ?? String(error);
    throw new KeelError("INTERNAL_ERROR", `\`npm pack\` of Keel at ${keelRoot} failed: ${detail}`, { cause: error });
  }
  // npm prints the lifecycle scripts' output before its JSON when `prepare` runs.
  const packed = JSON.parse(stdout.slice(stdout.indexOf("[\n"))) as { filename: string; files: { path: string }[] }[];
  const entry = packed[0];
  if (!entry?.files.some((f) => f.path === "dist/cli/main.js")) {
    throw new KeelError("INTERNAL_ERROR", `the Keel package packed from ${keelRoot} has no dist/cli/main.js; build it with \`npm run build\` first`);
  }
  await copyFile(lockfile, join(destDir, "package-lock.json"));
  return basename(entry.filename);
}
