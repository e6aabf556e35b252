/**
 * The tokenizer of MLflow's search grammar (see `search-filter.ts`): quoted strings, numbers, comparison
 * operators, parentheses, commas and dotted identifiers whose parts may be quoted, each with its offsets so
 * that errors can quote the input as the user wrote it.
 */
import type { KeelError } from "../core/errors.js";
import { invalidParameter } from "../core/errors.js";

/** Input quoted in an error message, cut short so that a huge filter does not make a huge message. */
export function clip(text: string, max = 200): string {
  return text.length <= max ? text : `${text.slice(0, max)}…`;
}

export function refuse(message: string): KeelError {
  return invalidParameter(clip(message, 2000));
}

interface IdentPart {
  readonly text: string;
  /** The quote the part was written in: none, "double" or `backtick`. */
  readonly quote: "" | '"' | "`";
}

/** `text` is the token as written; `start` and `end` are its offsets in the input. */
export type Token = { readonly text: string; readonly start: number; readonly end: number } & (
  | { readonly kind: "ident"; readonly parts: readonly IdentPart[] }
  | { readonly kind: "string"; readonly value: string }
  | { readonly kind: "number"; readonly value: number }
  | { readonly kind: "op" | "(" | ")" | "," }
);

// Sticky patterns, matched at a position rather than on a copy of the rest of the input.
const NUMBER = /-?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?(?![\w.])/y;
const OPERATOR = /!=|<>|==|>=|<=|=|>|</y;
const BARE_PART = /[A-Za-z0-9_]+/y;

function matchAt(pattern: RegExp, input: string, at: number): string | undefined {
  pattern.lastIndex = at;
  return pattern.exec(input)?.[0];
}

/** Reads `quote ... quote`, where a doubled quote stands for one; returns the text and the index after it. */
function readQuoted(input: string, start: number, what: string): { text: string; end: number } {
  const quote = input[start];
  let text = "";
  let i = start + 1;
  for (;;) {
    const close = input.indexOf(quote, i);
    if (close < 0) throw refuse(`${what}: unterminated ${quote} quote starting at position ${start}`);
    text += input.slice(i, close);
    if (input[close + 1] !== quote) return { text, end: close + 1 };
    text += quote;
    i = close + 2;
  }
}

/** An identifier is dot-separated parts, each bare or quoted: metrics.`my metric`, tags."mlflow.runName". */
function readIdentifier(input: string, start: number, what: string): Token {
  const parts: IdentPart[] = [];
  let i = start;
  for (;;) {
    const q = input[i];
    if (q === '"' || q === "`") {
      const { text, end } = readQuoted(input, i, what);
      parts.push({ text, quote: q });
      i = end;
    } else {
      const bare = matchAt(BARE_PART, input, i);
      if (!bare) throw refuse(`${what}: expected a name after '.' at position ${i}`);
      parts.push({ text: bare, quote: "" });
      i += bare.length;
    }
    if (input[i] !== ".") return { kind: "ident", parts, text: input.slice(start, i), start, end: i };
    i += 1;
  }
}

export function tokenize(input: string, what: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const c = input[i];
    let number: string | undefined;
    let operator: string | undefined;
    if (/\s/.test(c)) {
      i += 1;
      continue;
    }
    let token: Token;
    if (c === "(" || c === ")" || c === ",") {
      token = { kind: c, text: c, start: i, end: i + 1 };
    } else if (c === "'") {
      const { text, end } = readQuoted(input, i, what);
      token = { kind: "string", value: text, text: input.slice(i, end), start: i, end };
    } else if ((number = matchAt(NUMBER, input, i)) !== undefined) {
      token = { kind: "number", value: Number(number), text: number, start: i, end: i + number.length };
    } else if ((operator = matchAt(OPERATOR, input, i)) !== undefined) {
      token = { kind: "op", text: operator, start: i, end: i + operator.length };
    } else if (c === '"' || c === "`" || /[A-Za-z_]/.test(c)) {
      token = readIdentifier(input, i, what);
    } else {
      throw refuse(`${what}: unexpected character '${c}' at position ${i}`);
    }
    tokens.push(token);
    i = token.end;
  }
  return tokens;
}

export function isWord(token: Token | undefined, word: string): boolean {
  return token?.kind === "ident" && token.parts.length === 1 && token.parts[0].quote === "" && token.parts[0].text.toUpperCase() === word;
}

/** A single double-quoted identifier is a string value, as in MLflow (`params.a = "x"`). */
export function stringValue(token: Token | undefined): string | undefined {
  if (token?.kind === "string") return token.value;
  if (token?.kind === "ident" && token.parts.length === 1 && token.parts[0].quote === '"') return token.parts[0].text;
  return undefined;
}

/** The input text of `tokens[from..to)`, as the user wrote it. */
export function span(input: string, tokens: readonly Token[], from: number, to = tokens.length): string {
  if (from >= to) return "";
  return input.slice(tokens[from].start, tokens[to - 1].end);
}

/** Splits an identifier into entity type (undefined for a bare key) and key; `params.a.b` has key `a.b`. */
export function splitIdentifier(token: Token, what: string): { entity: string | undefined; key: string } {
  if (token.kind !== "ident") throw refuse(`${what}: expected an identifier such as metrics.loss, found '${token.text}'`);
  const [first, ...rest] = token.parts;
  if (rest.length === 0) return { entity: undefined, key: first.text };
  if (first.quote === '"') throw refuse(`${what}: invalid identifier '${token.text}'`);
  if (rest.length > 1 && rest.some((p) => p.quote !== "")) {
    throw refuse(`${what}: invalid identifier '${token.text}'; quote the whole key, e.g. ${first.text}.\`a.b\``);
  }
  return { entity: first.text, key: rest.map((p) => p.text).join(".") };
}

/** Reads `(string, string, ...)` starting at `tokens[i]`, the opening parenthesis. */
export function readList(tokens: readonly Token[], i: number, what: string): { values: string[]; end: number } {
  const values: string[] = [];
  let j = i + 1;
  if (tokens[j]?.kind === ")") throw refuse(`${what}: expected a non-empty list of quoted strings, got ()`);
  for (;;) {
    const value = stringValue(tokens[j]);
    if (value === undefined) {
      throw refuse(`${what}: expected a list of quoted strings such as ('a', 'b'), found '${tokens[j]?.text ?? "end of input"}'`);
    }
    values.push(value);
    const next = tokens[j + 1];
    if (next?.kind === ")") return { values, end: j + 2 };
    if (next?.kind !== ",") throw refuse(`${what}: expected ',' or ')' in list, found '${next?.text ?? "end of input"}'`);
    j += 2;
  }
}
