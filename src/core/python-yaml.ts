/**
 * YAML as MLflow writes it with PyYAML's `yaml.safe_dump(data, default_flow_style=False)`: block style,
 * sequences not indented under their key, strings quoted wherever YAML 1.1 would read them as something
 * else, and long scalars folded the way PyYAML folds them. The `yaml` package does all of this except the
 * folding, whose break points differ; a line-level pass re-folds its unfolded output so that a Keel-written
 * MLmodel is byte-identical to the one MLflow writes for the same model. Known cosmetic differences, none of
 * which changes a value: a string holding `'` is double-quoted (PyYAML doubles the quote inside single
 * quotes), non-ASCII text is written as is (PyYAML escapes it), and `y`/`n` are quoted (YAML 1.1 booleans
 * to the `yaml` package, not to PyYAML).
 */
import { stringify } from "yaml";

export interface PythonYamlOptions {
  /** safe_dump sorts every mapping's keys unless told `sort_keys=False` (MLflow's python_env.yaml). */
  readonly sortKeys?: boolean;
}

/** PyYAML's `best_width`. */
const WIDTH = 80;

export function pythonYamlDump(value: unknown, options: PythonYamlOptions = {}): string {
  const unfolded = stringify(value, {
    version: "1.1",
    sortMapEntries: options.sortKeys ?? true,
    indentSeq: false,
    singleQuote: true,
    lineWidth: 0,
  });
  return foldLines(unfolded);
}

// prefix: indentation, "- " markers and an optional `key: `; the key is plain (which cannot hold ": ") or quoted.
const LINE = /^((?: *- )*(?: *)(?:('(?:[^']|'')*'|"(?:[^"\\]|\\.)*"|[^\s'"#-][^]*?|-[^\s][^]*?): )?)(.*)$/;
const SINGLE_QUOTED = /^'(?:[^']|'')*'$/;
const BLOCK_HEADER = /^(?:![^ ]* )?[|>][-+0-9]*$/;

function foldLines(text: string): string {
  const lines = text.split("\n");
  let blockIndent = -1;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const lead = line.length - line.trimStart().length;
    // Lines of a literal block scalar are content, not YAML structure: leave them exactly as they are.
    if (blockIndent >= 0 && (line.trim() === "" || lead > blockIndent)) continue;
    blockIndent = -1;
    const match = LINE.exec(line);
    if (!match) continue;
    const [, prefix, key, scalar] = match;
    if (BLOCK_HEADER.test(scalar)) {
      blockIndent = lead;
      continue;
    }
    const indent = key === undefined ? prefix.length : prefix.length - key.length;
    if (SINGLE_QUOTED.test(scalar)) {
      lines[i] = `${prefix}'${fold(scalar.slice(1, -1), prefix.length + 1, indent)}'`;
    } else if (scalar !== "" && !/^['"|>{[&*!%@`#]/.test(scalar) && !scalar.endsWith(":")) {
      // A plain scalar; one ending in ':' is a key that opens a nested block, which PyYAML never folds.
      lines[i] = prefix + fold(scalar, prefix.length, indent);
    }
  }
  return lines.join("\n");
}

/**
 * PyYAML's rule (Emitter.write_plain / write_single_quoted): words are written whole, and a single space
 * becomes a line break when the column has already passed the width, unless it is the first or last
 * character. Runs of several spaces are never broken, since folding would change them.
 */
function fold(body: string, startColumn: number, indent: number): string {
  let out = "";
  let column = startColumn;
  let end = 0;
  for (const run of body.match(/ +|[^ ]+/g) ?? []) {
    const start = end;
    end += run.length;
    if (run === " " && column > WIDTH && start !== 0 && end !== body.length) {
      out += `\n${" ".repeat(indent)}`;
      column = indent;
    } else {
      out += run;
      column += run.length;
    }
  }
  return out;
}
