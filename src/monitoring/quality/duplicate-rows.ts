/**
 * Duplicate rows of a columnar table, found without building a row object or key string per row: each row gets
 * two 32-bit hashes built column by column, rows go into an open-addressing table of row indices, and a hash
 * match counts only after the rows compare equal value by value, so a collision never inflates the count.
 */
import type { Column } from "../../core/frame.js";

// Two murmur3 streams with different seeds: one picks the slot, both must match before rows are compared.
const SEED_A = 0x2545f491;
const SEED_B = 0x9e3779b9 | 0;
const NULL_TEXT = 0x7f4a7c15;
const NAN_LOW = 0;
const NAN_HIGH = 0x7ff80000;

function mix(hash: number, word: number): number {
  let k = Math.imul(word, 0xcc9e2d51);
  k = (k << 15) | (k >>> 17);
  k = Math.imul(k, 0x1b873593);
  const h = hash ^ k;
  return (Math.imul((h << 13) | (h >>> 19), 5) + 0xe6546b64) | 0;
}

function finalize(hash: number): number {
  let h = hash ^ (hash >>> 16);
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/** FNV-1a over UTF-16 code units, with the length mixed in so that "" and null differ. */
function hashText(text: string | null): number {
  if (text === null) return NULL_TEXT;
  let h = 0x811c9dc5 ^ text.length;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h;
}

function mixNumbers(values: Float64Array, a: Int32Array, b: Int32Array): void {
  const words = new Uint32Array(values.buffer, values.byteOffset, values.length * 2);
  // Little-endian word order is irrelevant: every row of a column is read the same way.
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    let low = words[2 * i];
    let high = words[2 * i + 1];
    if (v !== v) {
      low = NAN_LOW;
      high = NAN_HIGH;
    } else if (v === 0) {
      low = 0;
      high = 0;
    }
    a[i] = mix(mix(a[i], low), high);
    b[i] = mix(mix(b[i], high), low);
  }
}

function mixTexts(values: readonly (string | null)[], a: Int32Array, b: Int32Array): void {
  for (let i = 0; i < values.length; i++) {
    const h = hashText(values[i]);
    a[i] = mix(a[i], h);
    b[i] = mix(b[i], h ^ NULL_TEXT);
  }
}

function rowsEqual(columns: readonly Column[], x: number, y: number): boolean {
  for (const column of columns) {
    const u = column.values[x];
    const v = column.values[y];
    // NaN equals NaN here: two rows both missing a value are the same row.
    if (u !== v && !(u !== u && v !== v)) return false;
  }
  return true;
}

/**
 * Counts rows equal to an earlier row over `columns` (all of `rowCount` values). Missing equals missing, and
 * 0 equals -0. With no column every row after the first is a duplicate.
 * @example
 * countDuplicateRows(frame.columns, frame.rowCount); // 12
 */
export function countDuplicateRows(columns: readonly Column[], rowCount: number): number {
  if (rowCount < 2) return 0;
  if (columns.length === 0) return rowCount - 1;
  const a = new Int32Array(rowCount).fill(SEED_A);
  const b = new Int32Array(rowCount).fill(SEED_B);
  for (const column of columns) {
    if (column.kind === "number") mixNumbers(column.values, a, b);
    else mixTexts(column.values, a, b);
  }
  for (let i = 0; i < rowCount; i++) {
    a[i] = finalize(a[i]);
    b[i] = finalize(b[i]);
  }
  // Open addressing with linear probing over a power-of-two table at most half full; a slot holds a row index.
  const mask = 2 ** Math.ceil(Math.log2(rowCount * 2)) - 1;
  const slots = new Int32Array(mask + 1).fill(-1);
  let duplicates = 0;
  for (let i = 0; i < rowCount; i++) {
    let slot = a[i] & mask;
    for (;;) {
      const row = slots[slot];
      if (row === -1) {
        slots[slot] = i;
        break;
      }
      if (a[row] === a[i] && b[row] === b[i] && rowsEqual(columns, row, i)) {
        duplicates++;
        break;
      }
      slot = (slot + 1) & mask;
    }
  }
  return duplicates;
}
