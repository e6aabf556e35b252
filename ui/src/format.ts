/** How the UI writes times, durations and numbers. Times are shown in UTC, as the server stores them. */

export function formatTime(ms: number | undefined): string {
  return ms ? new Date(ms).toISOString().replace("T", " ").slice(0, 19) : "";
}

/** "1.2 s", "3 min 4 s", "2 h 5 min"; empty when the run has no end yet. */
export function formatDuration(start: number | undefined, end: number | undefined): string {
  if (!start || !end) return "";
  const s = Math.max(0, end - start) / 1000;
  if (s < 60) return `${s < 10 ? s.toFixed(1) : Math.round(s)} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
  return `${Math.floor(s / 3600)} h ${Math.round((s % 3600) / 60)} min`;
}

/** Up to 6 significant digits, without a trailing exponent unless needed. */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Number.isInteger(value) && Math.abs(value) < 1e15) return String(value);
  return Number(value.toPrecision(6)).toString();
}

export function formatBytes(size: number | undefined): string {
  if (size === undefined) return "";
  if (size < 1024) return `${size} B`;
  if (size < 1024 * 1024) return `${(size / 1024).toFixed(1)} KB`;
  return `${(size / 1024 / 1024).toFixed(1)} MB`;
}
