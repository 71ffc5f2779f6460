/**
 * Loaded with `node --import` by the hot-path test: records every module URL the process
 * resolves into the file named by LEAKSTOP_TRACE_IMPORTS, so a test can prove what never loads.
 */
import { register } from "node:module";

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
}
