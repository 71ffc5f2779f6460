/**
 * Dynamic import of a module by URL (one that a bundle must not hold, see hook/run.ts). The hook's
 * single-file build runs in a vm.Script (bin/leakstop.js compiles it with V8's code cache), where
 * node 20 has no import() to offer without an experimental flag, nor with a code cache at all:
 * the launcher, a plain CommonJS module, passes its own import() instead.
 */
export type UrlImporter = (url: string) => Promise<unknown>;

let importer: UrlImporter = (url) => import(url);

/** Used by the hook's bundle: every later {@link importUrl} goes through `f`. */
export function setUrlImporter(f: UrlImporter): void {
  importer = f;
}

export function importUrl(url: string): Promise<unknown> {
  return importer(url);
}
