/**
 * Blobs read straight from a repository's loose objects (`objects/ab/cdef…`: zlib-deflated
 * "blob <size>\0<bytes>"), without a git process. `git add` writes what it stages as loose objects,
 * so a pre-commit hook finds there every blob `git diff --cached` names, and saves the start of
 * `git cat-file` (a fork and exec at every commit). An object is named by the hash of its
 * content, so a loose file of that name holds that object wherever git would have read it
 * from. Anything else (a packed object, another type, a file that does not inflate or whose
 * size is not its header's, more than `maxBytes` in all) answers null: the caller then asks git.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import type * as Zlib from "node:zlib";
import type { ObjectVisitor } from "./cat-file.js";

let zlib: typeof Zlib | undefined;

const HEX_ID = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;

/** One loose blob's bytes, or null (see above). */
function looseBlob(objects: string, oid: string, maxBytes: number): Buffer | null {
  if (!HEX_ID.test(oid)) return null;
  let deflated: Buffer;
  try {
    deflated = readFileSync(join(objects, oid.slice(0, 2), oid.slice(2)));
  } catch {
    return null;
  }
  zlib ??= createRequire(import.meta.url)("node:zlib") as typeof Zlib;
  let raw: Buffer;
  try {
    // The header says the size: a blob over the budget is not inflated whole.
    raw = zlib.inflateSync(deflated, { maxOutputLength: maxBytes + 64 });
  } catch {
    return null;
  }
  const nul = raw.indexOf(0);
  const header = nul > 0 && nul < 32 ? raw.toString("latin1", 0, nul) : "";
  const m = /^blob (\d+)$/.exec(header);
  if (!m || Number(m[1]) !== raw.length - nul - 1) return null;
  return raw.subarray(nul + 1);
}

/**
 * Visits the blobs `oids` in order from the loose objects of the object folder `objects`, as
 * `git cat-file --batch` would; false (nothing visited) unless every one is a loose blob and they
 * add up to at most `maxBytes`.
 */
export function visitLooseBlobs(objects: string, oids: string[], maxBytes: number, visitor: ObjectVisitor): boolean {
  const blobs: Buffer[] = [];
  let total = 0;
  for (const oid of oids) {
    const blob = looseBlob(objects, oid, maxBytes - total);
    if (blob === null) return false;
    total += blob.length;
    if (total > maxBytes) return false;
    blobs.push(blob);
  }
  oids.forEach((oid, i) => {
    const blob = blobs[i]!;
    visitor.start({ oid, type: "blob", size: blob.length });
    if (blob.length > 0) visitor.data(blob);
    visitor.end();
  });
  return true;
}
