import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { realServer } from "./harness.js";

const run = promisify(execFile);

/** The curl examples of the README, run as written (with the server's port and the created run's id). */
function readmeCurlCommands(): string[] {
  const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");
  const section = readme.slice(readme.indexOf("### curl"));
  const block = section.slice(section.indexOf("```sh") + 5, section.indexOf("```", section.indexOf("```sh") + 5));
  // A command runs from a line starting with `curl` to the next one (or a `#` comment showing its output);
  // its continuation lines, quoted JSON included, are kept as the shell would read them.
  const commands: string[] = [];
  for (const line of block.split("\n")) {
    if (line.startsWith("curl ")) commands.push(line);
    else if (line.startsWith("#") || line.trim() === "") continue;
    else if (commands.length > 0) commands[commands.length - 1] += `\n${line}`;
  }
  return commands;
}

describe("the README's curl examples", () => {
  let server: Awaited<ReturnType<typeof realServer>>;
  let workdir: string;
  beforeAll(async () => {
    server = await realServer();
    workdir = mkdtempSync(join(tmpdir(), "keel-readme-"));
    writeFileSync(join(workdir, "report.html"), "<h1>churn report</h1>\n");
  });
  afterAll(async () => {
    await server.close();
    rmSync(workdir, { recursive: true, force: true });
  });

  it("work as written against a fresh server", async () => {
    const commands = readmeCurlCommands();
    expect(commands.length).toBeGreaterThanOrEqual(8);
    let runId = "";
    const outputs: string[] = [];
    for (const command of commands) {
      const line = command.replaceAll("http://127.0.0.1:5000", server.url).replaceAll("<RUN_ID>", runId);
      // Asynchronous: the server answers from this same process.
      const { stdout: output } = await run("bash", ["-c", line], { cwd: workdir, encoding: "utf8" });
      expect(output, line).not.toContain("error_code");
      outputs.push(output);
      if (line.includes("/runs/create")) runId = (JSON.parse(output) as { run: { info: { run_id: string } } }).run.info.run_id;
    }
    const all = outputs.join("\n");
    expect(all).toContain(`"run_id":"${runId}"`);
    expect(all).toContain('{"metrics":[{"key":"auc","value":0.91,"timestamp":1700000000000,"step":1}]}');
    expect(all).toContain('"path":"report.html"');
    expect(all).toContain("<h1>churn report</h1>");
    expect(outputs[outputs.length - 1]).toBe("OK");
  });
});
