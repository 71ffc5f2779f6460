/**
 * An npm lockfile (`package-lock.json`, `npm-shrinkwrap.json`) as the rules read it: its
 * `"integrity"` values, Subresource Integrity hashes (`sha512-<base64>`,
 * https://w3c.github.io/webappsec-subresource-integrity/), and its `"resolved"` tarball URLs on the
 * public registry (`https://registry.npmjs.org/<name>/-/<file>.tgz`) read as blanks of the same
 * length. Neither can hold a credential, yet a lockfile holds thousands of them (axios': 4,230 of
 * each, 0.76 of its 1.7 MB): base64 runs for the decoded view and the generic rules, `://` for the
 * URL-credential rule, package names for every provider's keyword. A URL with userinfo, a query,
 * an escape or another host is read as before, so a private registry's credential is still found.
 * Blanked in a copy, in the view only: history's delta probes compare the versions as they are
 * (thousands of short blank runs would make their resync searches land in the wrong place).
 */
import { ViewScratch } from "./view-scratch.js";

const slot = new ViewScratch();

const LOCKFILES = new Set(["package-lock.json", "npm-shrinkwrap.json"]);

/** A whole `"integrity"` or `"resolved"` value of those shapes (the key, then the value up to its closing quote). */
const INERT_VALUE =
  /"(?:integrity"\s*:\s*"sha(?:1|256|384|512)-[A-Za-z0-9+/]+={0,2}|resolved"\s*:\s*"https:\/\/registry\.(?:npmjs\.org|yarnpkg\.com)\/[A-Za-z0-9@._/-]+\.tgz)"/g;

const SPACE = 0x20;
const QUOTE = 0x22;

function isLockfile(path: string): boolean {
  return LOCKFILES.has(path.slice(path.lastIndexOf("/") + 1));
}

/** `data` itself when it is no npm lockfile or holds no such value, else a copy (reused by the next call on this thread) with them blanked. */
export function lockfileView(path: string, data: Buffer): Buffer {
  if (!isLockfile(path)) return data;
  const text = data.toString("latin1");
  INERT_VALUE.lastIndex = 0;
  let copy: Buffer | null = null;
  while (INERT_VALUE.test(text)) {
    copy ??= slot.copyOf(data);
    // The match ends with the value's closing quote; the value is what lies after the quote before it.
    const end = INERT_VALUE.lastIndex - 1;
    for (let i = end - 1; copy[i] !== QUOTE; i--) copy[i] = SPACE;
  }
  return copy ?? data;
}
