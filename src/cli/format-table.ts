export type Align = "left" | "right";

export interface TableOptions {
  /** Column titles, printed above the rows. */
  readonly header?: readonly string[];
  /** Per column; default left. */
  readonly align?: readonly Align[];
  /** Longer cells are cut with an ellipsis, so one huge tag value does not wreck the layout. Default 80. */
  readonly maxCellWidth?: number;
  /** Spaces between columns. Default 2. */
  readonly gap?: number;
}

/** Width in terminal columns, counting code points (not UTF-16 units) and East Asian wide characters as two. */
export function displayWidth(text: string): number {
  let width = 0;
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    if (code < 0x20 || (code >= 0x300 && code <= 0x36f)) continue;
    width += isWide(code) ? 2 : 1;
  }
  return width;
}

function isWide(code: number): boolean {
  return (
    (code >= 0x1100 && code <= 0x115f) ||
    (code >= 0x2e80 && code <= 0xa4cf) ||
    (code >= 0xac00 && code <= 0xd7a3) ||
    (code >= 0xf900 && code <= 0xfaff) ||
    (code >= 0xfe30 && code <= 0xfe4f) ||
    (code >= 0xff00 && code <= 0xff60) ||
    (code >= 0xffe0 && code <= 0xffe6) ||
    (code >= 0x1f300 && code <= 0x1faff) ||
    (code >= 0x20000 && code <= 0x3fffd)
  );
}

/** One line, at most `max` columns wide. */
export function cell(text: string, max: number): string {
  const flat = text.replace(/\r?\n|\t/g, " ");
  if (displayWidth(flat) <= max) return flat;
  let out = "";
  for (const char of flat) {
    if (displayWidth(out + char) > max - 1) break;
    out += char;
  }
  return `${out}…`;
}

function pad(text: string, width: number, align: Align): string {
  const fill = " ".repeat(Math.max(0, width - displayWidth(text)));
  return align === "right" ? fill + text : text + fill;
}

/**
 * Rows as aligned columns, one line each, without trailing spaces; ends with a newline. An empty row list
 * prints just the header (or nothing).
 */
export function formatTable(rows: readonly (readonly string[])[], options: TableOptions = {}): string {
  const max = options.maxCellWidth ?? 80;
  const gap = " ".repeat(options.gap ?? 2);
  const all = (options.header ? [options.header, ...rows] : rows).map((row) => row.map((c) => cell(c, max)));
  if (all.length === 0) return "";
  const columns = Math.max(...all.map((row) => row.length));
  const widths = Array.from({ length: columns }, (_, i) => Math.max(0, ...all.map((row) => displayWidth(row[i] ?? ""))));
  const lines = all.map((row) =>
    widths
      .map((width, i) => pad(row[i] ?? "", width, options.align?.[i] ?? "left"))
      .join(gap)
      .trimEnd(),
  );
  return `${lines.join("\n")}\n`;
}
