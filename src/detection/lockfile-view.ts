/**
 * An npm lockfile (`package-lock.json`, `npm-shrinkwrap.json`) as the rules read it: its
 * `"integrity"` values, Subresource Integrity hashes (`sha512-<base64>`,
 * https://w3c.github.io/webappsec-subresource-integrity/), and its `"resolved"` tarball URLs on the
 * public registry (`https://registry.npmjs.org/<name>/-/<file>.tgz`) read as blanks of the same
 * length. Neither can hold a credential, yet a lockfile holds thousands of them (axios': 4,230 of
 * each, 0.76 of its 1.7 MB): base64 runs for the decoded view and the generic rules, `://` for the
 * URL-credential rule, package names for every provider's keyword. A URL with userinfo, a query,
 * an escape or another host is read as before, so a private registry's credential is still found.
 * Its object keys (package places and names) and `"name": "RANGE"` entries whose value is a plain
 * semver range read as blanks too: package names (`is-accessor-descriptor`, `aws-sign2`) select rules
 * for lockfile windows; a dependency given by URL, git, path, alias or tag is read as it is.
 * Blanked in a copy, in the view only: history's delta probes compare the versions as they are
 * (thousands of short blank runs would make their resync searches land in the wrong place).
 */
import { ViewScratch } from "./view-scratch.js";

const slot = new ViewScratch();

const LOCKFILES = new Set(["package-lock.json", "npm-shrinkwrap.json"]);

/** A whole `"integrity"` or `"resolved"` value of those shapes (the key, then the value up to its closing quote). */
const HASH_OR_TARBALL =
  '"(?:integrity"\\s*:\\s*"sha(?:1|256|384|512)-[A-Za-z0-9+/]+={0,2}|resolved"\\s*:\\s*"https:\\/\\/registry\\.(?:npmjs\\.org|yarnpkg\\.com)\\/[A-Za-z0-9@._/-]+\\.tgz)"';

/** A package name as npm writes it (`@scope/name`): URL-safe characters, no quote, colon or blank. */
const NAME = "(?:@[A-Za-z0-9._~-]+\\/)?[A-Za-z0-9._~-]+";

/**
 * An object's key: a package's place (`"node_modules/a/node_modules/@s/b": {`), a package's name in
 * lockfile v1's nested `"dependencies"` (`"safe-buffer": {`), or a field (`"engines": {`).
 */
const OBJECT_KEY = '"[A-Za-z0-9@._~/-]+"(?=\\s*:\\s*\\{)';

/** One comparator of a semver range (`^7.0.0-0`, `>= 1.2`, `1.x`, `*`). */
const COMPARATOR =
  "(?:[~^]|[<>]=?|=)? *v?(?:\\d+|[xX*])(?:\\.(?:\\d+|[xX*])){0,2}(?:-[0-9A-Za-z.-]+)?(?:\\+[0-9A-Za-z.-]+)?";

/**
 * A name and a semver range (`"js-tokens": "^4.0.0"`, `"node": ">=6.9.0"`, `"version": "1.2.3"`): a
 * dependency, an engine, a version. A dependency given by URL, path, git or alias is no range, so it is
 * read as it is.
 */
const RANGE_ENTRY = `"${NAME}"\\s*:\\s*"(?:${COMPARATOR}(?:(?: +| - | *\\|\\| *)${COMPARATOR})*)?"`;

const INERT = new RegExp(`${HASH_OR_TARBALL}|${OBJECT_KEY}|${RANGE_ENTRY}`, "g");

const SPACE = 0x20;
const QUOTE = 0x22;

function isLockfile(path: string): boolean {
  return LOCKFILES.has(path.slice(path.lastIndexOf("/") + 1));
}

/** `data` itself when it is no npm lockfile or holds no such value, else a copy (reused by the next call on this thread) with them blanked. */
export function lockfileView(path: string, data: Buffer): Buffer {
  if (!isLockfile(path)) return data;
  const text = data.toString("latin1");
  INERT.lastIndex = 0;
  let copy: Buffer | null = null;
  for (let m = INERT.exec(text); m !== null; m = INERT.exec(text)) {
    copy ??= slot.copyOf(data);
    const end = m.index + m[0].length;
    if (text.startsWith('"integrity"', m.index) || text.startsWith('"resolved"', m.index)) {
      // The value is what lies after the quote before the closing one.
      for (let i = end - 2; copy[i] !== QUOTE; i--) copy[i] = SPACE;
      continue;
    }
    // An object key, or a name and its range: every character inside the quotes (none holds a quote).
    let inside = false;
    for (let i = m.index; i < end; i++) {
      if (copy[i] === QUOTE) inside = !inside;
      else if (inside) copy[i] = SPACE;
    }
  }
  return copy ?? data;
}
