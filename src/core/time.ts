/** Current time as UTC epoch milliseconds, the unit of every timestamp Keel stores. */
export function nowMs(): number {
  return Date.now();
}
