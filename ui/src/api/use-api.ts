import { useEffect, useState } from "react";

export type Loadable<T> =
  | { readonly state: "loading" }
  | { readonly state: "error"; readonly error: Error }
  | { readonly state: "ready"; readonly data: T };

/**
 * Loads data for a page and reloads it when `deps` change; a stale answer (the user moved on) is dropped.
 * `reload()` fetches again, e.g. after a change the page made.
 */
export function useApi<T>(load: (signal: AbortSignal) => Promise<T>, deps: readonly unknown[]): Loadable<T> & { reload(): void } {
  const [value, setValue] = useState<Loadable<T>>({ state: "loading" });
  const [generation, setGeneration] = useState(0);
  useEffect(() => {
    const controller = new AbortController();
    setValue((v) => (v.state === "ready" ? v : { state: "loading" }));
    load(controller.signal).then(
      (data) => {
        if (!controller.signal.aborted) setValue({ state: "ready", data });
      },
      (error: unknown) => {
        if (!controller.signal.aborted) setValue({ state: "error", error: error instanceof Error ? error : new Error(String(error)) });
      },
    );
    return () => controller.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, generation]);
  return { ...value, reload: () => setGeneration((g) => g + 1) };
}
