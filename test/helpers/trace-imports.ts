/**
 * Loaded with `node --import` by the hot-path test: records every module URL the process
 * resolves into the file named by LEAKSTOP_TRACE_IMPORTS, so a test can prove what never loads.
 * ES modules are seen through a resolve hook (also in worker threads); CommonJS `require`s of the
 * main thread (a lazily required parser, a package's own internals) as `file://` URLs of the
 * file loaded.
 */
import { appendFileSync } from "node:fs";
import Module, { register } from "node:module";
import { pathToFileURL } from "node:url";

type Load = (request: string, parent: unknown, isMain: boolean) => unknown;
type ModuleInternals = { _load: Load; _resolveFilename: (request: string, parent: unknown, isMain: boolean) => string };

const out = process.env.LEAKSTOP_TRACE_IMPORTS;
if (out) {
  const hooks = `
    import { appendFileSync } from "node:fs";
    export async function resolve(specifier, context, next) {
      const r = await next(specifier, context);
      appendFileSync(${JSON.stringify(out)}, r.url + "\\n");
      return r;
    }`;
  register(`data:text/javascript,${encodeURIComponent(hooks)}`);
  const internals = Module as unknown as ModuleInternals;
  const load = internals._load;
  internals._load = function traced(this: unknown, request, parent, isMain) {
    try {
      const file = internals._resolveFilename(request, parent, isMain);
      appendFileSync(out, `${file.startsWith("/") ? pathToFileURL(file).href : `node:${file}`}\n`);
    } catch {
      // Unresolvable: the real load below reports it.
    }
    return load.call(this, request, parent, isMain);
  };
}
