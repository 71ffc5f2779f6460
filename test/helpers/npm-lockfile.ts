/** An npm lockfile entry for tests of what a lockfile's values read as (its SRI hash, its tarball URL). */

export const SRI = "sha512-2A8QhOMrbomlDuiLeK9XibIBzuHeRcqqNOHp0Cyp5EoJ1IFDh+XZH3A6BkXtv0K4gFGCI0Y4BM7B1wOEi0Rmgw==";
export const TARBALL = "https://registry.npmjs.org/@scope/pkg/-/pkg-1.7.2.tgz";

/** One package's entry of a `package-lock.json`, with its `resolved` and `integrity` values. */
export function lockEntry(resolved: string, integrity = SRI): string {
  return `    "node_modules/p": {\n      "resolved": "${resolved}",\n      "integrity": "${integrity}"\n    }`;
}
