/**
 * Hot reload's trigger: watches the registry URIs that can move (an alias, a stage, `latest`) and calls
 * `onChange` when one points at another version, forward or back (a rollback is just another move). The
 * caller's onChange loads, warms and swaps the model; until it succeeds the old version stays the current
 * one, so the next poll tries again. Each URI is checked on its own: a slow registry answer or a slow load
 * for one model never delays another, and no URI is ever checked twice at once.
 */
import { KeelError, invalidParameter } from "../core/errors.js";
import { parseModelUri } from "../core/model-uri.js";

export interface ModelWatcherOptions {
  /** Milliseconds between polls; 0 turns polling off, leaving checkNow (POST /keel/reload) to trigger checks. */
  readonly intervalMs: number;
  /** The version `uri` points at now, asked of the registry. */
  readonly resolve: (uri: string) => Promise<string>;
  /** Load, warm and swap in version `to`; a rejection keeps `from` as the current version. */
  readonly onChange: (uri: string, from: string, to: string) => Promise<void>;
  /** Told of every failed resolve or onChange; the watcher itself carries on. */
  readonly onError?: (uri: string, error: unknown) => void;
}

interface Watched {
  /** The version being served; only a successful onChange moves it. */
  version: string;
  /** The check (resolve, then onChange when the version moved) running now. */
  running?: Promise<void>;
  /** A check queued behind the running one by checkNow. */
  queued?: Promise<void>;
}

/** Whether `uri` can come to point at another version: `models:/name@alias`, `models:/name/Stage`, `models:/name/latest`. */
export function isMovableModelUri(uri: string): boolean {
  const kind = parseModelUri(uri).kind;
  return kind === "alias" || kind === "stage" || kind === "latest";
}

/** Polls the registry for moved aliases and stages; a resource to close() when the server stops. */
export class ModelWatcher {
  private readonly options: ModelWatcherOptions;
  private readonly watched = new Map<string, Watched>();
  private readonly timer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(options: ModelWatcherOptions) {
    if (!Number.isFinite(options.intervalMs) || options.intervalMs < 0) {
      throw invalidParameter(`the model poll interval must be a number of milliseconds >= 0 (0: no polling), not ${options.intervalMs}`);
    }
    this.options = options;
    if (options.intervalMs > 0) {
      this.timer = setInterval(() => this.poll(), options.intervalMs);
      // Polling alone must not keep the process alive once the server has stopped.
      this.timer.unref();
    }
  }

  /**
   * Starts watching `uri`, served now at `currentVersion`; watching it again just records a new current
   * version. Returns false, and watches nothing, for a URI that cannot move (a pinned version, a run, a path).
   */
  watch(uri: string, currentVersion: string): boolean {
    if (this.closed) throw new KeelError("INVALID_STATE", "the model watcher is closed; create a new one to watch models");
    if (!isMovableModelUri(uri)) return false;
    const entry = this.watched.get(uri);
    if (entry) entry.version = currentVersion;
    else this.watched.set(uri, { version: currentVersion });
    return true;
  }

  /** Stops watching `uri`; a check of it already running finishes but starts no onChange. */
  unwatch(uri: string): void {
    this.watched.delete(uri);
  }

  /** The version being served for each watched URI. */
  versions(): ReadonlyMap<string, string> {
    return new Map([...this.watched].map(([uri, entry]) => [uri, entry.version]));
  }

  /**
   * Checks every watched URI now and resolves once each check, with any onChange it started, has finished.
   * A URI whose check is already running is checked again after it, as that check may have read the registry
   * before the move this call was made for. Never rejects: failures go to onError.
   */
  async checkNow(): Promise<void> {
    const checks = [...this.watched].map(([uri, entry]) => {
      if (!entry.running) return this.start(uri, entry);
      entry.queued ??= entry.running.then(() => {
        entry.queued = undefined;
        return this.watched.get(uri) === entry ? (entry.running ?? this.start(uri, entry)) : undefined;
      });
      return entry.queued;
    });
    await Promise.all(checks);
  }

  /**
   * Stops polling and resolves once the checks running now have finished; they start no onChange. A caller
   * that cannot wait for a hung registry or load races this with its own deadline.
   */
  async close(): Promise<void> {
    this.closed = true;
    if (this.timer !== undefined) clearInterval(this.timer);
    const running = [...this.watched.values()].flatMap((entry) => [entry.running, entry.queued]);
    this.watched.clear();
    await Promise.all(running);
  }

  private poll(): void {
    // A URI still being checked (a slow registry, a long load) is skipped, never checked twice at once.
    for (const [uri, entry] of this.watched) if (!entry.running) void this.start(uri, entry);
  }

  private start(uri: string, entry: Watched): Promise<void> {
    const running = this.check(uri, entry).finally(() => {
      entry.running = undefined;
    });
    entry.running = running;
    return running;
  }

  private async check(uri: string, entry: Watched): Promise<void> {
    let to: string;
    try {
      to = await this.options.resolve(uri);
    } catch (error) {
      this.report(uri, error);
      return;
    }
    const from = entry.version;
    if (to === from || this.closed || this.watched.get(uri) !== entry) return;
    try {
      await this.options.onChange(uri, from, to);
      entry.version = to;
    } catch (error) {
      this.report(uri, error);
    }
  }

  private report(uri: string, error: unknown): void {
    try {
      this.options.onError?.(uri, error);
    } catch {
      // A throwing error handler must not stop the watcher; there is nobody left to tell.
    }
  }
}
