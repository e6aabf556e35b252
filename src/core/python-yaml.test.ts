import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { pythonYamlDump } from "./python-yaml.js";

const WORDS = Array.from({ length: 30 }, (_, i) => `word${i}`).join(" ");

// Expected texts are what PyYAML 6.0.3 prints for yaml.safe_dump(doc, default_flow_style=False).
describe("pythonYamlDump", () => {
  it("folds long plain scalars where PyYAML does, in mappings and sequences", () => {
    const doc = { top: WORDS, nested: { l: [WORDS, { x: WORDS }] } };
    expect(pythonYamlDump(doc)).toBe(
      [
        "nested:",
        "  l:",
        "  - word0 word1 word2 word3 word4 word5 word6 word7 word8 word9 word10 word11 word12",
        "    word13 word14 word15 word16 word17 word18 word19 word20 word21 word22 word23 word24",
        "    word25 word26 word27 word28 word29",
        "  - x: word0 word1 word2 word3 word4 word5 word6 word7 word8 word9 word10 word11 word12",
        "      word13 word14 word15 word16 word17 word18 word19 word20 word21 word22 word23",
        "      word24 word25 word26 word27 word28 word29",
        "top: word0 word1 word2 word3 word4 word5 word6 word7 word8 word9 word10 word11 word12",
        "  word13 word14 word15 word16 word17 word18 word19 word20 word21 word22 word23 word24",
        "  word25 word26 word27 word28 word29",
        "",
      ].join("\n"),
    );
  });

  it("folds single-quoted JSON the way MLflow's signature lines are folded", () => {
    const inputs = '[{"type": "double", "name": "mean radius", "required": true}, {"type": "double", "name": "mean texture", "required": true}]';
    expect(pythonYamlDump({ signature: { inputs } })).toBe(
      "signature:\n" +
        '  inputs: \'[{"type": "double", "name": "mean radius", "required": true}, {"type":\n' +
        '    "double", "name": "mean texture", "required": true}]\'\n',
    );
  });

  it("quotes what YAML 1.1 would misread and sorts keys", () => {
    const doc = {
      z: [],
      yes: "yes",
      v: "1.16",
      t: "2024-01-01 12:00:00",
      s: "3.11.7",
      on: "on",
      ok: true,
      num: 3,
      none: null,
      e: {},
    };
    expect(pythonYamlDump({ flags: doc })).toBe(
      "flags:\n  e: {}\n  none: null\n  num: 3\n  ok: true\n  'on': 'on'\n  s: 3.11.7\n" +
        "  t: '2024-01-01 12:00:00'\n  v: '1.16'\n  'yes': 'yes'\n  z: []\n",
    );
  });

  it("keeps insertion order when asked, as MLflow's python_env.yaml does", () => {
    const doc = { python: "3.11.7", build_dependencies: ["pip"], dependencies: ["-r requirements.txt"] };
    expect(pythonYamlDump(doc, { sortKeys: false })).toBe(
      "python: 3.11.7\nbuild_dependencies:\n- pip\ndependencies:\n- -r requirements.txt\n",
    );
  });

  it("never changes a value, whatever the strings hold", () => {
    const tricky = {
      multi: `first line\n  indented ${WORDS}\n\nlast`,
      quote: `it's ${WORDS}`,
      spaces: `two  spaces ${WORDS}   end`,
      unicode: `café ${WORDS}`,
      colon: `key: value ${WORDS}`,
      list: [`- dash ${WORDS}`, `#hash ${WORDS}`, `trailing ${WORDS} `],
    };
    expect(parse(pythonYamlDump(tricky), { version: "1.1" })).toEqual(tricky);
  });
});
