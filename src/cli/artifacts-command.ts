import type { Command } from "commander";
import { downloadArtifacts } from "../client/artifact-transfer.js";
import type { CliContext } from "./cli-context.js";
import { formatTable } from "./format-table.js";
import { formatBytes } from "./format-values.js";

/** `keel artifacts list|download`. */
export function registerArtifactsCommand(program: Command, ctx: CliContext): void {
  const artifacts = program.command("artifacts").description("list and download a run's artifacts");

  artifacts
    .command("list")
    .description("list a run's artifacts (one directory level)")
    .argument("<run-id>", "run id")
    .argument("[path]", "directory relative to the run's artifact root")
    .option("--json", "print JSON")
    .action(async (runId: string, path: string | undefined, options: { json?: boolean }, command: Command) => {
      const listing = await ctx.client(command).listArtifacts({ run_id: runId, ...(path ? { path } : {}) }, { allPages: true });
      if (options.json) return ctx.printJson({ root_uri: listing.root_uri, files: listing.files });
      if (listing.files.length === 0) return ctx.print(path ? `No artifacts under '${path}'.` : "No artifacts.");
      const rows = listing.files.map((f) => [f.is_dir ? `${f.path}/` : f.path, f.is_dir ? "dir" : "file", f.is_dir ? "" : formatBytes(f.file_size)]);
      ctx.print(formatTable(rows, { header: ["PATH", "TYPE", "SIZE"], align: ["left", "left", "right"], maxCellWidth: 200 }));
    });

  artifacts
    .command("download")
    .description("download an artifact file, or a directory recursively, to <dest>/<path>")
    .argument("<run-id>", "run id")
    .argument("[path]", "file or directory relative to the run's artifact root (default: all artifacts)")
    .option("--dest <dir>", "local directory to download into", ".")
    .action(async (runId: string, path: string | undefined, options: { dest: string }, command: Command) => {
      const { localPath, files } = await downloadArtifacts(ctx.client(command), { runId, path, dest: options.dest });
      ctx.print(`Downloaded ${files.length} file${files.length === 1 ? "" : "s"} to ${localPath}`);
    });
}
