import { invalidParameter } from "../core/errors.js";

/**
 * How many rounds of percent-decoding a path is checked through. Each layer between the client and the store
 * (a proxy, a router, a client library) may decode once, so `%252e%252e` becomes `..` after two; ten rounds is
 * far past any real stack, and bounded so a crafted path cannot make us loop.
 */
const MAX_DECODE_ROUNDS = 10;

/** NUL and the other C0 controls, DEL and the C1 controls: never part of a file name a user meant to write. */
const CONTROL_CHARS = /[\u0000-\u001f\u007f-\u009f]/;

/** A Windows drive (`C:`, `c:foo`): absolute or drive-relative there, so it never names a file under our root. */
const DRIVE_LETTER = /^[A-Za-z]:/;

/**
 * A segment made only of dots and spaces, other than '.': '..' itself, and '...', '.. ' or '. .' which Windows
 * trims to '..' or '.', and which path-stripping filters turn into '..'.
 */
const DOTS_ONLY = /^[.\s]*\.[.\s]*$/;

/** Quotes a client's path for a message: control characters escaped, long paths cut, so logs stay readable. */
function quote(raw: string): string {
  const shown = raw.length > 200 ? `${raw.slice(0, 200)}…` : raw;
  return `'${JSON.stringify(shown).slice(1, -1)}'`;
}

/**
 * Decodes only %XX escapes of ASCII characters. `decodeURIComponent` throws on any malformed escape, which
 * would let `%2e%2e/%zz` hide its dots behind a harmless-looking error; and only ASCII matters here, since
 * every character the checks look for ('.', '/', '\\', ';', '#', '?', controls) is ASCII.
 */
function decodeAsciiEscapes(value: string): string {
  return value.replace(/%([0-7][0-9a-fA-F])/g, (_match, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
}

/** The path as written and as every decoding layer could see it: the raw form, each decoded round, NFKC. */
function interpretations(raw: string): string[] {
  const forms = [raw];
  let current = raw;
  for (let round = 0; round < MAX_DECODE_ROUNDS; round += 1) {
    const decoded = decodeAsciiEscapes(current);
    if (decoded === current) break;
    forms.push(decoded);
    current = decoded;
  }
  // Fullwidth '．．／' (U+FF0E, U+FF0F) become '../' under NFKC, which some filesystems and proxies apply.
  for (const form of [...forms]) {
    const folded = form.normalize("NFKC");
    if (folded !== form) forms.push(folded);
  }
  return forms;
}

/** Why `form` is unsafe, or undefined if it is a plain relative path. */
function problemWith(form: string): string | undefined {
  if (form.startsWith("/") || form.startsWith("\\") || DRIVE_LETTER.test(form)) {
    return "is absolute; use a path relative to the run's artifact root, such as 'model/MLmodel'";
  }
  if (form.includes("\\")) return "contains a backslash; separate directories with '/'";
  if (CONTROL_CHARS.test(form)) return "contains a control character (such as NUL or a newline)";
  if (form.includes("#") || form.includes("?")) return "contains '#' or '?', which are not allowed in artifact paths";
  for (const segment of form.split("/")) {
    // Servlet-style path parameters: '..;x' is read as '..' by servers that strip ';' parameters.
    for (const piece of segment.split(";")) {
      if (piece !== "." && DOTS_ONLY.test(piece)) {
        return "escapes the artifact root; use a relative path inside the run's artifacts";
      }
    }
  }
  return undefined;
}

/**
 * Turns a client-supplied artifact path into the normalised, relative, '/'-separated path every store uses,
 * '' for the root. This is the one gate between a request and the storage: every caller goes through it.
 *
 * The path is refused (INVALID_PARAMETER_VALUE) if it, or any percent-decoded form of it (up to
 * {@link MAX_DECODE_ROUNDS} rounds), or its NFKC form, is absolute (`/etc`, `C:\`, `C:/`, `\\server`), holds a
 * backslash, a control character, '#' or '?', or has a segment of dots other than '.' (`..`, `..;x`, `...`).
 * A path is checked decoded but returned as written: a file may really be called `100%.txt`.
 *
 * Normalisation: '.' segments and repeated or trailing slashes are dropped (`./a//b/` is `a/b`), as MLflow's
 * `posixpath.normpath` does, since clients write such paths innocently; only a leading '/' is refused.
 *
 * @example
 * safeArtifactPath("model//./MLmodel"); // "model/MLmodel"
 * safeArtifactPath("../secrets");       // throws KeelError INVALID_PARAMETER_VALUE
 */
export function safeArtifactPath(raw: string): string {
  if (typeof raw !== "string") throw invalidParameter("artifact path must be a string");
  for (const form of interpretations(raw)) {
    const problem = problemWith(form);
    if (problem !== undefined) throw invalidParameter(`artifact path ${quote(raw)} ${problem}`);
  }
  return raw
    .split("/")
    .filter((segment) => segment !== "" && segment !== ".")
    .join("/");
}

/**
 * Joins artifact paths that were each already made safe, skipping empty parts (the root). Each part is passed
 * through {@link safeArtifactPath} again, so a part that was not in fact safe (`../x`, `/etc`) is still
 * refused rather than silently absorbed; a '/' between parts means no escape can span two of them.
 *
 * @example
 * joinArtifactPath("1/abc/artifacts", "", "model/MLmodel"); // "1/abc/artifacts/model/MLmodel"
 */
export function joinArtifactPath(...parts: readonly string[]): string {
  return parts
    .map(safeArtifactPath)
    .filter((part) => part !== "")
    .join("/");
}
