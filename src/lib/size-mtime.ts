/**
 * A file's size and mtime, for the freshness checks of a git checkout's build (cli/bundle-fresh.ts: the
 * ~110 compiled files a single-file build holds; rules/detector-bundle.ts: the ~450 detector files),
 * which run at every `hook run` and scan. `fs.statSync` builds a `Stats` object with four `Date`s for
 * each: ~38 K instructions a file in a fresh process, ~22 M of a hook run's ~330 M. On node 20 the same
 * two numbers are read from node's fs binding (the array statSync builds its `Stats` from) in ~9 K.
 * That binding is internal, so it is used only when everything agrees: node 20, no deprecation flag
 * (`process.binding` is deprecated and with --pending-deprecation prints a warning, which a hook's
 * output must not carry), and its numbers equal statSync's for this node's own executable; any
 * doubt, or any error from it, and statSync answers.
 */
import { statSync } from "node:fs";

/** [size, mtime ms] of a file (throws as statSync does when it cannot be read). */
export type SizeMtime = (path: string) => [size: number, mtimeMs: number];

/** node 20's sync `stat` binding: (path, bigint, req, ctx): the stat array, or undefined with ctx.errno set. */
type StatBinding = (path: string, bigint: false, req: undefined, ctx: { errno?: number }) => unknown;

/** mtime in ms from the binding's array, computed as node 20's getStatsFromBinding does (msFromTimeSpec). */
function mtimeMsOf(a: Float64Array): number {
  return a[12]! * 1e3 + a[13]! / 1e6;
}

const viaStatSync: SizeMtime = (path) => {
  const st = statSync(path);
  return [st.size, st.mtimeMs];
};

function viaBinding(stat: StatBinding): SizeMtime {
  return (path) => {
    // node 20.0's binding reports an error in ctx; later 20.x throw it (a non-boolean 4th argument is no "do not throw").
    const ctx: { errno?: number } = {};
    const a = stat(path, false, undefined, ctx);
    if (!(a instanceof Float64Array) || ctx.errno !== undefined) return viaStatSync(path);
    return [a[8]!, mtimeMsOf(a)];
  };
}

function deprecationFlagged(): boolean {
  const flags = `${process.execArgv.join(" ")} ${process.env.NODE_OPTIONS ?? ""}`;
  return flags.includes("deprecation") || process.env.NODE_PENDING_DEPRECATION !== undefined;
}

/** The binding's reader when it can be trusted here (see above), else statSync's. */
function pick(): SizeMtime {
  if (process.versions.node.split(".")[0] !== "20" || deprecationFlagged()) return viaStatSync;
  try {
    const fs = (process as unknown as { binding(name: string): { stat?: unknown } }).binding("fs");
    if (typeof fs.stat !== "function") return viaStatSync;
    const read = viaBinding(fs.stat.bind(fs) as StatBinding);
    const [size, mtimeMs] = read(process.execPath);
    const st = statSync(process.execPath);
    return size === st.size && mtimeMs === st.mtimeMs ? read : viaStatSync;
  } catch {
    return viaStatSync;
  }
}

let chosen: SizeMtime | undefined;

/** A file's size and mtime in ms, as `statSync(path)` gives them (throws as it does). */
export function sizeMtime(path: string): [size: number, mtimeMs: number] {
  chosen ??= pick();
  return chosen(path);
}

/** statSync's reader, for tests that compare the two. */
export const sizeMtimeByStatSync: SizeMtime = viaStatSync;
