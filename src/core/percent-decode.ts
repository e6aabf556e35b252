/**
 * Percent-decodes until the text stops changing (at most 10 rounds), so that `%252e%252e` is seen as `..`, as
 * MLflow's path checks do since its double-encoding advisories. Undefined when an escape is malformed.
 */
export function percentDecodeFully(text: string): string | undefined {
  let current = text;
  for (let i = 0; i < 10; i++) {
    let next: string;
    try {
      next = decodeURIComponent(current);
    } catch {
      return undefined;
    }
    if (next === current) return current;
    current = next;
  }
  return current;
}
