import { useState } from "react";

/**
 * A change a page makes (create, delete, set a tag, ...): `run` clears the last error, runs the action, keeps
 * its error for the page to show in words, and then calls `after` (a reload) whether it worked or not, since a
 * partly done change (a bulk delete stopped halfway) must show too. Resolves true when the action worked.
 */
export function useAction(after: () => void): { readonly error: Error | null; run(action: () => Promise<unknown>): Promise<boolean> } {
  const [error, setError] = useState<Error | null>(null);
  return {
    error,
    async run(action) {
      setError(null);
      try {
        await action();
        return true;
      } catch (e) {
        setError(e instanceof Error ? e : new Error(String(e)));
        return false;
      } finally {
        after();
      }
    },
  };
}
