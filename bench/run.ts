/**
 * `npm run bench -- NAME [--backend sqlite|postgresql]`: runs one benchmark program from bench/ and prints
 * its result table (markdown, ready for BENCHMARKS.md). `learn` takes `--only` and `--datasets` instead.
 */
const BENCHES = ["ingest", "search", "history", "downsample", "registry", "learn", "serving", "drift", "monitor", "ui"] as const;

const [name, ...rest] = process.argv.slice(2);
if (!name || !(BENCHES as readonly string[]).includes(name)) {
  process.stderr.write(`usage: npm run bench -- <${BENCHES.join("|")}> [--backend sqlite|postgresql] | learn [--only logreg,tree,rf,gbdt] [--datasets breast_cancer,digits,wine,big] | drift [--rows N] [--reps K]\n`);
  process.exit(2);
}
const module = (await import(`./${name}.ts`)) as { main(argv: readonly string[]): Promise<void> };
await module.main(rest);
