/**
 * Hash routing (`/#/experiments/1/runs?filter=...`), as MLflow's UI does: every page has a URL that can be
 * shared, back and forward work, and the server needs no fallback route.
 */
import { useEffect, useState } from "react";

export interface Location {
  /** Path segments after `#/`, e.g. ["experiments", "1"]. */
  readonly segments: readonly string[];
  readonly query: URLSearchParams;
}

function current(): Location {
  const hash = window.location.hash.replace(/^#\/?/, "");
  const [path, search = ""] = hash.split("?", 2);
  return { segments: path.split("/").filter(Boolean).map(decodeURIComponent), query: new URLSearchParams(search) };
}

/** The current location; re-renders on every navigation. */
export function useLocation(): Location {
  const [location, setLocation] = useState(current);
  useEffect(() => {
    const onChange = (): void => setLocation(current());
    window.addEventListener("hashchange", onChange);
    return () => window.removeEventListener("hashchange", onChange);
  }, []);
  return location;
}

/** The href of a page: `href(["experiments", id], { filter })`. */
export function href(segments: readonly (string | number)[], query: Readonly<Record<string, string | undefined>> = {}): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== "") params.set(k, v);
  const search = params.toString();
  return `#/${segments.map((s) => encodeURIComponent(String(s))).join("/")}${search ? `?${search}` : ""}`;
}

/** Goes to a page, adding a history entry (or replacing the current one, for state like a filter being typed). */
export function navigate(target: string, options: { replace?: boolean } = {}): void {
  if (options.replace) window.history.replaceState(null, "", target);
  else window.location.hash = target.replace(/^#/, "");
  if (options.replace) window.dispatchEvent(new HashChangeEvent("hashchange"));
}
