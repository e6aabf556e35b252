import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { refusal } from "../../test/support/keel-errors.js";
import { ModelWatcher, isMovableModelUri } from "./model-watcher.js";

const INTERVAL = 1000;
const ALIAS = "models:/churn@production";
const STAGE = "models:/fraud/Production";

/** A promise the test settles by hand. */
function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void; reject: (error: unknown) => void } {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** A registry whose URIs point where the test says, and a record of what the watcher asked and did. */
function fakeRegistry(initial: Record<string, string>) {
  const versions = new Map(Object.entries(initial));
  const changes: [string, string, string][] = [];
  const errors: [string, string][] = [];
  const resolve = vi.fn(async (uri: string) => {
    const version = versions.get(uri);
    if (version === undefined) throw new Error(`${uri} does not exist`);
    return version;
  });
  const onChange = vi.fn(async (uri: string, from: string, to: string) => {
    changes.push([uri, from, to]);
  });
  const onError = (uri: string, error: unknown): void => {
    errors.push([uri, (error as Error).message]);
  };
  return { versions, changes, errors, resolve, onChange, onError };
}

let watcher: ModelWatcher | undefined;

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  // Not awaited: after a failed expectation a check may wait forever on a deferred the test never settled.
  void watcher?.close();
  watcher = undefined;
  vi.useRealTimers();
});

function start(registry: ReturnType<typeof fakeRegistry>, intervalMs = INTERVAL): ModelWatcher {
  const { resolve, onChange, onError } = registry;
  watcher = new ModelWatcher({ intervalMs, resolve, onChange, onError });
  return watcher;
}

describe("ModelWatcher", () => {
  it("detects a move once, on the next poll", async () => {
    const registry = fakeRegistry({ [ALIAS]: "3" });
    const w = start(registry);
    expect(w.watch(ALIAS, "3")).toBe(true);
    await vi.advanceTimersByTimeAsync(INTERVAL);
    expect(registry.changes).toEqual([]);
    registry.versions.set(ALIAS, "4");
    await vi.advanceTimersByTimeAsync(INTERVAL - 1);
    expect(registry.changes).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(registry.changes).toEqual([[ALIAS, "3", "4"]]);
    await vi.advanceTimersByTimeAsync(5 * INTERVAL);
    expect(registry.changes).toHaveLength(1);
    expect(w.versions().get(ALIAS)).toBe("4");
  });

  it("detects a rollback: the alias going back to an older version", async () => {
    const registry = fakeRegistry({ [STAGE]: "7" });
    const w = start(registry);
    w.watch(STAGE, "6");
    await vi.advanceTimersByTimeAsync(INTERVAL);
    registry.versions.set(STAGE, "6");
    await vi.advanceTimersByTimeAsync(INTERVAL);
    expect(registry.changes).toEqual([[STAGE, "6", "7"], [STAGE, "7", "6"]]);
  });

  it("keeps the old version when onChange fails, reports it and retries on the next poll", async () => {
    const registry = fakeRegistry({ [ALIAS]: "4" });
    registry.onChange.mockRejectedValueOnce(new Error("model.onnx is corrupt"));
    const w = start(registry);
    w.watch(ALIAS, "3");
    await vi.advanceTimersByTimeAsync(INTERVAL);
    expect(registry.errors).toEqual([[ALIAS, "model.onnx is corrupt"]]);
    expect(w.versions().get(ALIAS)).toBe("3");
    await vi.advanceTimersByTimeAsync(INTERVAL);
    expect(registry.onChange.mock.calls).toEqual([[ALIAS, "3", "4"], [ALIAS, "3", "4"]]);
    expect(w.versions().get(ALIAS)).toBe("4");
    await vi.advanceTimersByTimeAsync(3 * INTERVAL);
    expect(registry.onChange).toHaveBeenCalledTimes(2);
  });

  it("reports a failing registry lookup and carries on polling", async () => {
    const registry = fakeRegistry({});
    const w = start(registry);
    w.watch(ALIAS, "3");
    await vi.advanceTimersByTimeAsync(2 * INTERVAL);
    expect(registry.errors).toEqual([[ALIAS, `${ALIAS} does not exist`], [ALIAS, `${ALIAS} does not exist`]]);
    registry.versions.set(ALIAS, "5");
    await vi.advanceTimersByTimeAsync(INTERVAL);
    expect(registry.changes).toEqual([[ALIAS, "3", "5"]]);
  });

  it("never checks a URI twice at once, while a slow one does not hold up the others", async () => {
    const registry = fakeRegistry({ [ALIAS]: "4", [STAGE]: "1" });
    const load = deferred<void>();
    registry.onChange.mockImplementationOnce(async (uri, from, to) => {
      registry.changes.push([uri, from, to]);
      await load.promise;
    });
    const w = start(registry);
    w.watch(ALIAS, "3");
    w.watch(STAGE, "1");
    await vi.advanceTimersByTimeAsync(INTERVAL);
    expect(registry.onChange).toHaveBeenCalledTimes(1);
    registry.versions.set(STAGE, "2");
    await vi.advanceTimersByTimeAsync(5 * INTERVAL);
    expect(registry.changes).toEqual([[ALIAS, "3", "4"], [STAGE, "1", "2"]]);
    // While its load runs, the alias is not looked up again, let alone loaded again.
    expect(registry.resolve.mock.calls.filter(([uri]) => uri === ALIAS)).toHaveLength(1);
    load.resolve();
    await vi.advanceTimersByTimeAsync(INTERVAL);
    expect(registry.resolve.mock.calls.filter(([uri]) => uri === ALIAS)).toHaveLength(2);
    expect(registry.onChange).toHaveBeenCalledTimes(2);
  });

  it("waits for a slow registry before polling the same URI again", async () => {
    const registry = fakeRegistry({});
    const answer = deferred<string>();
    registry.resolve.mockImplementationOnce(() => answer.promise);
    const w = start(registry);
    w.watch(ALIAS, "3");
    await vi.advanceTimersByTimeAsync(10 * INTERVAL);
    expect(registry.resolve).toHaveBeenCalledTimes(1);
    answer.resolve("4");
    await vi.advanceTimersByTimeAsync(0);
    expect(registry.changes).toEqual([[ALIAS, "3", "4"]]);
  });

  it("ignores URIs that cannot move: pinned versions, runs and paths", async () => {
    const registry = fakeRegistry({});
    const w = start(registry);
    for (const uri of ["models:/churn/3", "runs:/0123abcd/model", "./models/churn", "s3://bucket/churn", "file:///m"]) {
      expect(w.watch(uri, "1"), uri).toBe(false);
    }
    await vi.advanceTimersByTimeAsync(3 * INTERVAL);
    await w.checkNow();
    expect(registry.resolve).not.toHaveBeenCalled();
    expect(["models:/churn@champion", "models:/churn/Staging", "models:/churn/latest"].map(isMovableModelUri)).toEqual([true, true, true]);
  });

  it("checks at once on checkNow, resolving after the swap, even with polling off", async () => {
    const registry = fakeRegistry({ [ALIAS]: "4" });
    const w = start(registry, 0);
    expect(vi.getTimerCount()).toBe(0);
    w.watch(ALIAS, "3");
    await w.checkNow();
    expect(registry.changes).toEqual([[ALIAS, "3", "4"]]);
    expect(w.versions().get(ALIAS)).toBe("4");
  });

  it("on checkNow during a poll's lookup, looks again afterwards, as the poll may have read the old version", async () => {
    const registry = fakeRegistry({});
    const stale = deferred<string>();
    registry.resolve.mockImplementationOnce(() => stale.promise);
    const w = start(registry);
    w.watch(ALIAS, "3");
    await vi.advanceTimersByTimeAsync(INTERVAL);
    registry.versions.set(ALIAS, "4");
    let done = false;
    const pushed = w.checkNow().then(() => {
      done = true;
    });
    await vi.advanceTimersByTimeAsync(0);
    expect(done).toBe(false);
    stale.resolve("3");
    await pushed;
    expect(registry.resolve).toHaveBeenCalledTimes(2);
    expect(registry.changes).toEqual([[ALIAS, "3", "4"]]);
  });

  it("stops checking a URI after unwatch, and starts no onChange for a lookup still running", async () => {
    const registry = fakeRegistry({ [STAGE]: "2" });
    const answer = deferred<string>();
    registry.resolve.mockImplementationOnce(() => answer.promise);
    const w = start(registry);
    w.watch(ALIAS, "3");
    w.watch(STAGE, "1");
    await vi.advanceTimersByTimeAsync(INTERVAL);
    w.unwatch(ALIAS);
    answer.resolve("4");
    await vi.advanceTimersByTimeAsync(3 * INTERVAL);
    expect(registry.changes).toEqual([[STAGE, "1", "2"]]);
    expect([...w.versions().keys()]).toEqual([STAGE]);
  });

  it("stops polling on close, waits for a running check, and refuses new watches", async () => {
    const registry = fakeRegistry({ [ALIAS]: "3" });
    const answer = deferred<string>();
    registry.resolve.mockImplementationOnce(() => answer.promise);
    const w = start(registry);
    w.watch(ALIAS, "3");
    await vi.advanceTimersByTimeAsync(INTERVAL);
    let closed = false;
    const closing = w.close().then(() => {
      closed = true;
    });
    expect(vi.getTimerCount()).toBe(0);
    await vi.advanceTimersByTimeAsync(0);
    expect(closed).toBe(false);
    answer.resolve("4");
    await closing;
    await vi.advanceTimersByTimeAsync(5 * INTERVAL);
    expect(registry.resolve).toHaveBeenCalledTimes(1);
    expect(registry.onChange).not.toHaveBeenCalled();
    expect(refusal(() => w.watch(ALIAS, "3")).code).toBe("INVALID_STATE");
    await w.checkNow();
  });

  it("does not keep the process alive with its timer, and refuses a negative interval", () => {
    const setInterval = vi.spyOn(globalThis, "setInterval");
    start(fakeRegistry({}));
    const timer = setInterval.mock.results[0].value as NodeJS.Timeout;
    setInterval.mockRestore();
    expect(timer.hasRef()).toBe(false);
    const error = refusal(() => new ModelWatcher({ intervalMs: -1, resolve: async () => "1", onChange: async () => {} }));
    expect(error.code).toBe("INVALID_PARAMETER_VALUE");
  });

  it("survives an onError that throws", async () => {
    const registry = fakeRegistry({ [ALIAS]: "4" });
    registry.onChange.mockRejectedValueOnce(new Error("load failed"));
    watcher = new ModelWatcher({
      intervalMs: INTERVAL,
      resolve: registry.resolve,
      onChange: registry.onChange,
      onError: () => {
        throw new Error("logger is down");
      },
    });
    watcher.watch(ALIAS, "3");
    await vi.advanceTimersByTimeAsync(2 * INTERVAL);
    expect(registry.onChange).toHaveBeenCalledTimes(2);
    expect(watcher.versions().get(ALIAS)).toBe("4");
  });
});
