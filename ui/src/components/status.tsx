import type { ReactNode } from "react";
import type { Loadable } from "../api/use-api";

/** An error explained in words, with the server's error code when there is one. */
export function ErrorBox({ error }: { error: Error }) {
  const code = (error as { code?: string }).code;
  return (
    <div className="error" role="alert">
      {code ? <strong>{code}: </strong> : null}
      {error.message}
    </div>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <div className="empty">{children}</div>;
}

/** Renders `render(data)` once loaded; a spinner line before, the error in words after a failure. */
export function Loaded<T>({ value, render }: { value: Loadable<T>; render: (data: T) => ReactNode }) {
  if (value.state === "loading") return <div className="loading">Loading…</div>;
  if (value.state === "error") return <ErrorBox error={value.error} />;
  return <>{render(value.data)}</>;
}
