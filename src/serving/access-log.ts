/**
 * The structured access log: one JSON line per request, written in batches (one write per turn of the
 * event loop, or sooner past 64 KiB) so that logging costs no system call per request.
 */
const FLUSH_BYTES = 64 * 1024;

export interface AccessLog {
  /** Queues one line (without its newline). */
  write(line: string): void;
  /** Writes what is queued now. */
  flush(): void;
}

/** @example const log = createAccessLog((text) => process.stdout.write(text)); log.write(JSON.stringify(entry)); */
export function createAccessLog(sink: (text: string) => void): AccessLog {
  let queued: string[] = [];
  let bytes = 0;
  let scheduled = false;
  const flush = (): void => {
    scheduled = false;
    if (queued.length === 0) return;
    const text = `${queued.join("\n")}\n`;
    queued = [];
    bytes = 0;
    sink(text);
  };
  return {
    write(line) {
      queued.push(line);
      bytes += line.length + 1;
      if (bytes >= FLUSH_BYTES) flush();
      else if (!scheduled) {
        scheduled = true;
        setImmediate(flush);
      }
    },
    flush,
  };
}
